"""proxy:* commands (parsing only; the work is in logic.py)."""

from __future__ import annotations

from pydokku import output, properties
from pydokku.cli.common import add_property_commands
from pydokku.cli.registry import Context, Namespace, arg
from pydokku.errors import UsageError
from pydokku.plugins.proxy import logic

proxy = Namespace("proxy", "Manage the proxy in front of apps")
NAMESPACES = [proxy]

SETTINGS = [
    properties.PropertySpec("proxy-port", "", logic.validate_port),
    properties.PropertySpec("proxy-ssl-port", "", logic.validate_port),
    properties.PropertySpec("type", logic.DEFAULT_TYPE, logic.validate_type),
]

_app = arg("app", nargs="?", metavar="<app>")
_all = arg("--all", dest="all_apps", action="store_true")


@proxy.command("enable", "(<app>|--all)")
@_app
@_all
def enable(ctx: Context, app: str | None, all_apps: bool) -> None:
    """Route apps' traffic through the proxy."""
    for name in _targets(app, all_apps):
        output.step(f"Enabling proxy for {name}")
        logic.set_enabled(name, True)


@proxy.command("disable", "(<app>|--all)")
@_app
@_all
def disable(ctx: Context, app: str | None, all_apps: bool) -> None:
    """Stop routing apps' traffic through the proxy (their config is removed)."""
    for name in _targets(app, all_apps):
        output.step(f"Disabling proxy for {name}")
        logic.set_enabled(name, False)


@proxy.command("build-config", "[--parallel N] (<app>|--all)")
@_app
@_all
@arg("--parallel", type=int, default=0, metavar="N")
def build_config(ctx: Context, app: str | None, all_apps: bool, parallel: int) -> None:
    """Regenerate and activate the proxy config of apps (N at a time with --parallel N)."""
    from pydokku.parallel import for_each

    names = _targets(app, all_apps)
    for_each(names, logic.build_config, parallel, lambda name: ["proxy:build-config", name])


@proxy.command("clear-config", "(<app>|--all)")
@_app
@_all
def clear_config(ctx: Context, app: str | None, all_apps: bool) -> None:
    """Remove the proxy config of apps."""
    for name in _targets(app, all_apps):
        output.step(f"Clearing proxy config for {name}")
        logic.clear_config(name)


report_section = add_property_commands(proxy, SETTINGS, logic.report_rows)


def _targets(app: str | None, all_apps: bool) -> list[str]:
    from pydokku.plugins.apps.logic import list_apps, require_app

    if bool(app) == all_apps:
        raise UsageError("Give an app name or --all")
    return list_apps() if all_apps else [require_app(app or "")]
