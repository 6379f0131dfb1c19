"""The pluggy plugin manager: built-in plugins first, then third-party entry points."""

from __future__ import annotations

import functools
import importlib

from pydokku.plugins import DEFAULT_PLUGINS, plugin_module

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    import pluggy

ENTRY_POINT_GROUP = "pydokku.plugins"


@functools.cache
def get_manager() -> pluggy.PluginManager:
    """Return the process-wide plugin manager, building it on first use."""
    import pluggy

    from pydokku import hookspecs

    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    for plugin in DEFAULT_PLUGINS:
        module = plugin_module(plugin, "hooks") or importlib.import_module(
            f"pydokku.plugins.{plugin}"
        )
        manager.register(module, name=f"pydokku.{plugin}")
    from pydokku.errors import DokkuError
    from pydokku.plugins.plugin.logic import disabled_plugins

    try:
        for name in disabled_plugins():
            manager.set_blocked(name)
    except DokkuError:
        pass  # no readable store (e.g. `help` before install): nothing is disabled yet
    manager.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    return manager


def has_third_party_plugins() -> bool:
    """Tell whether an installed distribution declares a `pydokku.plugins` entry point.

    Reads the `entry_points.txt` files on sys.path itself: importlib.metadata alone takes
    ~40 ms to import, more than the SSH commands this check lets skip the manager.
    """
    import os
    import sys

    header = f"[{ENTRY_POINT_GROUP}]"
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            try:
                with open(os.path.join(entry, name, "entry_points.txt"), encoding="utf-8") as f:
                    if header in f.read():
                        return True
            except OSError:
                continue
    return False


def hook() -> pluggy.HookRelay:
    """Return the hook caller: `hook().post_create(app=...)`."""
    return get_manager().hook


def is_builtin(name: str) -> bool:
    """Tell whether a registered plugin name belongs to a built-in plugin."""
    return name.startswith("pydokku.") and name.removeprefix("pydokku.") in DEFAULT_PLUGINS
