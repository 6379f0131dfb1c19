"""Hook implementations of the releases plugin."""

from __future__ import annotations

from pydokku.hookspecs import hookimpl
from pydokku.release import Release
from pydokku.report import ReportSection


@hookimpl
def post_deploy(release: Release) -> None:
    """Prune images of releases beyond the kept number after each deploy."""
    from pydokku.plugins.releases.logic import prune

    prune(release.app)


@hookimpl
def report(app: str) -> ReportSection:
    """Report the release settings of an app."""
    from pydokku.plugins.releases.commands import report_section

    return report_section(app)
