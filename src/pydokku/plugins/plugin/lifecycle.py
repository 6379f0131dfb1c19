"""plugin:install, plugin:uninstall and plugin:update of third-party plugin packages."""

from __future__ import annotations

from pydokku import output, properties, state
from pydokku.errors import DokkuError
from pydokku.plugins import DEFAULT_PLUGINS
from pydokku.plugins.manager import ENTRY_POINT_GROUP
from pydokku.plugins.plugin import logic, packages
from pydokku.validation import GLOBAL_SCOPE


def run_hook(name: str) -> None:
    """Run the `install` or `update` hook of every plugin, new packages included."""
    from pydokku.plugins.manager import get_manager

    get_manager.cache_clear()  # a fresh manager loads what pip just installed
    getattr(get_manager().hook, name)()


def install(
    source: str, *, name: str = "", committish: str = "", run_install: bool = True
) -> list[str]:
    """Install a plugin package; return the plugin names it added.

    A package that adds no `pydokku.plugins` entry point is removed again.
    """
    wanted = packages.parse_source(source, name=name, committish=committish)
    before = packages.entry_points()
    output.step(f"Installing plugin from {wanted.requirement}")
    installed = packages.pip_install(wanted)
    if not installed:
        raise DokkuError(f"{source} is already installed; run `dokku plugin:update` to upgrade it")
    after = packages.entry_points()
    added = sorted(p for p, dist in after.items() if dist in installed or p not in before)
    if not added:
        for dist in installed:
            if dist not in after.values():
                packages.pip_uninstall(dist)
        group = ENTRY_POINT_GROUP
        raise DokkuError(f"{source} is not a pydokku plugin (no {group} entry point)")
    clash = [p for p in added if p in DEFAULT_PLUGINS]
    if clash:
        output.warn(f"Plugin name {', '.join(clash)} is also a built-in plugin's")
    origin = {"source": source, "name": name, "committish": committish}
    for plugin in added:
        packages.remember(plugin, origin)
        output.verbose(f"Plugin {plugin} installed")
    if run_install:
        output.step("Running plugin install hooks")
        run_hook("install")
    return added


def _third_party(name: str) -> logic.PluginInfo:
    info = next((p for p in logic.installed() if p.name == name), None)
    if info is None:
        raise DokkuError(f"Plugin {name} is not installed")
    if info.builtin:
        raise DokkuError(f"Plugin {name} is a core plugin; update or remove pydokku instead")
    return info


def uninstall(name: str) -> None:
    """Run the plugin's `uninstall` hook, then remove its package and its records."""
    from pydokku.plugins.manager import hook

    packages.validate_name(name)
    _third_party(name)
    distribution = packages.entry_points()[name]
    hook().uninstall(plugin=name)
    packages.pip_uninstall(distribution)
    packages.remember(name, None)
    remaining = [n for n in logic.disabled_plugins() if n != name]
    with state.transaction() as conn:
        properties.store(conn, logic.PLUGIN, GLOBAL_SCOPE, "disabled", ",".join(remaining) or None)
    output.step(f"Plugin {name} uninstalled")


def update(name: str = "", committish: str = "") -> None:
    """Upgrade one third-party plugin (or all) from where it came, then run `update` hooks."""
    if name:
        packages.validate_name(name)
        _third_party(name)
        names = [name]
    else:
        if committish:
            raise DokkuError("Give a plugin name with a ref")
        names = sorted(packages.entry_points())
    for plugin in names:
        origin = packages.remembered(plugin)
        if committish:
            origin["committish"] = committish
        source = origin.get("source") or packages.entry_points()[plugin]
        wanted = packages.parse_source(
            source, name=origin.get("name", ""), committish=origin.get("committish", "")
        )
        output.step(f"Updating plugin {plugin} from {wanted.requirement}")
        packages.pip_install(wanted, upgrade=True)
        if committish:
            packages.remember(plugin, origin)
    output.step("Running plugin update hooks")
    run_hook("update")
