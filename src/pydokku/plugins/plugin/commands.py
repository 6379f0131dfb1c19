"""plugin:* commands."""

from __future__ import annotations

import json
from dataclasses import asdict

from pydokku import output
from pydokku.cli.registry import Context, Namespace, arg, format_arg
from pydokku.plugins.plugin import logic

plugin = Namespace("plugin", "List, enable and disable plugins")
NAMESPACES = [plugin]


@plugin.command("list", "[--format stdout|json]", default=True)
@format_arg()
def list_(ctx: Context, fmt: str) -> None:
    """List installed plugins: built-in ones and Python packages in `pydokku.plugins`."""
    plugins = logic.installed()
    if fmt == "json":
        output.echo(json.dumps([asdict(p) for p in plugins]))
        return
    width = max(len(p.name) for p in plugins) + 2
    for p in plugins:
        state = "enabled" if p.enabled else "disabled"
        output.echo(f"  {p.name.ljust(width)}{p.version.ljust(10)}{state.ljust(10)}{p.description}")


@plugin.command("installed", "<name>")
@arg("name")
def installed(ctx: Context, name: str) -> int:
    """Exit 0 if a plugin of that name is installed, 1 if not."""
    return 0 if any(p.name == name for p in logic.installed()) else 1


@plugin.command("enable", "<name>")
@arg("name")
def enable(ctx: Context, name: str) -> None:
    """Enable a third-party plugin."""
    logic.set_enabled(name, True)
    output.step(f"Plugin {name} enabled")


@plugin.command("disable", "<name>")
@arg("name")
def disable(ctx: Context, name: str) -> None:
    """Disable a third-party plugin: its commands and hooks are no longer used."""
    logic.set_enabled(name, False)
    output.step(f"Plugin {name} disabled")


@plugin.command("install", "")
def install(ctx: Context) -> None:
    """Prepare the host for every plugin (run by the installer as root; idempotent)."""
    from pydokku.plugins.manager import hook

    output.step("Running plugin install hooks")
    hook().install()
