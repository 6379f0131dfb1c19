"""Hook implementations of the auto builder plugin."""

from __future__ import annotations

from pydokku.hookspecs import hookimpl
from pydokku.report import ReportSection
from pydokku.strategies import Builder


@hookimpl
def builders() -> dict[str, Builder]:
    """Offer the auto builder."""
    from pydokku.plugins.builder_auto.builder import AutoBuilder

    return {"auto": AutoBuilder()}


@hookimpl
def report(app: str) -> ReportSection:
    """Report the auto builder's settings and base image source for an app."""
    from pydokku.plugins.builder_auto.commands import report_section

    return report_section(app)
