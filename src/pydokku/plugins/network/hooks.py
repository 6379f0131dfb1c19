"""network hooks: initial and attach networks as container options; post-deploy attaches."""

from __future__ import annotations

from typing import Any

from pydokku.hookspecs import hookimpl


@hookimpl
def docker_args_deploy(app: str, process: str) -> dict[str, Any]:
    """Return a deploy container's initial network, attach-post-create networks and aliases."""
    from pydokku.plugins.network.logic import container_options

    return container_options(app, process, "deploy")


@hookimpl
def docker_args_run(app: str, process: str) -> dict[str, Any]:
    """Return a one-off container's initial network and attach-post-create networks."""
    from pydokku.plugins.network.logic import container_options

    return container_options(app, process, "run")


@hookimpl
def core_post_deploy(app: str, containers: list[str]) -> None:
    """Join checked deploy containers to the app's attach-post-deploy networks."""
    from pydokku.plugins.network.networks import attach_post_deploy

    attach_post_deploy(app, containers)
