"""The pre-receive step of a push: pick the deploy branch, build and deploy it.

Raising here makes the hook exit non-zero, so git rejects the whole push and
the deploy branch keeps its old commit.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pydokku import output, state
from pydokku.errors import DokkuError
from pydokku.plugins.apps.logic import require_app
from pydokku.plugins.git import extract, repo, settings

HEADS = "refs/heads/"


class RefUpdate:
    """One `old new ref` line git gives the pre-receive hook."""

    def __init__(self, old: str, new: str, ref: str) -> None:
        self.old = old
        self.new = new
        self.ref = ref

    @property
    def branch(self) -> str | None:
        """The branch name, or None for tags and other refs."""
        return self.ref.removeprefix(HEADS) if self.ref.startswith(HEADS) else None

    @property
    def deleted(self) -> bool:
        """Whether the push deletes the ref."""
        return set(self.new) == {"0"}


def parse_updates(lines: Iterable[str]) -> list[RefUpdate]:
    """Parse git's pre-receive input: one `OLDREV NEWREV REFNAME` per line."""
    updates = []
    for line in lines:
        words = line.split()
        if not words:
            continue
        if len(words) != 3:
            raise DokkuError(f"Unexpected pre-receive input: {line.strip()[:200]!r}")
        old, new, ref = words
        updates.append(RefUpdate(extract.validate_rev(old), extract.validate_rev(new), ref))
    return updates


def receive(app: str, updates: list[RefUpdate]) -> None:
    """Accept non-deploy refs as they are; build and deploy the deploy branch."""
    require_app(app)
    branch = choose_deploy_branch(app, updates)
    repo.point_head_at(app, branch)
    for update in updates:
        if update.branch != branch:
            _announce_other(app, update, branch)
        elif update.deleted:
            output.warn(f"Deleting the deploy branch {branch}: nothing deployed, the app runs on")
        else:
            deploy(app, update)


def choose_deploy_branch(app: str, updates: list[RefUpdate]) -> str:
    """Return the deploy branch; with none set, the first pushed branch becomes it.

    `master` wins when the push (or the repo) has it, as it was Dokku's default.
    """
    configured = settings.configured_branch(app)
    if configured:
        return configured
    pushed = [u.branch for u in updates if u.branch and not u.deleted]
    if not pushed:
        return settings.DEFAULT_BRANCH
    first = pushed[0]
    if settings.DEFAULT_BRANCH in pushed or settings.DEFAULT_BRANCH in repo.branches(app):
        first = settings.DEFAULT_BRANCH
    settings.store_deploy_branch(app, first)
    output.step(
        f"Setting the deploy branch of {app} to {first} (the first branch pushed); "
        f"pushes to other branches will not deploy. Change it with: "
        f"dokku git:set {app} deploy-branch BRANCH"
    )
    return first


def deploy(app: str, update: RefUpdate, origin: str = "git-hook") -> None:
    """Build the pushed revision of the deploy branch and deploy it (recorded as a build)."""
    from pydokku.plugins.builds.record import recording
    from pydokku.plugins.manager import hook

    hook().git_pre_receive(app=app, rev=update.new, ref=update.ref)
    output.step(f"Deploying {app} from {update.branch} at {update.new[:7]}")
    with recording(app, origin), _source(app, update) as source:
        _deploy_function()(app, source, update.new)
    with state.transaction() as conn:
        settings.record_deploy_source(conn, app, "git-push", update.new)


@contextmanager
def _source(app: str, update: RefUpdate) -> Iterator[Path]:
    """Yield the pushed tree: in the app's build source directory, under the deploy lock
    (the deploy takes it again), or in a temporary clone with `keep-git-dir`."""
    from pydokku.plugins.deploy.lock import deploy_lock

    app_repo = repo.repo_path(app)
    if settings.keep_git_dir(app):
        with tempfile.TemporaryDirectory(prefix=f"pydokku-{app}-") as scratch:
            source = Path(scratch) / "source"
            branch = update.branch or settings.DEFAULT_BRANCH
            yield extract.extract(app_repo, update.new, source, branch=branch, keep_git_dir=True)
        return
    with deploy_lock(app):
        yield extract.refresh(app_repo, update.new, extract.build_source(app_repo))


def _deploy_function() -> Callable[[str, Path, str], object]:
    try:
        from pydokku.plugins.deploy.logic import deploy_from_source
    except ImportError as exc:
        raise DokkuError(f"Cannot deploy: the deploy plugin is unavailable ({exc})") from exc
    return deploy_from_source


def _announce_other(app: str, update: RefUpdate, deploy_branch: str) -> None:
    name, note = update.branch, f"(deploy branch: {deploy_branch})"
    if update.deleted:
        output.step(f"Deleted the non-deploy branch {name}" if name else f"Deleted {update.ref}")
    elif name is None:
        output.step(f"Pushed {update.ref}; not deploying {note}")
    else:
        output.step(f"Pushed to the non-deploy branch {name}; not deploying {note}")
        output.verbose(f"To deploy {name} from now on: dokku git:set {app} deploy-branch {name}")
