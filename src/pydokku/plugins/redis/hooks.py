"""Hook implementations of the redis plugin (shared with every datastore)."""

from __future__ import annotations

from pydokku.hookspecs import hookimpl
from pydokku.plugins.redis import SERVICE
from pydokku.report import ReportSection


@hookimpl
def pre_start(app: str) -> None:
    """Start the Redis services linked to an app, and wait for them, before the app starts."""
    from pydokku.services.links import start_linked

    start_linked(SERVICE, app)


@hookimpl
def post_app_clone_setup(old_app: str, new_app: str) -> None:
    """Give a cloned app the Redis links of the original (its config came along)."""
    from pydokku.services.store import copy_links

    copy_links(SERVICE, old_app, new_app)


@hookimpl
def report(app: str) -> ReportSection:
    """Report the Redis services linked to an app."""
    from pydokku.services.info import app_section

    return app_section(SERVICE, app)
