"""Where `certs:add|update` read a certificate and key: two files, or a tar on stdin.

The tar is read in memory (never extracted to disk): `server.crt` and `server.key`,
else the one `*.crt` / `*.pem` and the one `*.key` it holds, wherever they sit in it.
"""

from __future__ import annotations

import sys
from pathlib import PurePosixPath

from pydokku.cli.registry import InputText
from pydokku.errors import DokkuError

MAX_BYTES = 1024 * 1024  # certificate chains and keys are a few KiB
MAX_TAR_BYTES = 8 * MAX_BYTES
CRT_SUFFIXES = (".crt", ".pem", ".cer")
KEY_SUFFIXES = (".key",)


def file_bytes(source: InputText, what: str) -> bytes:
    """Return a certificate or key file read at parse time (at most 1 MiB)."""
    data = source.read(sys.stdin).encode("utf-8", "surrogateescape")
    if len(data) > MAX_BYTES:
        raise DokkuError(f"The {what} {source.name} is larger than {MAX_BYTES} bytes")
    return data


def read_tar(data: bytes) -> tuple[bytes, bytes]:
    """Return (certificate, key) from a tar archive (plain or compressed)."""
    import io
    import tarfile

    if not data:
        raise DokkuError("Give CRT and KEY files, or pipe a tar of server.crt and server.key")
    if len(data) > MAX_TAR_BYTES:
        raise DokkuError(f"The tar on stdin is larger than {MAX_TAR_BYTES} bytes")
    files: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as archive:
            for member in archive.getmembers():
                name = PurePosixPath(member.name).name
                if not member.isfile() or member.size > MAX_BYTES or name.startswith("._"):
                    continue
                handle = archive.extractfile(member)
                if handle is not None:
                    files[member.name] = handle.read()
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise DokkuError("stdin is not a tar archive holding server.crt and server.key") from exc
    return _pick(files, "server.crt", CRT_SUFFIXES), _pick(files, "server.key", KEY_SUFFIXES)


def _pick(files: dict[str, bytes], preferred: str, suffixes: tuple[str, ...]) -> bytes:
    exact = [data for name, data in files.items() if PurePosixPath(name).name == preferred]
    if len(exact) == 1:
        return exact[0]
    candidates = [data for name, data in files.items() if name.lower().endswith(suffixes)]
    if len(candidates) == 1:
        return candidates[0]
    found = "several" if candidates else "no"
    raise DokkuError(f"The tar holds {found} {'/'.join(suffixes)} files; name them {preferred}")
