"""Choosing a builder for an app: the one set with `builder:set`, else detection."""

from __future__ import annotations

from pathlib import Path

from pydokku import properties, sourcetree, state
from pydokku.errors import DokkuError
from pydokku.strategies import Builder, get_builder
from pydokku.validation import relative_path_problem

PLUGIN = "builder"
# Like Dokku: an explicit `builder:set selected` wins, then a Dockerfile, then the auto builder.
DETECTION_ORDER = ("dockerfile", "auto")
NETWORK_KEY = "build-network"
NETWORKS = ("isolated", "host", "none")
DEFAULT_NETWORK = "isolated"
# Every builder Dokku 0.38 ships (plugins/builder-*): `builder:set selected` accepts each,
# and a deploy refuses, naming it, those no plugin on this host offers.
DOKKU_BUILDERS = ("dockerfile", "herokuish", "lambda", "nixpacks", "null", "pack", "railpack")


def build_dir(app: str, source: Path) -> Path:
    """Return the directory to build: the source, or its `build-dir` subdirectory."""
    sub = properties.resolve(PLUGIN, app, "build-dir", "")
    if not sub:
        return source
    path = sourcetree.resolve(source, sub, f"build-dir {sub}")
    if not path.is_dir():
        raise DokkuError(f"build-dir {sub!r} is not a directory of the pushed source")
    return path


def select_builder(app: str, source: Path) -> Builder:
    """Return the selected builder, or the first that detects the source."""
    selected = properties.resolve(PLUGIN, app, "selected", "")
    if selected:
        if selected not in available_builders():
            raise DokkuError(unavailable_message(app, selected))
        builder = get_builder(selected)
        record_detected(app, builder.name)
        return builder
    looked_for: list[str] = []
    for name in DETECTION_ORDER:
        try:
            builder = get_builder(name)
        except DokkuError:  # a builder plugin that is not installed
            continue
        if builder.detect(app, source):
            record_detected(app, builder.name)
            return builder
        looked_for.append(getattr(builder, "looks_for", "") or name)
    raise DokkuError(
        f"No builder detected for this app: looked for {'; '.join(looked_for)}. "
        f"Add one of these, or choose a builder with `dokku builder:set {app} selected NAME`"
    )


def record_detected(app: str, builder: str, **details: str) -> None:
    """Remember which builder (and what it detected) built the app, for `builder:report`."""
    values = {"detected": builder, **{k.replace("_", "-"): v for k, v in details.items()}}
    changed = {k: v for k, v in values.items() if properties.get(PLUGIN, app, k) != v}
    if not changed:
        return
    with state.transaction() as conn:
        for key, value in changed.items():
            properties.store(conn, PLUGIN, app, key, value)


def detected(app: str) -> dict[str, str]:
    """Return what the last build of the app detected: builder, language, base image."""
    keys = ("detected", "detected-language", "base-image", "base-source")
    return {key: properties.get(PLUGIN, app, key) or "" for key in keys}


def available_builders() -> list[str]:
    """Return the names of every builder the installed plugins offer."""
    from pydokku.plugins.manager import hook

    names: set[str] = set()
    for offered in hook().builders():
        names.update(offered or {})
    return sorted(names)


def unavailable_message(app: str, name: str) -> str:
    """Say that the selected builder `name` cannot run on this host, and what can."""
    return (
        f"The {name} builder is selected for {app} (builder:set selected) but this host "
        f"cannot run it; it builds with: {', '.join(available_builders())}. Choose one with "
        f"`dokku builder:set {app} selected auto` (or unset it to detect)"
    )


def validate_selected(value: str) -> str | None:
    """Property validator: a builder Dokku knows or some plugin here offers (auto, ...)."""
    names = sorted({*available_builders(), *DOKKU_BUILDERS})
    return None if value in names else f"expected one of: {', '.join(names)}"


def skip_cleanup(app: str) -> bool:
    """Tell whether deploys of the app keep old images and containers (`skip-cleanup`)."""
    return properties.resolve(PLUGIN, app, "skip-cleanup", "false") == "true"


def validate_build_dir(value: str) -> str | None:
    """Property validator: a relative path inside the repo."""
    return relative_path_problem(value)


def build_network(app: str | None) -> str:
    """Return the network RUN steps of the app's builds use (`builder:set build-network`)."""
    value = properties.resolve(PLUGIN, app, NETWORK_KEY, DEFAULT_NETWORK)
    return value if value in NETWORKS else DEFAULT_NETWORK


def validate_network(value: str) -> str | None:
    """Property validator: isolated (BuildKit's sandbox network), host or none."""
    return None if value in NETWORKS else f"expected one of: {', '.join(NETWORKS)}"
