"""Bare repos, the pre-receive hook script, and extracting a pushed rev (real git, temp dirs)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pydokku.errors import DokkuError
from pydokku.plugins.git import extract, repo

IDENTITY = ["-c", "user.name=Test", "-c", "user.email=test@example.com"]


def git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", *IDENTITY, *args], cwd=cwd, capture_output=True, text=True, check=True
    )
    return proc.stdout.strip()


def work_repo(tmp_path: Path) -> Path:
    """A repo on `main` with two commits: app.py (executable) then README."""
    work = tmp_path / "work"
    work.mkdir()
    git(work, "init", "-q", "-b", "main")
    (work / "app.py").write_text("print('hi')\n")
    (work / "app.py").chmod(0o755)
    git(work, "add", ".")
    git(work, "commit", "-qm", "one")
    (work / "README").write_text("readme\n")
    git(work, "add", ".")
    git(work, "commit", "-qm", "two")
    return work


def bare_with(tmp_path: Path, work: Path) -> Path:
    bare = tmp_path / "bare.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    git(work, "push", "-q", str(bare), "main")
    return bare


def test_initialize_makes_a_bare_repo_with_the_hook(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOKKU_BIN", "/opt/pydokku/bin/dokku")
    path = repo.initialize("myapp")
    assert path == Path(os.environ["DOKKU_ROOT"]) / "myapp"
    assert repo.is_bare_repo(path)
    hook = path / "hooks" / "pre-receive"
    assert os.access(hook, os.X_OK)
    assert hook.read_text() == (
        "#!/bin/sh\n"
        "# Written by pydokku; `dokku git:initialize APP` rewrites it.\n"
        f"export DOKKU_ROOT={os.environ['DOKKU_ROOT']}\n"
        f"export DOKKU_LIB_ROOT={store}\n"
        "exec /opt/pydokku/bin/dokku git-hook myapp\n"
    )
    hook.write_text("#!/bin/sh\nexit 0\n")
    assert repo.initialize("myapp") == path  # an existing repo is kept, its hook rewritten
    assert "git-hook myapp" in hook.read_text()
    assert repo.branch_head("myapp", "main") == ""
    assert repo.branches("myapp") == []
    assert repo.last_updated_at("myapp", "main") == ""


def test_initialize_refuses_bad_names(store: Path) -> None:
    with pytest.raises(DokkuError):
        repo.initialize("../x")


def test_branch_head_and_head(store: Path, tmp_path: Path) -> None:
    work = work_repo(tmp_path)
    path = repo.initialize("myapp")
    (path / "hooks" / "pre-receive").unlink()  # no app in the store to deploy
    git(work, "push", "-q", str(path), "main", "main:other")
    head = git(work, "rev-parse", "HEAD")
    assert repo.branch_head("myapp", "main") == head
    assert repo.branches("myapp") == ["main", "other"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", repo.last_updated_at("myapp", "main"))
    repo.point_head_at("myapp", "other")
    assert (path / "HEAD").read_text() == "ref: refs/heads/other\n"


def test_archive_into(tmp_path: Path) -> None:
    work = work_repo(tmp_path)
    bare = bare_with(tmp_path, work)
    dest = tmp_path / "out"
    extract.extract(bare, git(work, "rev-parse", "HEAD"), dest, branch="main", keep_git_dir=False)
    assert sorted(p.name for p in dest.iterdir()) == ["README", "app.py"]
    assert os.access(dest / "app.py", os.X_OK)


def test_links_leaving_the_tree_are_refused(tmp_path: Path) -> None:
    work = work_repo(tmp_path)
    (work / "passwd").symlink_to("/etc/passwd")
    git(work, "add", ".")
    git(work, "commit", "-qm", "link")
    bare = bare_with(tmp_path, work)
    with pytest.raises(DokkuError, match="Refusing to extract the archive"):
        extract.archive_into(bare, git(work, "rev-parse", "HEAD"), tmp_path / "out")


def test_clone_at_keeps_history_and_stands_alone(tmp_path: Path) -> None:
    work = work_repo(tmp_path)
    bare = bare_with(tmp_path, work)
    dest = tmp_path / "out"
    rev = git(work, "rev-parse", "HEAD")
    extract.extract(bare, rev, dest, branch="main", keep_git_dir=True)
    assert git(dest, "rev-parse", "HEAD") == rev
    assert git(dest, "symbolic-ref", "HEAD") == "refs/heads/main"
    assert git(dest, "rev-list", "--count", "HEAD") == "2"
    assert git(dest, "status", "--porcelain") == ""
    assert not (dest / ".git" / "objects" / "info" / "alternates").exists()
    git(dest, "fsck", "--full")


QUARANTINE_HOOK = """#!{python}
import sys
from pathlib import Path
from pydokku.plugins.git import extract

old, new, ref = sys.stdin.read().split()
extract.extract(Path.cwd(), new, Path({dest!r}), branch="main", keep_git_dir={keep})
sys.exit(1)  # reject: the pushed objects never leave the quarantine
"""


@pytest.mark.parametrize("keep", [False, True])
def test_extract_inside_the_pre_receive_quarantine(tmp_path: Path, keep: bool) -> None:
    work = work_repo(tmp_path)
    bare = tmp_path / "bare.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    dest = tmp_path / "out"
    hook = bare / "hooks" / "pre-receive"
    hook.write_text(QUARANTINE_HOOK.format(python=sys.executable, dest=str(dest), keep=keep))
    hook.chmod(0o755)
    push = subprocess.run(
        ["git", "push", str(bare), "main"], cwd=work, capture_output=True, text=True, check=False
    )
    assert push.returncode != 0
    assert "pre-receive hook declined" in push.stderr
    assert git(bare, "for-each-ref") == ""
    assert (dest / "README").read_text() == "readme\n"
    assert (dest / ".git").is_dir() is keep
    if keep:
        assert git(dest, "rev-parse", "HEAD") == git(work, "rev-parse", "HEAD")
        git(dest, "fsck", "--full")


def test_extract_refuses_revs_that_are_not_object_ids(tmp_path: Path) -> None:
    with pytest.raises(DokkuError, match="Invalid revision"):
        extract.extract(
            tmp_path, "--output=/tmp/x", tmp_path / "o", branch="main", keep_git_dir=False
        )
