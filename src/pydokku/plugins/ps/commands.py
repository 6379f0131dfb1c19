"""ps:* commands."""

from __future__ import annotations

from collections.abc import Callable

from pydokku import output, properties, release
from pydokku.cli.common import add_property_commands
from pydokku.cli.registry import Context, Namespace, arg, format_arg
from pydokku.errors import UsageError
from pydokku.plugins.apps.logic import list_apps, require_app
from pydokku.plugins.ps import formation, logic
from pydokku.validation import relative_path_problem

ps = Namespace("ps", "Manage app processes")
NAMESPACES = [ps]

SETTINGS = [
    properties.PropertySpec("restart-policy", "on-failure:10", logic.validate_restart_policy),
    properties.PropertySpec("stop-timeout-seconds", "30", properties.validate_positive_int),
    properties.PropertySpec("procfile-path", "Procfile", relative_path_problem),
    properties.PropertySpec("restore", "true", properties.validate_bool, app_only=True),
    properties.PropertySpec("skip-deploy", "false", properties.validate_bool),
    properties.PropertySpec("start-cmd", "", app_only=True),
    properties.PropertySpec("dockerfile-start-cmd", "", logic.validate_words, app_only=True),
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

        output.echo(json.dumps([{"process_type": p, "quantity": q} for p, q in counts.items()]))
        return
    output.step(f"Scaling for {app}")
    table = [] if output.is_quiet() else [("proctype", "qty"), ("--------", "---")]
    for process, quantity in [*table, *((p, str(q)) for p, q in counts.items())]:
        output.echo(f"{process + ':':<5} {quantity}")


_parallel = arg("--parallel", type=int, default=0, metavar="N")


def _app_or_all(sub: str, verb: str, action: Callable[[str], None], doc: str) -> None:
    """Declare `ps:SUB [--parallel N] [--all|<app>]`, running `action` on each app named."""

    @ps.command(sub, "[--parallel N] [--all|<app>]")
    @arg("app", nargs="?")
    @arg("--all", dest="all_apps", action="store_true")
    @_parallel
    def command(ctx: Context, app: str | None, all_apps: bool, parallel: int) -> None:
        def one(name: str) -> None:
            output.step(f"{verb} {name}")
            action(name)

        _each(_targets(app, all_apps), one, parallel, lambda name: [f"ps:{sub}", name])

    command.__doc__ = doc


def _each(
    apps: list[str],
    action: Callable[[str], None],
    parallel: int,
    argv: Callable[[str], list[str]],
) -> None:
    from pydokku.parallel import for_each

    for_each(apps, action, parallel, argv)


_app_or_all(
    "stop",
    "Stopping",
    logic.stop,
    "Stop an app's processes (they stay stopped across restores until ps:start).",
)
_app_or_all("start", "Starting", logic.start, "Start an app's processes.")
_app_or_all(
    "rebuild",
    "Rebuilding",
    logic.rebuild,
    "Build an app again from its repo's deploy branch and deploy it.",
)


@ps.command("restart", "[--parallel N] [--all|<app>] [<process-name>]")
@arg("app", nargs="?")
@arg("process", nargs="?", metavar="<process-name>")
@arg("--all", dest="all_apps", action="store_true")
@_parallel
def restart(
    ctx: Context, app: str | None, process: str | None, all_apps: bool, parallel: int
) -> None:
    """Replace an app's containers (or one process type's) with fresh ones of its release."""
    if all_apps and app:  # with --all the only positional is a process name
        raise UsageError("A process type cannot be given with --all")
    if process:
        output.step(f"Restarting {app} ({process})")
        logic.restart_process(require_app(app or ""), process)
        return

    def one(name: str) -> None:
        output.step(f"Restarting {name}")
        logic.restart(name)

    _each(_targets(app, all_apps), one, parallel, lambda name: ["ps:restart", name])


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


@ps.command("watch", "<app> <watch> [--lock-fd FD]", hidden=True)
@arg("app")
@arg("watch")
@arg("--lock-fd", type=int, default=None)
def watch(ctx: Context, app: str, watch: str, lock_fd: int | None) -> None:
    """Watch the end of a deploy's window in the background; switch back if a container dies."""
    from pydokku.plugins.deploy.logic import rebuild_proxy
    from pydokku.plugins.scheduler_docker_local import watch as watcher

    if not watcher.run(watch, lock_fd, lambda: rebuild_proxy(app)):
        raise SystemExit(1)


report_section = add_property_commands(
    ps, SETTINGS, lambda app: logic.report_rows(app) if app != "--global" else []
)
