"""Hook implementations of the config plugin."""

from __future__ import annotations

from pydokku.hookspecs import hookimpl
from pydokku.report import ReportSection


@hookimpl
def install() -> None:
    """Seal secrets stored in clear and make secret-holding files owner-only."""
    from pydokku.plugins.config import secure_files

    secure_files.secure_host()


@hookimpl
def report(app: str) -> ReportSection:
    """Report which config vars an app has."""
    from pydokku.plugins.config.commands import report_section

    return report_section(app)
