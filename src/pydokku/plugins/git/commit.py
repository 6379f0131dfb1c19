"""Record a deploy that did not come from a push as a commit on the app's deploy branch.

`git:from-image` commits a `Dockerfile` (`FROM image`) plus the app files it read, as
Dokku does, so the repo tells what runs and `ps:rebuild` builds it again. The commit
is made with plumbing commands in the bare repo (no work tree, no hook runs).
"""

from __future__ import annotations

import re

from pydokku import runner
from pydokku.errors import DokkuError
from pydokku.plugins.git import repo, settings

DEFAULT_AUTHOR = ("Dokku", "automated@dokku.sh")
NAME_MAX = 100
_EMAIL_RE = re.compile(r"^[^@\s<>]{1,64}@[^@\s<>]{1,255}\Z")


def validate_author(name: str, email: str) -> tuple[str, str]:
    """Return (name, email) for a commit, defaults filled in; raise on bad values."""
    if not name and not email:
        return DEFAULT_AUTHOR
    if not name or len(name) > NAME_MAX or any(ord(ch) < 0x20 or ch in "<>" for ch in name):
        raise DokkuError(f"Invalid git user name {name[:80]!r}")
    if not _EMAIL_RE.match(email):
        raise DokkuError(f"Invalid git email {email[:80]!r}: expected name@example.com")
    return name, email


def commit_files(app: str, files: dict[str, str], author: tuple[str, str], message: str) -> str:
    """Commit `files` (top-level name -> text) on the app's deploy branch; return the sha."""
    path = repo.initialize(app)
    env = repo.clean_env()
    entries = []
    for name, text in sorted(files.items()):
        if "/" in name or name in (".", ".."):
            continue
        blob = runner.run(
            repo.git_argv(path, "hash-object", "-w", "--stdin"), input_text=text, env=env
        )
        entries.append(f"100644 blob {blob.stdout.strip()}\t{name}\n")
    tree = runner.run(repo.git_argv(path, "mktree"), input_text="".join(entries), env=env)
    branch = settings.deploy_branch(app)
    parent = repo.branch_head(app, branch)
    argv = repo.git_argv(path, "commit-tree", tree.stdout.strip(), "-m", message)
    if parent:
        argv += ["-p", parent]
    who = {
        "GIT_AUTHOR_NAME": author[0],
        "GIT_AUTHOR_EMAIL": author[1],
        "GIT_COMMITTER_NAME": author[0],
        "GIT_COMMITTER_EMAIL": author[1],
    }
    sha = runner.run(argv, env={**env, **who}).stdout.strip()
    runner.run(repo.git_argv(path, "update-ref", f"refs/heads/{branch}", sha), env=env)
    repo.point_head_at(app, branch)
    return sha
