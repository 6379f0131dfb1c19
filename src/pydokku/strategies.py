"""Builders, schedulers and proxies: small interfaces looked up by name.

Plugins offer implementations through the `builders`, `schedulers` and
`proxies` hooks, so a Swarm scheduler or a Caddy proxy slots in without
touching the deploy pipeline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from pydokku import properties
from pydokku.errors import DokkuError

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from pydokku.release import Release


class Builder(Protocol):
    """Turns a source tree into an image."""

    name: str

    def detect(self, app: str, source: Path) -> bool:
        """Tell whether this builder applies to the app's source tree."""
        ...

    def build(self, app: str, source: Path, tags: list[str], env: dict[str, str]) -> str:
        """Build `source` into an image tagged `tags`; return the image id."""
        ...


class Watch(Protocol):
    """The part of a deploy a scheduler leaves to run after the command returns."""

    def start(self) -> None:
        """Start it (detached); called once the release is recorded."""
        ...


class Scheduler(Protocol):
    """Runs an app's processes."""

    name: str

    def deploy(self, release: Release, route: Callable[[], None] | None = None) -> Watch | None:
        """Start the release's processes, call `route` once they are ready, retire the old.

        May return a `Watch` of what is left (the end of the watch window) to start later.
        """
        ...

    def scale(self, release: Release, route: Callable[[], None] | None = None) -> None:
        """Bring the number of running processes in line with the release's formation."""
        ...

    def restart_process(
        self, release: Release, process: str, route: Callable[[], None] | None = None
    ) -> None:
        """Replace one process type's containers with fresh ones of the same release."""
        ...

    def stop(self, app: str) -> None:
        """Stop every process of the app (kept for `start`)."""
        ...

    def start(self, app: str) -> bool:
        """Start the app's stopped processes; return False if there were none."""
        ...

    def destroy(self, app: str) -> None:
        """Remove every container of the app."""
        ...

    def web_upstreams(self, app: str) -> list[str]:
        """Return the address (IP) of every running web process; ports come from the port map."""
        ...


class Proxy(Protocol):
    """Routes HTTP traffic to an app's web processes."""

    name: str

    def build_config(self, app: str) -> None:
        """Write, validate and activate the app's routing config."""
        ...

    def clear_config(self, app: str) -> None:
        """Remove the app's routing config."""
        ...


_SINGULAR = {"builders": "builder", "schedulers": "scheduler", "proxies": "proxy"}


def _lookup(kind: str, name: str) -> object:
    from pydokku.plugins.manager import hook

    found: dict[str, object] = {}
    for offered in reversed(getattr(hook(), kind)()):
        found.update(offered or {})
    if name not in found:
        available = ", ".join(sorted(found)) or "none"
        raise DokkuError(f"Unknown {_SINGULAR[kind]} {name!r}; available: {available}")
    return found[name]


def get_builder(name: str) -> Builder:
    """Return the builder called `name` (e.g. `dockerfile`)."""
    return _lookup("builders", name)  # type: ignore[return-value]


def get_scheduler(name: str) -> Scheduler:
    """Return the scheduler called `name` (e.g. `docker-local`)."""
    return _lookup("schedulers", name)  # type: ignore[return-value]


def get_proxy(name: str) -> Proxy:
    """Return the proxy called `name` (e.g. `nginx`)."""
    return _lookup("proxies", name)  # type: ignore[return-value]


def scheduler_for(app: str) -> Scheduler:
    """Return the scheduler selected for an app (`scheduler:set`, default docker-local)."""
    return get_scheduler(properties.resolve("scheduler", app, "selected", "docker-local"))


def proxy_for(app: str) -> Proxy:
    """Return the proxy selected for an app (`proxy:set type`, default nginx)."""
    return get_proxy(properties.resolve("proxy", app, "type", "nginx"))
