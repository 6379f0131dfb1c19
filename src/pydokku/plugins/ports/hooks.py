"""Hook implementations of the ports plugin."""

from __future__ import annotations

from pydokku.hookspecs import hookimpl
from pydokku.report import ReportSection


@hookimpl
def post_app_clone_setup(old_app: str, new_app: str) -> None:
    """Give a clone the port mappings configured on the original app."""
    from pydokku.plugins.ports.logic import copy_mappings

    copy_mappings(old_app, new_app)


@hookimpl
def report(app: str) -> ReportSection:
    """Report an app's port maps."""
    from pydokku.plugins.ports.commands import report_section

    return report_section(app)
