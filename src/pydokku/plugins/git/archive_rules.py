"""Rules for extracting uploaded archives (tar and zip) safely.

Members must stay inside the target directory; nothing is written through a
link from the archive; a symlink must point inside, without walking `..` past
another link (whose real target lexical checks cannot see). Devices and fifos
are refused. Zip files are extracted here; tar files by `pydokku.archive`, after
the same checks.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import stat
import tarfile
import zipfile
from pathlib import Path

from pydokku.errors import DokkuError

FILE, DIR, SYMLINK, HARDLINK, SPECIAL = "file", "dir", "symlink", "hardlink", "special"


class Entry:
    """One archive member: normalized name, kind, link target and size."""

    def __init__(self, name: str, kind: str, link: str = "", size: int = 0) -> None:
        self.name = name
        self.kind = kind
        self.link = link
        self.size = size


def normalize(name: str) -> str:
    """Return a member name with `./` prefixes, backslashes and trailing slashes removed."""
    name = name.replace("\\", "/")
    while name.startswith("./"):
        name = name[2:]
    return name.rstrip("/")


def name_problem(name: str) -> str | None:
    """Return why a member name is unsafe (absolute, `..`, drive letter), or None."""
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return f"absolute path {name!r}"
    if ".." in name.split("/"):
        return f"path {name!r} leaves the directory"
    return None


def problems(entries: list[Entry]) -> list[str]:
    """Return every reason the entries are unsafe to extract (empty when safe)."""
    found: list[str] = []
    links = {e.name for e in entries if e.kind == SYMLINK}
    names = {e.name for e in entries}
    for entry in entries:
        problem = name_problem(entry.name)
        parts = entry.name.split("/")
        if problem is None and any("/".join(parts[:i]) in links for i in range(1, len(parts))):
            problem = f"{entry.name!r} is inside a link of the archive"
        if problem is None and entry.kind == SPECIAL:
            problem = f"special file {entry.name!r} (device, fifo or socket)"
        if problem is None and entry.kind == SYMLINK:
            problem = _symlink_problem(entry, links)
        if problem is None and entry.kind == HARDLINK:
            target = normalize(entry.link)
            if name_problem(target) or target not in names or target in links:
                problem = f"hard link {entry.name!r} -> {entry.link!r} points outside"
        if problem:
            found.append(problem)
    return found


def _symlink_problem(entry: Entry, links: set[str]) -> str | None:
    if entry.link.startswith("/") or not entry.link:
        return f"link {entry.name!r} -> {entry.link!r} points outside"
    stack = entry.name.split("/")[:-1]
    steps = [p for p in entry.link.replace("\\", "/").split("/") if p not in ("", ".")]
    for index, part in enumerate(steps):
        if part == "..":
            if not stack:
                return f"link {entry.name!r} -> {entry.link!r} points outside"
            stack.pop()
            continue
        stack.append(part)
        if index < len(steps) - 1 and "/".join(stack) in links:
            return f"link {entry.name!r} -> {entry.link!r} goes through another link"
    return None


class LimitError(DokkuError):
    """An archive over a `git:set` limit; `setting` names the property that raises it."""

    def __init__(self, message: str, setting: str) -> None:
        super().__init__(message)
        self.setting = setting

    def for_app(self, app: str) -> DokkuError:
        """Return the error with the command that raises the limit for `app`."""
        value = "N" if self.setting == "archive-max-files" else "SIZE"
        return DokkuError(f"{self.message} (dokku git:set {app} {self.setting} {value})")


def check(entries: list[Entry], max_files: int, max_bytes: int) -> None:
    """Raise unless the entries are safe and within the file-count and size limits."""
    if max_files and len(entries) > max_files:
        raise LimitError(
            f"The archive holds {len(entries)} files; the limit is {max_files}",
            "archive-max-files",
        )
    total = sum(e.size for e in entries if e.kind == FILE)
    if max_bytes and total > max_bytes:
        raise LimitError(
            f"The archive unpacks to {total} bytes; the limit is {max_bytes}", "archive-max-size"
        )
    found = problems(entries)
    if found:
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise DokkuError(f"Refusing to extract the archive: {found[0]}{more}")


def tar_entries(path: Path) -> list[Entry]:
    """Return the entries of a tar file (any compression)."""
    with tarfile.open(path) as tar:
        return [_tar_entry(m) for m in tar.getmembers()]


def _tar_entry(member: tarfile.TarInfo) -> Entry:
    name = normalize(member.name)
    if member.issym():
        return Entry(name, SYMLINK, member.linkname)
    if member.islnk():
        return Entry(name, HARDLINK, member.linkname)
    if member.isdir():
        return Entry(name, DIR)
    if member.isfile():
        return Entry(name, FILE, size=member.size)
    return Entry(name, SPECIAL)


def zip_entries(archive: zipfile.ZipFile) -> list[Entry]:
    """Return the entries of a zip file (unix modes tell links and special files)."""
    entries = []
    for info in archive.infolist():
        mode = info.external_attr >> 16
        name = normalize(info.filename)
        if info.is_dir():
            entries.append(Entry(name, DIR))
        elif stat.S_ISLNK(mode):
            link = archive.read(info)[:4096].decode("utf-8", "replace")
            entries.append(Entry(name, SYMLINK, link))
        elif mode and not stat.S_ISREG(mode) and stat.S_IFMT(mode):
            entries.append(Entry(name, SPECIAL))
        else:
            entries.append(Entry(name, FILE, size=info.file_size))
    return entries


def extract_zip(path: Path, dest: Path, max_files: int, max_bytes: int) -> int:
    """Check then extract a zip file into `dest`; return the number of entries."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = zip_entries(archive)
            check(entries, max_files, max_bytes)
            for info, entry in zip(archive.infolist(), entries, strict=True):
                _write_zip_entry(archive, info, entry, dest, max_bytes)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as exc:
        raise DokkuError(f"Cannot read the zip archive: {exc}") from exc
    return len(entries)


def _write_zip_entry(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, entry: Entry, dest: Path, max_bytes: int
) -> None:
    if not entry.name:
        return
    target = safe_join(dest, entry.name)
    if entry.kind == DIR:
        target.mkdir(parents=True, exist_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    if entry.kind == SYMLINK:
        os.symlink(entry.link, target)
        return
    with archive.open(info) as source, open(target, "wb") as out:
        shutil.copyfileobj(source, out)  # zipfile stops at the declared size and checks CRC
    mode = (info.external_attr >> 16) & 0o777
    os.chmod(target, 0o755 if mode & 0o111 else 0o644)


def strip_single_directory(dest: Path) -> Path:
    """Return the only top-level directory when the archive has one (GitHub tarballs)."""
    children = list(dest.iterdir())
    if len(children) == 1 and children[0].is_dir() and not children[0].is_symlink():
        return children[0]
    return dest


def kind_of(path: Path) -> str:
    """Return `zip` or `tar` from the file's first bytes (tar may be compressed)."""
    with open(path, "rb") as handle:
        head = handle.read(4)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if tarfile.is_tarfile(path):
        return "tar"
    raise DokkuError("The archive is neither a tar (.tar, .tar.gz, ...) nor a zip file")


def safe_join(dest: Path, name: str) -> Path:
    """Return `dest/name`, raising if it would leave `dest` (defense in depth)."""
    path = Path(posixpath.normpath(str(dest / name)))
    if not path.is_relative_to(dest):
        raise DokkuError(f"Refusing to extract {name!r}: it leaves the directory")
    return path
