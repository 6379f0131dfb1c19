"""Hook implementations of the certs plugin."""

from __future__ import annotations

from pydokku.hookspecs import hookimpl
from pydokku.report import ReportSection


@hookimpl
def report(app: str) -> ReportSection:
    """Report an app's certificate."""
    from pydokku.plugins.certs.commands import report_section

    return report_section(app)
