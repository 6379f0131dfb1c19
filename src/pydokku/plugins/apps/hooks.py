"""Hook implementations of the apps plugin."""

from __future__ import annotations

from pydokku.hookspecs import hookimpl
from pydokku.report import ReportSection


@hookimpl
def report(app: str) -> ReportSection:
    """Report an app's directory, creation time, deploy source and lock."""
    from pydokku.plugins.apps.commands import report_section

    return report_section(app)
