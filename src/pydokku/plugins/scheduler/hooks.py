"""Hook implementations of the scheduler plugin."""

from __future__ import annotations

from pydokku.hookspecs import hookimpl
from pydokku.report import ReportSection


@hookimpl
def report(app: str) -> ReportSection:
    """Report the scheduler selected for an app."""
    from pydokku.plugins.scheduler.commands import report_section

    return report_section(app)
