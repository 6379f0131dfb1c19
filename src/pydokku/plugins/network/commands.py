"""network:create|destroy|exists|info|list|set|rebuild|rebuildall|report."""

from __future__ import annotations

import json

from pydokku import output
from pydokku.cli.common import add_report_command, confirm_destructive
from pydokku.cli.registry import Context, Namespace, arg, format_arg
from pydokku.errors import DokkuError
from pydokku.plugins.network import logic
from pydokku.report import ReportSection
from pydokku.validation import GLOBAL_SCOPE

network = Namespace("network", "Manage network settings for an app")
NAMESPACES = [network]
_INFO_WIDTH = 16


@network.command("create", "<network>")
@arg("name", metavar="<network>")
def create(ctx: Context, name: str) -> None:
    """Create an attachable docker network."""
    from pydokku.plugins.network import networks

    logic.validate_network_name(name)
    output.step(f"Creating network {name}")
    networks.create(name)


@network.command("destroy", "[--force] <network>")
@arg("--force", action="store_true")
@arg("name", metavar="<network>")
def destroy(ctx: Context, force: bool, name: str) -> None:
    """Destroy a docker network (only one network:create made, with nothing attached)."""
    from pydokku.plugins.network import networks

    networks.check_destroyable(name)
    if not (force or ctx.force):
        confirm_destructive(ctx, name, f"This command will destroy network {name}.")
    output.step(f"Destroying network {name}")
    networks.destroy(name)


@network.command("exists", "<network>")
@arg("name", metavar="<network>")
def exists(ctx: Context, name: str) -> None:
    """Check if a docker network exists (non-zero exit when it does not)."""
    from pydokku.plugins.network import networks

    if not networks.exists(name):
        raise DokkuError("Network does not exist")
    output.step("Network exists")


@network.command("info", "<network> [--format text|json]")
@arg("name", metavar="<network>")
@format_arg(default="text", choices=("text", "json"))
def info(ctx: Context, name: str, fmt: str) -> None:
    """Output information about a docker network."""
    from pydokku.plugins.network import networks

    found = networks.info(name)
    if fmt == "json":
        output.echo(json.dumps(found))
        return
    output.header(f"{name} network information")
    for label, key in (("ID", "ID"), ("Name", "Name"), ("Driver", "Driver"), ("Scope", "Scope")):
        output.verbose(f"{label + ':':<{_INFO_WIDTH}}{found[key]}")
    output.verbose(f"{'Dokku managed:':<{_INFO_WIDTH}}{str(found['DokkuManaged']).lower()}")


@network.command("list", "[--format text|json] [--dokku-managed]")
@format_arg(default="text", choices=("text", "json"))
@arg("--dokku-managed", dest="managed", action="store_true")
def list_networks(ctx: Context, fmt: str, managed: bool) -> None:
    """List docker networks (only those network:create made, with --dokku-managed)."""
    from pydokku.plugins.network import networks

    found = networks.all_networks(managed_only=managed)
    if fmt == "json":
        output.echo(json.dumps(found))
        return
    output.header("Networks")
    for item in found:
        output.echo(item["Name"])


@network.command("set", "(<app>|--global) <key> [<value>...]", global_scope=True)
@arg("target", metavar="<app>|--global")
@arg("key")
@arg("values", nargs="*", metavar="<value>")
def set_property(ctx: Context, target: str, key: str, values: list[str]) -> None:
    """Set or clear a network property for an app (attach keys take several networks)."""
    if target != GLOBAL_SCOPE:
        from pydokku.plugins.apps.logic import require_app

        require_app(target)
    value = logic.set_property(target, key, values)
    output.step(f"Setting {key} to {value}" if value else f"Unsetting {key}")


@network.command("rebuild", "<app>")
@arg("app")
def rebuild(ctx: Context, app: str) -> None:
    """Rebuild network settings for an app: running containers join or leave networks."""
    from pydokku.plugins.apps.logic import require_app
    from pydokku.plugins.network import networks

    output.step(f"Ensuring network configuration is in sync for {require_app(app)}")
    networks.rebuild(app)


@network.command("rebuildall", "")
def rebuildall(ctx: Context) -> None:
    """Rebuild network settings for all apps."""
    from pydokku.plugins.apps.logic import list_apps
    from pydokku.plugins.network import networks

    apps = list_apps()
    if not apps:
        output.warn("You haven't deployed any applications yet")
    for app in apps:
        output.step(f"Ensuring network configuration is in sync for {app}")
        networks.rebuild(app)


def report_section(scope: str) -> ReportSection:
    """Build the network report of an app (or `--global`)."""
    return ReportSection("network", scope, logic.report_rows(scope))


add_report_command(network, report_section)
