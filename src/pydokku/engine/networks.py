"""The Docker engine adapter, part three: Docker networks and which containers are on them.

Re-exported by `pydokku.engine`; call these through that module.
"""

from __future__ import annotations

import pydokku.engine as core
from pydokku.errors import DokkuError

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from typing import Any


def list_networks() -> list[dict[str, Any]]:
    """Return the raw attributes of every Docker network (`docker network inspect`)."""
    try:
        return [dict(n.attrs) for n in core.client().networks.list()]
    except core._errors().APIError as exc:
        raise DokkuError(f"Cannot list Docker networks: {exc.explanation or exc}") from exc


def network_attrs(name: str) -> dict[str, Any] | None:
    """Return one network's attributes, containers included, or None if it does not exist."""
    try:
        # `networks.get` resolves id prefixes too; only an exact name counts here.
        found = core.client().networks.get(name, verbose=True)
    except core._errors().NotFound:
        return None
    attrs = dict(found.attrs)
    return attrs if attrs.get("Name") == name else None


def create_network(name: str, labels: dict[str, str]) -> None:
    """Create an attachable bridge network."""
    try:
        core.client().networks.create(name, driver="bridge", attachable=True, labels=labels)
    except core._errors().APIError as exc:
        raise DokkuError(f"Unable to create network: {exc.explanation or exc}") from exc


def remove_network(name: str) -> None:
    """Remove a network (the engine refuses while containers are attached)."""
    try:
        core.client().networks.get(name).remove()
    except core._errors().NotFound as exc:
        raise DokkuError("Network does not exist") from exc
    except core._errors().APIError as exc:
        raise DokkuError(f"Unable to destroy network: {exc.explanation or exc}") from exc


def container_networks(container: str) -> dict[str, list[str]]:
    """Return the networks a container is attached to, with its aliases on each."""
    attrs = core.inspect_container(container)
    found = (attrs.get("NetworkSettings") or {}).get("Networks") or {}
    return {name: list((net or {}).get("Aliases") or []) for name, net in found.items()}


def connect(container: str, network: str, aliases: list[str] | None = None) -> None:
    """Attach a container (created or running) to a network, with DNS aliases."""
    try:
        net = core.client().networks.get(network)
    except core._errors().NotFound as exc:
        raise DokkuError(f"Network {network} does not exist") from exc
    try:
        # Docker's default bridge takes no aliases (user-defined networks only).
        net.connect(container, aliases=None if network == "bridge" else aliases or None)
    except core._errors().APIError as exc:
        reason = exc.explanation or exc
        raise DokkuError(f"Unable to attach {container} to network {network}: {reason}") from exc


def disconnect(container: str, network: str) -> None:
    """Detach a container from a network (nothing happens if it was not attached)."""
    try:
        core.client().networks.get(network).disconnect(container)
    except (core._errors().NotFound, core._errors().APIError):
        pass
