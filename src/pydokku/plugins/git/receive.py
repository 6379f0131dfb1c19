"""The SSH entry points of git: `git-receive-pack 'APP'` and friends.

Over SSH, stdout is the git protocol channel: nothing may be printed there
before git takes over, so progress goes to stderr (shown to the pusher).
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager

from pydokku import output
from pydokku.errors import DokkuError
from pydokku.plugins.apps import logic as apps
from pydokku.plugins.git import repo
from pydokku.validation import validate_app_name

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import NoReturn

# SSH command -> git subcommand serving it.
SERVICES = {
    "git-receive-pack": "receive-pack",
    "git-upload-pack": "upload-pack",
    "git-upload-archive": "upload-archive",
}


def app_from_repo_arg(raw: str) -> str:
    """Return the app a git path names (`'/myapp.git'` -> `myapp`), refusing anything else."""
    name = raw.strip().strip("'\"").lstrip("/").removesuffix(".git")
    return validate_app_name(name)


def serve(service: str, raw: str) -> NoReturn:
    """Check the app (creating it on a first push), then let git speak over this channel."""
    app = app_from_repo_arg(raw)
    pushing = service == "git-receive-pack"
    if pushing:
        ensure_app(app)
    else:
        apps.require_app(app)
    path = repo.repo_path(app)
    if pushing or not repo.is_bare_repo(path):
        with stdout_to_stderr():
            repo.initialize(app)  # a push also refreshes the hook (paths may have moved)
    exec_git(SERVICES[service], str(path))


def ensure_app(app: str) -> None:
    """Create the app on its first push, unless autocreation is disabled."""
    if apps.app_exists(app):
        return
    if apps.autocreation_disabled():
        raise DokkuError(
            f"App {app} does not exist and app autocreation is disabled; "
            f"create it first with `dokku apps:create {app}`"
        )
    with stdout_to_stderr():
        output.step(f"Creating {app}...")
        try:
            apps.create_app(app)
        except DokkuError:
            if not apps.app_exists(app):  # a concurrent first push may have won the race
                raise


def exec_git(subcommand: str, path: str) -> NoReturn:
    """Replace this process with `git SUBCOMMAND PATH`, which talks over stdin/stdout."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.execvp("git", ["git", subcommand, path])  # noqa: S606, S607 (git from PATH, argument list)


@contextmanager
def stdout_to_stderr() -> Iterator[None]:
    """Send file descriptor 1 (ours and our children's) to stderr for the block."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
