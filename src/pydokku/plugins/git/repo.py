"""An app's bare git repo under the Dokku root, and its pre-receive hook."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pydokku import paths, runner
from pydokku.plugins.ssh_keys import invocation
from pydokku.validation import validate_app_name

HOOK_HEADER = "# Written by pydokku; `dokku git:initialize APP` rewrites it.\n"
# Variables git sets for a hook that point commands at another repo or object store.
REPO_ENV_PREFIX = "GIT_"


def repo_path(app: str) -> Path:
    """Return the directory of the app's bare repo."""
    return paths.app_dir(validate_app_name(app))


def git_argv(path: Path, *args: str) -> list[str]:
    """Return a git command line working on the bare repo at `path`."""
    return ["git", f"--git-dir={path}", *args]


def is_bare_repo(path: Path) -> bool:
    """Tell whether `path` looks like a bare git repo."""
    return (path / "HEAD").is_file() and (path / "objects").is_dir() and (path / "refs").is_dir()


def initialize(app: str) -> Path:
    """Make the app's directory a bare repo (if it is not one) and (re)write its hook."""
    path = repo_path(app)
    path.mkdir(parents=True, exist_ok=True)
    env = clean_env()
    if not is_bare_repo(path):
        runner.run(["git", "init", "--bare", "--quiet", str(path)], env=env)
    # Deleting the deploy branch (HEAD) is allowed; the hook warns that nothing deploys.
    runner.run(git_argv(path, "config", "receive.denyDeleteCurrent", "ignore"), env=env)
    write_pre_receive(app, path)
    return path


def pre_receive_script(app: str) -> str:
    """Return the pre-receive hook: hand git's `old new ref` lines to `dokku git-hook APP`."""
    command = invocation.require_safe([*invocation.dokku_command(), "git-hook", app])
    exports = "".join(f"export {name}={value}\n" for name, value in invocation.root_env())
    return f"#!/bin/sh\n{HOOK_HEADER}{exports}exec {' '.join(command)}\n"


def write_pre_receive(app: str, path: Path) -> Path:
    """Write the pre-receive hook of the repo at `path`, atomically and executable."""
    hooks = path / "hooks"
    hooks.mkdir(exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".pre-receive.", dir=hooks)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(pre_receive_script(app))
        os.chmod(temp, 0o755)  # noqa: S103 (git runs hooks it can read and execute)
        os.replace(temp, hooks / "pre-receive")
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return hooks / "pre-receive"


def branch_head(app: str, branch: str) -> str:
    """Return the commit the app's `branch` points at, or '' if there is none."""
    path = repo_path(app)
    if not is_bare_repo(path):
        return ""
    argv = git_argv(path, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}^{{commit}}")
    proc = runner.run(argv, check=False, env=clean_env())
    return proc.stdout.strip() if proc.returncode == 0 else ""


def branches(app: str) -> list[str]:
    """Return the names of the branches in the app's repo."""
    path = repo_path(app)
    if not is_bare_repo(path):
        return []
    argv = git_argv(path, "for-each-ref", "--format=%(refname:strip=2)", "refs/heads/")
    return runner.run(argv, env=clean_env()).stdout.split()


def last_updated_at(app: str, branch: str) -> str:
    """Return when the app's `branch` last moved (ISO 8601 UTC, from its ref file), or ''."""
    import datetime

    try:
        moved = (repo_path(app) / "refs" / "heads" / branch).stat().st_mtime
    except OSError:
        return ""
    when = datetime.datetime.fromtimestamp(moved, datetime.UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def point_head_at(app: str, branch: str) -> None:
    """Make the repo's HEAD name `branch`, so clones check out the deploy branch."""
    path = repo_path(app)
    target = f"ref: refs/heads/{branch}"
    try:
        if (path / "HEAD").read_text(encoding="utf-8").strip() == target:
            return
    except OSError:
        return
    runner.run(git_argv(path, "symbolic-ref", "HEAD", f"refs/heads/{branch}"), env=clean_env())


def clean_env() -> dict[str, str]:
    """Return this environment without the GIT_* variables a hook inherits."""
    return {k: v for k, v in os.environ.items() if not k.startswith(REPO_ENV_PREFIX)}
