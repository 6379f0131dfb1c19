"""The one safe way to read files of a pushed source tree.

A pushed repository is untrusted: any file in it may be a symlink, and a chain such as
`s -> .` plus `Procfile -> s/s/../../etc/os-release` defeats a check of the name alone.
Every path must be relative; it is resolved with every link (and `..`) followed, and
must land inside the tree; the file is opened without following a final
link (so it cannot be swapped between the check and the read) and read up to a limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from pydokku.errors import DokkuError

DEFAULT_LIMIT = 1_000_000  # bytes: Procfile, app.json, CHECKS and manifests are small


def resolve(source: Path, relative: str, what: str = "") -> Path:
    """Return the real path of `relative` in `source`; raise when it leaves the tree."""
    what = what or relative
    if not relative or relative.startswith("/") or "\0" in relative:
        raise DokkuError(f"{what} must be a relative path inside the app's source")
    root = Path(os.path.realpath(source))
    real = Path(os.path.realpath(root / relative))
    if real != root and not real.is_relative_to(root):
        raise DokkuError(f"{what} is a link that leads outside the app's source; refusing it")
    return real


def is_file(source: Path, relative: str) -> bool:
    """Tell whether `relative` is a regular file inside the tree (links must stay inside)."""
    try:
        return resolve(source, relative).is_file()
    except (DokkuError, OSError):
        return False


def is_dir(source: Path, relative: str) -> bool:
    """Tell whether `relative` is a directory inside the tree (links must stay inside)."""
    try:
        return resolve(source, relative).is_dir()
    except (DokkuError, OSError):
        return False


def read_bytes(source: Path, relative: str, limit: int = DEFAULT_LIMIT, what: str = "") -> bytes:
    """Return a file of the tree; raise when it is a link out, not a file, or over `limit`."""
    what = what or relative
    real = resolve(source, relative, what)
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise DokkuError(f"Cannot read {what}: {exc.strerror}") from exc
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise DokkuError(f"{what} is not a regular file")
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise DokkuError(f"{what} is larger than {limit} bytes")
    return data


def read_text(
    source: Path, relative: str, limit: int = DEFAULT_LIMIT, what: str = ""
) -> str | None:
    """Return a text file of the tree, or None when it does not exist (see `read_bytes`)."""
    if not os.path.lexists(resolve(source, relative, what)):
        return None
    return read_bytes(source, relative, limit, what).decode("utf-8", errors="replace")
