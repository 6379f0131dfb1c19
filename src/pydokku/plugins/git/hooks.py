"""Hook implementations of the git plugin."""

from __future__ import annotations

from pydokku import output
from pydokku.errors import DokkuError
from pydokku.hookspecs import hookimpl
from pydokku.report import ReportSection


@hookimpl
def post_create(app: str) -> None:
    """Make a new app's directory a bare repo with the deploy hook."""
    _initialize(app)


@hookimpl
def post_app_rename(old_app: str, new_app: str) -> None:
    """Rewrite the pre-receive hook of a renamed app (it names the app)."""
    _initialize(new_app)


@hookimpl
def report(app: str) -> ReportSection:
    """Report an app's deploy branch, its head and the git settings."""
    from pydokku.plugins.git.commands import report_section

    return report_section(app)


def _initialize(app: str) -> None:
    from pydokku.plugins.git import repo

    try:
        repo.initialize(app)
    except DokkuError as exc:
        output.warn(f"Could not initialize the git repo of {app}: {exc.message}")
        output.warn(f"Fix the cause, then run `dokku git:initialize {app}`")
