"""Hook implementations of the checks plugin."""

from __future__ import annotations

from pydokku.hookspecs import hookimpl
from pydokku.report import ReportSection


@hookimpl
def report(app: str) -> ReportSection:
    """Report the checks settings of an app."""
    from pydokku.plugins.checks.commands import report_section

    return report_section(app)
