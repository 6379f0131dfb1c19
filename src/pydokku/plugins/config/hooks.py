"""Hook implementations of the config plugin."""

from __future__ import annotations

from pydokku.hookspecs import hookimpl
from pydokku.report import ReportSection


@hookimpl
def report(app: str) -> ReportSection:
    """Report which config vars an app has."""
    from pydokku.plugins.config.commands import report_section

    return report_section(app)
