"""Hook implementations of the proxy plugin."""

from __future__ import annotations

from pydokku.hookspecs import hookimpl
from pydokku.report import ReportSection
from pydokku.validation import GLOBAL_SCOPE


@hookimpl
def post_domains_update(app: str, action: str, domains: list[str]) -> None:
    """Rebuild the proxy config of a running app whose domains changed."""
    if app == GLOBAL_SCOPE:
        return  # global domains only shape apps created later
    from pydokku.plugins.proxy.logic import rebuild_if_running

    rebuild_if_running(app)


@hookimpl
def report(app: str) -> ReportSection:
    """Report whether the app's proxy is enabled and which one it is."""
    from pydokku.plugins.proxy.commands import report_section

    return report_section(app)
