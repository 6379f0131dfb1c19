"""Where `certs:add|update` read a certificate and key: two files, or a tar on stdin.

The tar is read in memory (never extracted to disk): `server.crt` and `server.key`,
else the one `*.crt` / `*.pem` and the one `*.key` it holds, wherever they sit in it.
"""

from __future__ import annotations

import sys
from pathlib import PurePosixPath

from pydokku.cli.registry import InputText
from pydokku.errors import DokkuError

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    import tarfile
    from typing import Any

MAX_BYTES = 1024 * 1024  # certificate chains and keys are a few KiB
MAX_TAR_BYTES = 8 * MAX_BYTES  # compressed, and again once decompressed
MAX_MEMBERS = 64
CRT_SUFFIXES = (".crt", ".pem", ".cer")
KEY_SUFFIXES = (".key",)


def file_bytes(source: InputText, what: str) -> bytes:
    """Return a certificate or key file read at parse time (at most 1 MiB)."""
    data = source.read(sys.stdin).encode("utf-8", "surrogateescape")
    if len(data) > MAX_BYTES:
        raise DokkuError(f"The {what} {source.name} is larger than {MAX_BYTES} bytes")
    return data


def read_tar(data: bytes) -> tuple[bytes, bytes]:
    """Return (certificate, key) from a tar archive (plain or compressed).

    Memory stays bounded whatever the archive holds: it is decompressed to at most
    MAX_TAR_BYTES, at most MAX_MEMBERS headers are looked at, and only certificate and
    key members (each at most MAX_BYTES) are kept.
    """
    import io
    import tarfile

    if not data:
        raise DokkuError("Give CRT and KEY files, or pipe a tar of server.crt and server.key")
    if len(data) > MAX_TAR_BYTES:
        raise DokkuError(f"The tar on stdin is larger than {MAX_TAR_BYTES} bytes")
    plain = _decompress(data)
    files: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(plain), mode="r:") as archive:
            for count, member in enumerate(archive, start=1):
                if count > MAX_MEMBERS:
                    raise DokkuError(f"The tar holds more than {MAX_MEMBERS} entries")
                if _wanted(member):
                    handle = archive.extractfile(member)
                    files[member.name] = handle.read(MAX_BYTES) if handle else b""
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise DokkuError("stdin is not a tar archive holding server.crt and server.key") from exc
    return _pick(files, "server.crt", CRT_SUFFIXES), _pick(files, "server.key", KEY_SUFFIXES)


def _wanted(member: tarfile.TarInfo) -> bool:
    name = PurePosixPath(member.name).name
    return (
        member.isfile()
        and member.size <= MAX_BYTES
        and not name.startswith("._")
        and name.lower().endswith(CRT_SUFFIXES + KEY_SUFFIXES)
    )


def _decompress(data: bytes) -> bytes:
    """Return the plain tar, decompressing gzip, bzip2 or xz to at most MAX_TAR_BYTES."""
    import bz2
    import lzma
    import zlib

    decompressor: Any
    if data[:2] == b"\x1f\x8b":
        decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
    elif data[:3] == b"BZh":
        decompressor = bz2.BZ2Decompressor()
    elif data[:6] == b"\xfd7zXZ\x00":
        decompressor = lzma.LZMADecompressor()
    else:
        return data
    try:
        plain = decompressor.decompress(data, MAX_TAR_BYTES + 1)
    except (OSError, EOFError, ValueError, zlib.error, lzma.LZMAError) as exc:
        raise DokkuError("stdin is not a tar archive holding server.crt and server.key") from exc
    if len(plain) > MAX_TAR_BYTES:
        raise DokkuError(f"The tar on stdin unpacks to more than {MAX_TAR_BYTES} bytes")
    return bytes(plain)


def _pick(files: dict[str, bytes], preferred: str, suffixes: tuple[str, ...]) -> bytes:
    exact = [data for name, data in files.items() if PurePosixPath(name).name == preferred]
    if len(exact) == 1:
        return exact[0]
    candidates = [data for name, data in files.items() if name.lower().endswith(suffixes)]
    if len(candidates) == 1:
        return candidates[0]
    found = "several" if candidates else "no"
    raise DokkuError(f"The tar holds {found} {'/'.join(suffixes)} files; name them {preferred}")
