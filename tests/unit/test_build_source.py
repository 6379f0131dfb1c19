"""The build source of a push: one directory per app, unchanged files keep their mtime."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from pydokku.plugins.deploy.lock import deploy_lock, held_fd
from pydokku.plugins.git import extract

ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
}


def commit(work: Path, files: dict[str, str], date: str) -> str:
    for name, text in files.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_text(text)
    env = {**ENV, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", "-C", str(work), "add", "-A"], check=True, env=env)
    subprocess.run(["git", "-C", str(work), "commit", "-qm", "c"], check=True, env=env)
    head = ["git", "-C", str(work), "rev-parse", "HEAD"]
    return subprocess.run(head, check=True, capture_output=True, text=True).stdout.strip()


def test_unchanged_files_keep_their_mtime_across_pushes(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    subprocess.run(["git", "init", "-q", str(work)], check=True)
    first = commit(work, {"app.py": "v1\n", "assets/a.bin": "same\n"}, "2020-01-01T00:00:00")
    second = commit(work, {"app.py": "v2\n"}, "2024-06-01T00:00:00")  # same size, new blob
    repo = work / ".git"
    dest = extract.build_source(tmp_path / "app")

    extract.refresh(repo, first, dest)
    before = {n: os.stat(dest / n).st_mtime for n in ("app.py", "assets/a.bin")}
    (dest / ".pydokku.Dockerfile").write_text("left by a builder")
    extract.refresh(repo, second, dest)
    after = {n: os.stat(dest / n).st_mtime for n in ("app.py", "assets/a.bin")}

    assert (dest / "app.py").read_text() == "v2\n"
    assert not (dest / ".pydokku.Dockerfile").exists()  # the directory holds the tree only
    assert after["assets/a.bin"] == before["assets/a.bin"]  # commit dates differ: not used
    assert after["app.py"] != before["app.py"]


def test_the_deploy_lock_is_reentrant(store: Path) -> None:
    with deploy_lock("myapp", wait_s=0):
        fd = held_fd("myapp")
        with deploy_lock("myapp", wait_s=0):
            assert held_fd("myapp") == fd
        assert held_fd("myapp") == fd  # the inner block left the outer lock held
    assert held_fd("myapp") is None
