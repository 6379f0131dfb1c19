"""Hook implementations every datastore plugin shares, bound to its ServiceType."""

from __future__ import annotations

from pydokku.hookspecs import hookimpl
from pydokku.report import ReportSection
from pydokku.services.spec import ServiceType


class ServiceHooks:
    """The hooks of one datastore plugin; its hooks module re-exports the bound methods."""

    def __init__(self, service: ServiceType) -> None:
        self.service = service

    @hookimpl
    def pre_start(self, app: str) -> None:
        """Start the services linked to an app, and wait for them, before the app starts."""
        from pydokku.services.links import start_linked

        start_linked(self.service, app)

    @hookimpl
    def post_app_clone_setup(self, old_app: str, new_app: str) -> None:
        """Give a cloned app the service links of the original (its config came along)."""
        from pydokku.services.store import copy_links

        copy_links(self.service, old_app, new_app)

    @hookimpl
    def report(self, app: str) -> ReportSection:
        """Report the services linked to an app."""
        from pydokku.services.info import app_section

        return app_section(self.service, app)
