"""Hook implementations of the releases plugin."""

from __future__ import annotations

from pydokku.hookspecs import hookimpl
from pydokku.release import Release
from pydokku.report import ReportSection


@hookimpl
def post_deploy(release: Release) -> None:
    """Prune images of releases beyond the kept number after each deploy.

    As Dokku, `builder:set APP skip-cleanup true` keeps them (and says so).
    """
    from pydokku import output
    from pydokku.plugins.builder.logic import skip_cleanup
    from pydokku.plugins.releases.logic import prune

    if skip_cleanup(release.app):
        output.step("DOKKU_SKIP_CLEANUP set. Skipping dokku cleanup")
        return
    prune(release.app)


@hookimpl
def report(app: str) -> ReportSection:
    """Report the release settings of an app."""
    from pydokku.plugins.releases.commands import report_section

    return report_section(app)
