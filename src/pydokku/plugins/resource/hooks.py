"""resource hooks: effective limits and reservations as container and build options."""

from __future__ import annotations

from typing import Any

from pydokku.hookspecs import hookimpl


def _container(app: str, process: str) -> dict[str, Any]:
    from pydokku.plugins.resource import host, logic

    limits = logic.effective(app, process, "limit")
    reservations = logic.effective(app, process, "reserve")
    return host.container_options(limits, reservations)


@hookimpl
def docker_args_deploy(app: str, process: str) -> dict[str, Any]:
    """Return the limits of a deploy container's process type."""
    return _container(app, process)


@hookimpl
def docker_args_run(app: str, process: str) -> dict[str, Any]:
    """Return the limits of a one-off container (process type run, cron or release)."""
    return _container(app, process)


@hookimpl
def docker_args_build(app: str) -> dict[str, Any]:
    """Return the limits set for the `build` process type."""
    from pydokku.plugins.resource import host, logic

    return host.build_options(logic.effective(app, logic.BUILD_PROCESS, "limit"))
