"""Hook implementations of the docker-local scheduler."""

from __future__ import annotations

from pydokku.hookspecs import hookimpl
from pydokku.report import ReportSection
from pydokku.strategies import Scheduler


@hookimpl
def schedulers() -> dict[str, Scheduler]:
    """Offer the docker-local scheduler."""
    from pydokku.plugins.scheduler_docker_local.logic import DockerLocalScheduler

    return {"docker-local": DockerLocalScheduler()}


@hookimpl
def report(app: str) -> ReportSection:
    """Report the scheduler settings of an app."""
    from pydokku.plugins.scheduler_docker_local.commands import report_section

    return report_section(app)
