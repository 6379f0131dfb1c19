"""Registry or offline: where the auto builder's base images come from.

`builder-auto:set APP|--global base-images auto|registry|offline`. With `auto`
(the default) the Docker engine is asked, with a short timeout, whether it can
reach Docker Hub; the answer is cached in the lib root for a while, so builds and
reports do not wait on the network.
"""

from __future__ import annotations

import json
import os
import time

from pydokku import paths, properties

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from pydokku.plugins.builder_auto.plan import Base

PLUGIN = "builder-auto"
KEY = "base-images"
REGISTRY, OFFLINE = "registry", "offline"  # as in plan.py, which `builder-auto:set` need not load
MODES = ("auto", REGISTRY, OFFLINE)
PROBE_IMAGE = "docker.io/library/busybox:stable"
PROBE_TIMEOUT_S = 3.0
TTL_REACHABLE_S = 3600
TTL_UNREACHABLE_S = 600


def validate_mode(value: str) -> str | None:
    """Property validator: auto, registry or offline."""
    return None if value in MODES else f"expected one of: {', '.join(MODES)}"


def configured_mode(app: str) -> str:
    """Return the app's `base-images` setting (auto unless set)."""
    return properties.resolve(PLUGIN, app, KEY, "auto")


def choose(app: str) -> tuple[Base, str]:
    """Return the base images for the app's builds and why they were chosen."""
    from pydokku.plugins.builder_auto.plan import Base

    mode = configured_mode(app)
    if mode != "auto":
        return Base(mode), f"base-images {mode}"
    reachable, _ = registry_status()
    if reachable:
        return Base(REGISTRY), "a registry is reachable"
    # Not an error: offline hosts build from the image install.sh made (details: report).
    return Base(OFFLINE), "built on this host, as no registry is in reach"


def _cache_path() -> os.PathLike[str]:
    return paths.lib_root() / "data" / "builder-auto" / "registry-probe.json"


def cached_probe(now: float | None = None) -> dict[str, object] | None:
    """Return the cached probe result if still fresh, else None."""
    try:
        with open(_cache_path(), encoding="utf-8") as handle:
            found = json.load(handle)
    except (OSError, ValueError):
        return None
    if not isinstance(found, dict):
        return None
    age = (now or time.time()) - float(found.get("at", 0))
    ttl = TTL_REACHABLE_S if found.get("reachable") else TTL_UNREACHABLE_S
    return found if 0 <= age < ttl else None


def registry_status(*, refresh: bool = False) -> tuple[bool, str]:
    """Return whether the engine reaches Docker Hub (cached) and a short explanation."""
    found = None if refresh else cached_probe()
    if found is None:
        from pydokku import engine

        engine.client()  # no engine at all is an error here, not an unreachable registry
        problem = engine.registry_problem(PROBE_IMAGE, timeout=PROBE_TIMEOUT_S)
        found = {"reachable": problem is None, "detail": (problem or "")[:300], "at": time.time()}
        _store(found)
    return bool(found["reachable"]), str(found.get("detail", ""))


def _store(found: dict[str, object]) -> None:
    path = _cache_path()
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        temp = f"{os.fspath(path)}.{os.getpid()}"
        with open(temp, "w", encoding="utf-8") as handle:
            json.dump(found, handle)
        os.replace(temp, path)
    except OSError:
        pass  # a read-only lib root only costs another probe next time
