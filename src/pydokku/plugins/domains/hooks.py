"""Hook implementations of the domains plugin."""

from __future__ import annotations

from pydokku.hookspecs import hookimpl
from pydokku.report import ReportSection


@hookimpl
def post_create(app: str) -> None:
    """Give a new app its default domains (`APP.<global domain>`, or its own FQDN name)."""
    from pydokku.plugins.domains.logic import setup_defaults

    setup_defaults(app)


@hookimpl
def post_app_rename(old_app: str, new_app: str) -> None:
    """Rename the app's default domains along with the app."""
    from pydokku.plugins.domains.logic import rename_defaults

    rename_defaults(old_app, new_app)


@hookimpl
def report(app: str) -> ReportSection:
    """Report an app's domains and the global ones."""
    from pydokku.plugins.domains.commands import report_section

    return report_section(app)
