"""Hook implementations of the builds plugin: start and stage of the build being recorded."""

from __future__ import annotations

from pydokku.hookspecs import hookimpl
from pydokku.release import Release
from pydokku.report import ReportSection


@hookimpl
def pre_build(app: str, source: str) -> None:
    """Create the build record: the lock is held and the pushed files were accepted."""
    from pydokku.plugins.builds.record import active

    rec = active(app)
    if rec is not None:
        rec.persist()


@hookimpl
def pre_deploy(release: Release) -> None:
    """Mark the build as switching containers (a cancel is refused from here on)."""
    from pydokku.plugins.builds.record import active

    rec = active(release.app)
    if rec is not None:
        rec.switching()


@hookimpl
def post_delete(app: str) -> None:
    """Remove the app's build output files."""
    from pydokku.plugins.builds.store import remove_all

    remove_all(app)


@hookimpl
def post_app_rename(old_app: str, new_app: str) -> None:
    """Move the build output files to the new name."""
    from pydokku.plugins.builds.store import log_path

    old = log_path(old_app, "x").parent
    if old.exists():
        old.rename(log_path(new_app, "x").parent)


@hookimpl
def report(app: str) -> ReportSection:
    """Report the app's build retention."""
    from pydokku.plugins.builds.commands import report_section

    return report_section(app)
