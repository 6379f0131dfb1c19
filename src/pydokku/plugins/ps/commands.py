"""ps:* commands."""

from __future__ import annotations

from collections.abc import Callable

from pydokku import output, properties, release
from pydokku.cli.common import add_property_commands
from pydokku.cli.registry import Context, Namespace, arg, format_arg
from pydokku.errors import UsageError
from pydokku.plugins.apps.logic import list_apps, require_app
from pydokku.plugins.ps import formation, logic

ps = Namespace("ps", "Manage app processes")
NAMESPACES = [ps]

SETTINGS = [
    properties.PropertySpec("restart-policy", "on-failure:10", logic.validate_restart_policy),
    properties.PropertySpec("stop-timeout-seconds", "30", properties.validate_positive_int),
    properties.PropertySpec("procfile-path", "Procfile"),
    properties.PropertySpec("restore", "true", properties.validate_bool),
]


def _targets(app: str | None, all_apps: bool) -> list[str]:
    if app and all_apps:
        raise UsageError("Give an app or --all, not both")
    if not app and not all_apps:
        raise UsageError("Give an app name or --all")
    return list_apps() if all_apps else [require_app(app or "")]


@ps.command("scale", "[--skip-deploy] [--format stdout|json] <app> [<proc>=<count>...]")
@arg("app")
@arg("pairs", nargs="*", metavar="PROC=COUNT")
@arg("--skip-deploy", action="store_true")
@format_arg()
def scale(ctx: Context, app: str, pairs: list[str], skip_deploy: bool, fmt: str) -> None:
    """Show the process counts, or set them (web=2 worker=1); running apps adjust at once."""
    require_app(app)
    if pairs:
        quantities = formation.parse_scale_args(pairs)
        output.step(f"Scaling {app} processes: {' '.join(pairs)}")
        logic.scale(app, quantities, skip_deploy=skip_deploy)
        return
    current = release.current(app)
    types = current.process_types if current else sorted(formation.stored(app)) or ["web"]
    counts = formation.resolve(app, types, current.app_json if current else {})
    if fmt == "json":
        import json

        rows = [{"process_type": p, "quantity": q} for p, q in counts.items()]
        output.echo(json.dumps(rows))
        return
    output.step(f"Scaling for {app}")
    output.echo("proctype: qty")
    output.echo("--------: ---")
    for process, quantity in counts.items():
        output.echo(f"{process + ':':<9} {quantity}")


def _app_or_all(sub: str, verb: str, action: Callable[[str], None], doc: str) -> None:
    """Declare `ps:SUB [--all|<app>]`, running `action` on each app named."""

    @ps.command(sub, "[--all|<app>]")
    @arg("app", nargs="?")
    @arg("--all", dest="all_apps", action="store_true")
    def command(ctx: Context, app: str | None, all_apps: bool) -> None:
        for name in _targets(app, all_apps):
            output.step(f"{verb} {name}")
            action(name)

    command.__doc__ = doc


_app_or_all(
    "stop",
    "Stopping",
    logic.stop,
    "Stop an app's processes (they stay stopped across restores until ps:start).",
)
_app_or_all("start", "Starting", logic.start, "Start an app's processes.")
_app_or_all(
    "restart",
    "Restarting",
    logic.restart,
    "Replace an app's containers with fresh ones of the current release.",
)
_app_or_all(
    "rebuild",
    "Rebuilding",
    logic.rebuild,
    "Build an app again from its repo's deploy branch and deploy it.",
)


@ps.command("restore", "[<app>]")
@arg("app", nargs="?")
def restore(ctx: Context, app: str | None) -> None:
    """Start every app not stopped by hand (run at boot and after a dockerd restart)."""
    restored = logic.restore([require_app(app)] if app else None)
    if not restored:
        output.step("Nothing to restore")


@ps.command("inspect", "<app>")
@arg("app")
def inspect(ctx: Context, app: str) -> None:
    """Print docker inspect of the app's containers (config values hidden)."""
    output.echo(logic.inspect(app))


@ps.command("retire", "<app> [--after SECONDS] [<container>...]", hidden=True)
@arg("app")
@arg("containers", nargs="*")
@arg("--after", type=int, default=0)
def retire(ctx: Context, app: str, containers: list[str], after: int) -> None:
    """Stop and remove an app's retired containers, after a delay."""
    import time

    from pydokku.plugins.scheduler_docker_local.logic import retire as retire_now

    time.sleep(max(after, 0))
    retire_now(app, containers)


report_section = add_property_commands(
    ps, SETTINGS, lambda app: logic.report_rows(app) if app != "--global" else []
)
