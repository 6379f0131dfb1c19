"""Hook implementations of the app-json plugin."""

from __future__ import annotations

from pydokku.hookspecs import hookimpl
from pydokku.report import ReportSection


@hookimpl
def report(app: str) -> ReportSection:
    """Report where the app's app.json is read from."""
    from pydokku.plugins.app_json.commands import report_section

    return report_section(app)
