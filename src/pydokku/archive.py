"""Safe extraction of tar archives (pushed trees, uploaded sources).

Python's `filter="data"` needs 3.11.4+, and Debian 12 ships 3.11.2, so the same
rules are applied here: members must stay inside the target directory, links may
not point outside it, and devices, fifos and absolute paths are refused.
"""

from __future__ import annotations

import os
import tarfile
from pathlib import Path

from pydokku.errors import DokkuError


def member_problem(member: tarfile.TarInfo, dest: Path) -> str | None:
    """Return why a tar member is unsafe to extract into `dest`, or None."""
    name = member.name
    if name.startswith("/") or os.path.isabs(name):
        return f"absolute path {name!r}"
    target = (dest / name).resolve()
    if not target.is_relative_to(dest):
        return f"path {name!r} leaves the directory"
    if member.isdev() or member.isfifo():
        return f"special file {name!r}"
    if member.issym() or member.islnk():
        base = target.parent if member.issym() else dest
        link = (base / member.linkname).resolve()
        if os.path.isabs(member.linkname) or not link.is_relative_to(dest):
            return f"link {name!r} -> {member.linkname!r} points outside"
    return None


def safe_extract(archive: Path, dest: Path, *, max_files: int = 0, max_bytes: int = 0) -> int:
    """Extract a tar (any compression) into `dest` after checking every member; return the count."""
    dest = dest.resolve()
    dest.mkdir(parents=True, exist_ok=True)
    try:
        with tarfile.open(archive) as tar:
            members = tar.getmembers()
            _check_limits(members, max_files, max_bytes)
            links: set[str] = set()
            for member in members:
                problem = member_problem(member, dest) or _through_link(member, links)
                if member.issym() or member.islnk():
                    links.add(os.path.normpath(member.name))
                if problem:
                    raise DokkuError(f"Refusing to extract the archive: {problem}")
                member.mode &= 0o777  # no setuid/setgid bits from an upload
                member.uid = member.gid = os.getuid()
                member.uname = member.gname = ""
            tar.extractall(dest, members=members)  # noqa: S202 (members checked above)
    except tarfile.TarError as exc:
        raise DokkuError(f"Cannot read the archive: {exc}") from exc
    return len(members)


def _through_link(member: tarfile.TarInfo, links: set[str]) -> str | None:
    """Refuse a member stored under a link the archive made: it could land anywhere."""
    parts = os.path.normpath(member.name).split(os.sep)
    for depth in range(1, len(parts)):
        if os.sep.join(parts[:depth]) in links:
            return f"path {member.name!r} goes through a link in the archive"
    return None


def _check_limits(members: list[tarfile.TarInfo], max_files: int, max_bytes: int) -> None:
    if max_files and len(members) > max_files:
        raise DokkuError(f"The archive holds {len(members)} files; the limit is {max_files}")
    total = sum(m.size for m in members if m.isfile())
    if max_bytes and total > max_bytes:
        raise DokkuError(f"The archive holds {total} bytes; the limit is {max_bytes}")
