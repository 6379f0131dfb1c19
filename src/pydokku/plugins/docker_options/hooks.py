"""docker-options hooks: each phase's stored options, translated into SDK keywords."""

from __future__ import annotations

from typing import Any

from pydokku.hookspecs import hookimpl


def _options(app: str, phase: str, process: str | None) -> dict[str, Any]:
    from pydokku.dockerargs import translate
    from pydokku.plugins.docker_options.logic import effective

    return translate.translate(phase, effective(app, phase, process))


@hookimpl
def docker_args_build(app: str) -> dict[str, Any]:
    """Return the app's build-phase options."""
    return _options(app, "build", None)


@hookimpl
def docker_args_deploy(app: str, process: str) -> dict[str, Any]:
    """Return the app's deploy-phase options for a process type."""
    return _options(app, "deploy", process)


@hookimpl
def docker_args_run(app: str, process: str) -> dict[str, Any]:
    """Return the app's run-phase options (one-off, cron and release containers)."""
    return _options(app, "run", process)
