"""Built-in plugins and the lookup from command names to the modules serving them.

Built-in plugins are registered with the same pluggy manager as third-party
ones; a command is found by importing only its own plugin's `commands` module,
so answering `apps:list` imports nothing else.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from pydokku.cli.registry import Command, Namespace

DEFAULT_PLUGINS: tuple[str, ...] = (
    "core",
    "apps",
    "config",
    "events",
    "plugin",
    "ssh_keys",
    "git",
    "builder",
    "builder_auto",
    "deploy",
    "ps",
    "checks",
    "releases",
    "scheduler_docker_local",
    "ports",
    "domains",
    "proxy",
    "nginx",
    "logs",
    "run",
    "enter",
    "certs",
    "letsencrypt",
    "postgres",
    "redis",
    "repo",
    "scheduler",
    "trace",
    "docker_options",
    "resource",
    "app_json",
    "cron",
    "storage",
    "network",
    "builds",
    "acl",
)

# Namespaces whose commands live in a plugin of another name.
NAMESPACE_OWNERS: dict[str, str] = {
    "help": "core",
    "version": "core",
    "report": "core",
    "cleanup": "core",
    "git-receive-pack": "git",
    "git-upload-pack": "git",
    "git-upload-archive": "git",
    "git-hook": "git",
    "builder-dockerfile": "builder",
    "url": "domains",
    "urls": "domains",
}


def plugin_module(plugin: str, part: str) -> ModuleType | None:
    """Import `pydokku.plugins.<plugin>.<part>`, or return None if the plugin has none."""
    name = f"{__name__}.{plugin}.{part}"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            return None
        raise


def builtin_namespaces(plugin: str) -> list[Namespace]:
    """Return the namespaces a built-in plugin declares in its `commands` module."""
    module = plugin_module(plugin, "commands")
    return list(getattr(module, "NAMESPACES", [])) if module else []


def owner_of(namespace: str) -> str | None:
    """Return the built-in plugin serving `namespace`, or None."""
    plugin = NAMESPACE_OWNERS.get(namespace, namespace.replace("-", "_"))
    return plugin if plugin in DEFAULT_PLUGINS else None


def all_namespaces() -> list[Namespace]:
    """Return every namespace: built-in ones, then those of third-party plugins."""
    from pydokku.plugins.manager import get_manager

    found = [ns for plugin in DEFAULT_PLUGINS for ns in builtin_namespaces(plugin)]
    known = {ns.name for ns in found}
    for result in get_manager().hook.commands():
        for ns in result or []:
            if ns.name not in known:
                found.append(ns)
                known.add(ns.name)
    return found


def find_namespace(name: str) -> Namespace | None:
    """Return the namespace called `name`, importing as little as possible."""
    plugin = owner_of(name)
    if plugin:
        for ns in builtin_namespaces(plugin):
            if ns.name == name:
                return ns
    return next((ns for ns in all_namespaces() if ns.name == name), None)


def find_command(name: str) -> Command | None:
    """Return the command called `name` (`NS:sub`, or a bare `NS` with a default)."""
    ns = find_namespace(name.split(":", 1)[0])
    if ns is None:
        return None
    if name in ns.commands:
        return ns.commands[name]
    if ":" not in name and ns.default:
        return ns.commands[ns.default]
    return None
