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
    reaches the container. `options["network_aliases"]` replaces the default aliases
    (`network_aliases(labels)`) on the other networks; `own_network_aliases` gives them
    on pydokku's network too (service containers, which linked apps find there).
    """
    options = dict(options or {})
    env = {**(env or {}), **options.pop("environment", {})}  # docker-options -e win
    labels = {**options.pop("labels", {}), **(labels or {})}  # pydokku's own labels win
    network = options.pop("network", core.NETWORK)  # an initial network may replace ours...
    extra_networks = [n for n in options.pop("networks", []) if n != network]
    aliases = list(options.pop("network_aliases", None) or network_aliases(labels))
    own_aliases = options.pop("own_network_aliases", False)  # services: linked apps use them
    if network != core.NETWORK:  # ...but the proxy reaches containers on ours
        extra_networks.append(core.NETWORK)
        _require_network(network)
        options["networking_config"] = _endpoint(network, aliases)
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
            _join_networks(raw, list(dict.fromkeys(extra_networks)), aliases, own_aliases)
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


def network_aliases(labels: dict[str, str], tld: str = "") -> list[str]:
    """Return Dokku's DNS alias of an app container on extra networks: `APP.PROCESS[.TLD]`."""
    app, process = labels.get(core.LABEL_APP), labels.get(core.LABEL_PROCESS)
    if not (app and process):
        return []
    return [f"{app}.{process}.{tld}" if tld else f"{app}.{process}"]


def _require_network(name: str) -> None:
    """Refuse a missing initial network before a container is made (its create would fail)."""
    if not core.client().networks.list(names=[name]):
        raise DokkuError(f"Network {name} does not exist (create it with network:create {name})")


def _endpoint(network: str, aliases: list[str]) -> dict[str, Any]:
    config = core.client().api.create_endpoint_config(
        aliases=aliases if aliases and network != "bridge" else None
    )
    return {network: config}


def _join_networks(raw: Any, networks: list[str], aliases: list[str], own: bool) -> None:
    """Attach extra networks with the aliases; pydokku's own network gets none unless `own`.

    On pydokku's network every app meets nginx, not each other: an `APP.PROCESS` alias
    there would let any app find any other by name.
    """
    from pydokku.engine.networks import connect

    for name in networks:
        connect(raw.id, name, aliases if own or name != core.NETWORK else None)


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
