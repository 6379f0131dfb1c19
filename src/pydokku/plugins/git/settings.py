"""Git settings of an app: deploy branch, keep-git-dir, rev-env-var, and their report."""

from __future__ import annotations

import re

from pydokku import properties, state
from pydokku.validation import GLOBAL_SCOPE, is_env_key

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    import sqlite3

PLUGIN = "git"
DEFAULT_BRANCH = "master"
BRANCH_MAX = 255
# Characters git refuses in a ref name (git-check-ref-format(1), rules 3-5).
_FORBIDDEN = frozenset(" ~^:?*[\\\x7f")


def branch_problem(name: str) -> str | None:
    """Return why `name` is not a valid branch name (`git check-ref-format --branch`), or None."""
    if not name or len(name) > BRANCH_MAX:
        return f"a branch name has 1 to {BRANCH_MAX} characters"
    if name.startswith("-"):
        return "a branch name must not start with '-'"
    if name == "@" or "@{" in name:
        return "a branch name must not be '@' nor contain '@{'"
    if ".." in name or "//" in name or name.startswith("/") or name.endswith(("/", ".")):
        return "a branch name must not contain '..' or '//', nor start or end with '/' or '.'"
    if any(ch in _FORBIDDEN or ord(ch) < 0x20 for ch in name):
        return "a branch name must not contain spaces, control characters or ~^:?*[\\"
    for part in name.split("/"):
        if part.startswith(".") or part.endswith(".lock"):
            return "no part of a branch name may start with '.' or end with '.lock'"
    return None


def validate_size(value: str) -> str | None:
    """Property validator: a size such as 512m, 2g or a number of bytes."""
    if re.match(r"^\d+\s*[kKmMgG]?[bB]?$", value.strip()):
        return None
    return "expected a size such as 512m or 2g"


def validate_env_name(value: str) -> str | None:
    """Property validator: accept an environment variable name."""
    return None if is_env_key(value) else "expected a name like GIT_REV"


def validate_source_image(value: str) -> str | None:
    """Property validator: an image reference (`name[:tag]`, `name@sha256:...`)."""
    from pydokku.plugins.git.image_source import IMAGE_RE

    if IMAGE_RE.match(value) and ".." not in value:
        return None
    return "expected an image reference such as registry/name:tag"


def record_deploy_source(conn: sqlite3.Connection, app: str, kind: str, detail: str) -> None:
    """Record where the app's code came from (apps:report), inside the caller's transaction.

    As Dokku's deploy-source-set trigger: `source-image` keeps the image of an image
    deploy (`docker-image*` kinds) and is cleared by every other kind of deploy.
    """
    properties.store(conn, "apps", app, "deploy-source", kind)
    properties.store(conn, "apps", app, "deploy-source-metadata", detail)
    image = detail if kind.startswith("docker-image") else None
    if properties.get(PLUGIN, app, "source-image", conn) != image:
        properties.store(conn, PLUGIN, app, "source-image", image)


SPECS = [
    properties.PropertySpec("deploy-branch", DEFAULT_BRANCH, branch_problem),
    properties.PropertySpec("keep-git-dir", "false", properties.validate_bool),
    properties.PropertySpec("rev-env-var", "GIT_REV", validate_env_name),
    properties.PropertySpec("archive-max-size", "1073741824", validate_size),  # Dokku: 1 GiB
    properties.PropertySpec("archive-max-files", "10000", properties.validate_positive_int),
    # Dokku: the image `git:from-image` deployed; app only, reported raw.
    properties.PropertySpec(
        "source-image", "", validate_source_image, app_only=True, computed_row=False
    ),
]


def configured_branch(app: str) -> str:
    """Return the deploy branch set for the app or globally, or '' when none is."""
    return properties.resolve(PLUGIN, app, "deploy-branch", "")


def deploy_branch(app: str) -> str:
    """Return the app's effective deploy branch (app, global, else master)."""
    return configured_branch(app) or DEFAULT_BRANCH


def store_deploy_branch(app: str, branch: str) -> None:
    """Record `branch` as the app's own deploy branch."""
    with state.transaction() as conn:
        properties.store(conn, PLUGIN, app, "deploy-branch", branch)


def keep_git_dir(app: str) -> bool:
    """Tell whether builds of the app get the repo's `.git` directory."""
    return properties.resolve(PLUGIN, app, "keep-git-dir", "false") == "true"


def report_rows(scope: str) -> list[tuple[str, str]]:
    """Return the computed git rows of an app: its deploy branch head and when it moved."""
    if scope == GLOBAL_SCOPE:
        return []
    from pydokku.plugins.git import repo

    branch = deploy_branch(scope)
    return [
        ("sha", repo.branch_head(scope, branch)),
        ("last-updated-at", repo.last_updated_at(scope, branch)),
    ]
