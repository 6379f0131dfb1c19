"""Turn a pushed revision into a source tree for the build.

This runs inside the pre-receive hook, where the pushed objects sit in a
quarantine directory that git names through GIT_OBJECT_DIRECTORY and
GIT_ALTERNATE_OBJECT_DIRECTORIES: commands reading the pushed rev keep that
environment, commands building a new repo must drop it.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from pydokku import runner
from pydokku.archive import safe_extract
from pydokku.errors import DokkuError
from pydokku.plugins.git.repo import clean_env, git_argv

REV_RE = re.compile(r"^(?:[0-9a-f]{40}|[0-9a-f]{64})\Z")


def validate_rev(rev: str) -> str:
    """Return `rev` if it is a full object id, else raise."""
    if not REV_RE.match(rev):
        raise DokkuError(f"Invalid revision {rev[:80]!r}")
    return rev


def extract(repo: Path, rev: str, dest: Path, *, branch: str, keep_git_dir: bool) -> Path:
    """Write the tree of `rev` into `dest` (with a `.git` holding its history if asked)."""
    validate_rev(rev)
    if keep_git_dir:
        clone_at(repo, rev, dest, branch=branch)
    else:
        archive_into(repo, rev, dest)
    return dest


def archive_into(repo: Path, rev: str, dest: Path) -> None:
    """Extract `git archive` of `rev` into `dest`, refusing paths that leave it."""
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pydokku-archive-") as scratch:
        tar_path = Path(scratch) / "source.tar"
        runner.run(git_argv(repo, "archive", "--format=tar", f"--output={tar_path}", rev))
        safe_extract(tar_path, dest)


BUILD_SOURCE = "build-source"  # under the app's directory: the tree of the last pushed rev
_MTIME_BASE = 1_000_000_000


def build_source(app_dir: Path) -> Path:
    """Return the app's build source directory: the same path for every push of the app."""
    return app_dir / BUILD_SOURCE


def refresh(repo: Path, rev: str, dest: Path) -> Path:
    """Replace `dest` with the tree of `rev`, each file's mtime derived from its blob id.

    The same directory and the same mtimes for unchanged files let BuildKit send only
    the changed files of the build context (it compares file metadata with what it got
    for the same directory last time); a changed blob gets another mtime. The caller
    holds the app's deploy lock, so no other push writes here meanwhile.
    """
    validate_rev(rev)
    shutil.rmtree(dest, ignore_errors=True)
    archive_into(repo, rev, dest)
    stamp_mtimes(repo, rev, dest)
    return dest


def stamp_mtimes(repo: Path, rev: str, dest: Path) -> None:
    """Give every file of `dest` an mtime derived from its blob id in `rev` (links too)."""
    listing = runner.run(git_argv(repo, "ls-tree", "-r", "-z", "--full-tree", rev)).stdout
    root = os.path.realpath(dest)
    for entry in listing.split("\0"):
        head, tab, name = entry.partition("\t")
        fields = head.split()
        if not tab or len(fields) != 3 or fields[1] != "blob":
            continue
        path = os.path.normpath(os.path.join(root, name))
        if not path.startswith(root + os.sep):
            continue
        stamp = _MTIME_BASE + int(fields[2][:7], 16)
        try:
            os.utime(path, (stamp, stamp), follow_symlinks=False)
        except OSError:
            continue  # not extracted (refused by safe_extract): nothing to stamp


def clone_at(repo: Path, rev: str, dest: Path, *, branch: str) -> None:
    """Make `dest` a repo checked out at `rev` on `branch`, with all history of `rev`.

    The new repo borrows the objects (quarantined ones included) through an
    alternates file, copies what `rev` needs with `repack -a`, then drops the
    borrowing, so it stays whole after the push ends.
    """
    env = clean_env()
    runner.run(["git", "init", "--quiet", str(dest)], env=env)
    alternates = dest / ".git" / "objects" / "info" / "alternates"
    alternates.write_text("".join(f"{d}\n" for d in object_dirs(repo)), encoding="utf-8")
    work = ["git", "-C", str(dest)]
    runner.run([*work, "update-ref", f"refs/heads/{branch}", rev], env=env)
    runner.run([*work, "symbolic-ref", "HEAD", f"refs/heads/{branch}"], env=env)
    runner.run([*work, "repack", "-a", "-d", "-q"], env=env)
    alternates.unlink()
    runner.run([*work, "reset", "--hard", "--quiet"], env=env)


def object_dirs(repo: Path) -> list[str]:
    """Return the object directories holding the repo's objects, quarantined ones first."""
    dirs = []
    quarantine = os.environ.get("GIT_OBJECT_DIRECTORY")
    if quarantine:
        dirs.append(os.path.abspath(os.path.join(repo, quarantine)))
    extra = os.environ.get("GIT_ALTERNATE_OBJECT_DIRECTORIES", "")
    dirs += [os.path.abspath(os.path.join(repo, d)) for d in extra.split(os.pathsep) if d]
    main = str((repo / "objects").resolve())
    return [*dict.fromkeys([*dirs, main])]
