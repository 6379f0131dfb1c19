"""Docker networks as `network:*` shows and changes them, and syncing app containers to settings."""

from __future__ import annotations

from pydokku import engine, output
from pydokku.errors import DokkuError
from pydokku.plugins.network import logic

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from typing import Any


def describe(attrs: dict[str, Any]) -> dict[str, Any]:
    """Return Dokku's JSON view of a network (`network:info|list --format json`)."""
    labels = dict(attrs.get("Labels") or {})
    return {
        "CreatedAt": attrs.get("Created", ""),
        "DokkuManaged": logic.MANAGED_LABEL in labels,
        "Driver": attrs.get("Driver", ""),
        "ID": str(attrs.get("Id", ""))[:12],
        "Internal": bool(attrs.get("Internal")),
        "IPv6": bool(attrs.get("EnableIPv6")),
        "Labels": labels,
        "Name": attrs.get("Name", ""),
        "Scope": attrs.get("Scope", ""),
    }


def all_networks(managed_only: bool = False) -> list[dict[str, Any]]:
    """Return every network (or only those `network:create` made), by name."""
    found = [describe(a) for a in engine.list_networks()]
    found.sort(key=lambda n: n["Name"])
    return [n for n in found if n["DokkuManaged"] or not managed_only]


def info(name: str) -> dict[str, Any]:
    """Return one network's JSON view, or raise when it does not exist."""
    logic.validate_network_name(name)
    attrs = engine.network_attrs(name)
    if attrs is None:
        raise DokkuError("Network does not exist")
    return describe(attrs)


def exists(name: str) -> bool:
    """Tell whether a network exists."""
    logic.validate_network_name(name)
    return engine.network_attrs(name) is not None


def create(name: str) -> None:
    """Create an attachable bridge network labelled as pydokku's."""
    logic.validate_network_name(name)
    if engine.network_attrs(name) is not None:
        raise DokkuError(f"Unable to create network: network with name {name} already exists")
    engine.create_network(name, {logic.MANAGED_LABEL: name})


def check_destroyable(name: str) -> None:
    """Refuse to destroy a network pydokku did not create, or one still in use."""
    attrs = engine.network_attrs(logic.validate_network_name(name))
    if attrs is None:
        raise DokkuError("Network does not exist")
    if logic.MANAGED_LABEL not in (attrs.get("Labels") or {}):
        raise DokkuError(f"Network {name} was not created by network:create; remove it with docker")
    users = sorted(c.get("Name", cid[:12]) for cid, c in (attrs.get("Containers") or {}).items())
    if users:
        raise DokkuError(f"Network {name} is in use by containers: {', '.join(users)}")
    settings = logic.apps_using(name)
    if settings:
        raise DokkuError(f"Network {name} is in use by app settings: {', '.join(settings)}")


def destroy(name: str) -> None:
    """Remove a network `network:create` made, if no container or app setting uses it."""
    check_destroyable(name)
    engine.remove_network(name)


def rebuild(app: str) -> int:
    """Bring the app's running containers in line with its settings; return containers changed.

    Missing attach networks are joined (with the aliases), and joined again where the
    aliases changed (`tld`); networks made by `network:create` that no setting or
    docker-option names any more are left.
    """
    from pydokku import dockerargs
    from pydokku.plugins.scheduler_docker_local.logic import live_containers

    changed = 0
    for info in live_containers(app):
        process = info.labels.get(engine.LABEL_PROCESS, "")
        options = dockerargs.container_options("deploy", app, process)
        wanted = [engine.NETWORK, options.get("network", engine.NETWORK)]
        wanted += options.get("networks", []) + logic.attach_networks(app, "attach-post-deploy")
        changed += _sync(info.name, list(dict.fromkeys(wanted)), logic.aliases(app, process))
    return changed


def _sync(container: str, wanted: list[str], aliases: list[str]) -> int:
    current = engine.container_networks(container)
    managed = {n["Name"] for n in all_networks(managed_only=True)}
    stale = [  # joined with other aliases (a changed tld): joined again
        n
        for n in wanted
        if n in current
        and n not in (engine.NETWORK, "bridge")
        and not set(aliases) <= set(current[n])
    ]
    joined = [n for n in wanted if n not in current or n in stale]
    left = [n for n in current if (n in managed and n not in wanted) or n in stale]
    for name in left:
        output.verbose(f"Detaching {container} from network {name}")
        engine.disconnect_network(container, name)
    for name in joined:
        output.verbose(f"Attaching {container} to network {name}")
        engine.connect_network(container, name, None if name == engine.NETWORK else aliases)
    return int(bool(joined or left))


def attach_post_deploy(app: str, containers: list[str]) -> None:
    """Join new deploy containers to the app's `attach-post-deploy` networks."""
    networks = logic.attach_networks(app, "attach-post-deploy")
    for name in networks:
        output.step(f"Associating app with network {name}")
        for container in containers:
            info = engine.container(container)
            process = info.labels.get(engine.LABEL_PROCESS, "") if info else ""
            if name not in engine.container_networks(container):
                engine.connect_network(container, name, logic.aliases(app, process))
