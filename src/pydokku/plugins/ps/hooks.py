"""Hook implementations of the ps plugin."""

from __future__ import annotations

from pydokku.hookspecs import hookimpl
from pydokku.report import ReportSection


@hookimpl
def report(app: str) -> ReportSection:
    """Report the processes of an app."""
    from pydokku.plugins.ps.commands import report_section

    return report_section(app)
