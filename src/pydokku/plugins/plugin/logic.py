"""What plugins are installed, and which third-party ones are disabled."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata

from pydokku import __version__, properties, state
from pydokku.errors import DokkuError
from pydokku.plugins import DEFAULT_PLUGINS, plugin_module
from pydokku.plugins.manager import ENTRY_POINT_GROUP
from pydokku.validation import GLOBAL_SCOPE

PLUGIN = "plugin"


@dataclass
class PluginInfo:
    """One installed plugin."""

    name: str
    version: str
    enabled: bool
    description: str
    builtin: bool


def disabled_plugins() -> list[str]:
    """Return the names of the third-party plugins turned off by `plugin:disable`."""
    value = properties.get(PLUGIN, GLOBAL_SCOPE, "disabled") or ""
    return [name for name in value.split(",") if name]


def installed() -> list[PluginInfo]:
    """Return built-in plugins, then every plugin installed under the entry-point group."""
    found = [
        PluginInfo(name, __version__, True, _summary(plugin_module(name, "__init__")), True)
        for name in DEFAULT_PLUGINS
    ]
    disabled = disabled_plugins()
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist
        version = dist.version if dist else ""
        summary = (dist.metadata["Summary"] or "") if dist else ""
        found.append(PluginInfo(ep.name, version, ep.name not in disabled, summary, False))
    return found


def set_enabled(name: str, enabled: bool) -> None:
    """Enable or disable a third-party plugin by name."""
    info = next((p for p in installed() if p.name == name), None)
    if info is None:
        raise DokkuError(f"Plugin {name} is not installed")
    if info.builtin:
        raise DokkuError(f"Plugin {name} is built in and cannot be disabled")
    names = [n for n in disabled_plugins() if n != name]
    if not enabled:
        names.append(name)
    with state.transaction() as conn:
        properties.store(conn, PLUGIN, GLOBAL_SCOPE, "disabled", ",".join(sorted(names)))


def _summary(module: object) -> str:
    doc = getattr(module, "__doc__", None) or ""
    return doc.strip().splitlines()[0].rstrip(".") if doc.strip() else ""
