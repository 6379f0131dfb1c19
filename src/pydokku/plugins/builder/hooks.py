"""Hook implementations of the builder plugin."""

from __future__ import annotations

from pydokku.hookspecs import hookimpl
from pydokku.report import ReportSection
from pydokku.strategies import Builder


@hookimpl
def builders() -> dict[str, Builder]:
    """Offer the Dockerfile builder and the null builder."""
    from pydokku.plugins.builder.dockerfile import DockerfileBuilder
    from pydokku.plugins.builder.null import NullBuilder

    return {"dockerfile": DockerfileBuilder(), "null": NullBuilder()}


@hookimpl
def report(app: str) -> ReportSection:
    """Report the builder settings of an app."""
    from pydokku.plugins.builder.commands import report_section

    return report_section(app)
