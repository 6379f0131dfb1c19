"""plugin:* commands."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from pydokku import output
from pydokku.cli.registry import Context, Namespace, arg, format_arg
from pydokku.errors import UsageError
from pydokku.plugins.plugin import logic

plugin = Namespace("plugin", "Install, list, enable, disable and trigger plugins")
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


@plugin.command(
    "install",
    "[--core|<source>] [--committish REF] [--name NAME] [--skip-install-trigger]",
)
@arg("source", nargs="?", default="", metavar="<source>")
@arg("--core", action="store_true")
@arg("--committish", default="")
@arg("--name", default="")
@arg("--skip-install-trigger", dest="skip_trigger", action="store_true")
def install(
    ctx: Context, source: str, core: bool, committish: str, name: str, skip_trigger: bool
) -> None:
    """Install a plugin package (pip requirement, path or git URL), then run install hooks.

    With no source (or --core), only run every plugin's install hook (idempotent; the
    installer does this). Root only.
    """
    from pydokku.plugins.plugin import lifecycle

    if source and core:
        raise UsageError("Give a plugin source or --core, not both")
    if source:
        lifecycle.install(source, name=name, committish=committish, run_install=not skip_trigger)
        return
    if name or committish:
        raise UsageError("--name and --committish need a plugin source")
    output.step("Running plugin install hooks")
    lifecycle.run_hook("install")


@plugin.command("uninstall", "<name>")
@arg("name")
def uninstall(ctx: Context, name: str) -> None:
    """Uninstall a third-party plugin: run its uninstall hook, then remove its package."""
    from pydokku.plugins.plugin import lifecycle

    lifecycle.uninstall(name)


@plugin.command("update", "[<name> [<committish>]]")
@arg("name", nargs="?", default="")
@arg("committish", nargs="?", default="")
def update(ctx: Context, name: str, committish: str) -> None:
    """Upgrade one third-party plugin (or all) from its source, then run update hooks."""
    from pydokku.plugins.plugin import lifecycle

    lifecycle.update(name, committish)


@plugin.command("trigger", "<hook> [<args>...]", intermixed=False)
@arg("hook", metavar="<hook>")
@arg("args", nargs=argparse.REMAINDER, metavar="<args>")
def trigger(ctx: Context, hook: str, args: list[str]) -> None:
    """Run a hook by its trigger name (`post-create APP`) in every plugin. Root only.

    `install` and `update` run as root (host preparation); others as the dokku user.
    """
    from pydokku.plugins.plugin import trigger as triggering

    triggering.trigger(hook, args)
