"""Creating app containers: one create, the extra networks joined, then start."""

from __future__ import annotations

from pydokku import engine as core
from pydokku.errors import DokkuError

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from typing import Any


def start_app_container(
    name: str | None,
    image: str,
    command: list[str] | None,
    *,
    env: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
    options: dict[str, Any] | None = None,
    start: bool = True,
) -> Any:
    """Create a container on the project's network, join its extra networks, start it.

    `options["network"]` (an initial network) replaces the project's network at create;
    the project's network is then joined like the `networks` ones, so the proxy still
    reaches the container.
    """
    options = dict(options or {})
    env = {**(env or {}), **options.pop("environment", {})}  # docker-options -e win
    labels = {**options.pop("labels", {}), **(labels or {})}  # pydokku's own labels win
    network = options.pop("network", core.NETWORK)  # an initial network may replace ours...
    extra_networks = [n for n in options.pop("networks", []) if n != network]
    if network != core.NETWORK:  # ...but the proxy reaches containers on ours
        extra_networks.append(core.NETWORK)
    core.ensure_network()  # only ours is created on demand; others must exist
    try:
        raw = core.client().containers.create(
            image,
            command=command,
            name=name,
            environment=env,
            labels=labels,
            network=network,
            **options,
        )
        try:
            _join_networks(raw, extra_networks, labels)
            if start:
                raw.start()
        except BaseException:
            raw.remove(force=True)
            raise
    except core._errors().APIError as exc:
        reason = exc.explanation or exc
        raise DokkuError(f"Cannot start container {name or image}: {reason}") from exc
    except (TypeError, ValueError) as exc:  # the SDK refuses an option before any API call
        raise DokkuError(f"Cannot create container {name or image}: {exc}") from exc
    raw.reload()
    return raw


def _join_networks(raw: Any, networks: list[str], labels: dict[str, str]) -> None:
    """Attach extra networks with Dokku's alias `APP.PROCESS` (so peers can find it)."""
    app, process = labels.get(core.LABEL_APP), labels.get(core.LABEL_PROCESS)
    aliases = [f"{app}.{process}"] if app and process else None
    for name in networks:
        try:
            # Docker's default bridge takes no aliases (user-defined networks only).
            core.client().networks.get(name).connect(
                raw, aliases=None if name == "bridge" else aliases
            )
        except core._errors().NotFound as exc:
            raise DokkuError(f"Network {name} does not exist") from exc


def host_info() -> dict[str, Any]:
    """Return the engine's `docker info` (CPUs, memory, cgroup limit support, runtimes)."""
    try:
        return dict(core.client().info())
    except core._errors().APIError as exc:
        raise DokkuError(f"Cannot read the Docker engine's info: {exc}") from exc


def wait_container(name: str) -> int:
    """Wait until a container stops; return its exit code."""
    try:
        return int(core.client().containers.get(name).wait().get("StatusCode", 1))
    except core._errors().NotFound as exc:
        raise DokkuError(f"Container {name} does not exist") from exc
