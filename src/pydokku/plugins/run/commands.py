"""run, run:detached, run:list, run:logs, run:stop."""

from __future__ import annotations

import argparse

from pydokku import engine, output
from pydokku.cli.registry import Context, Namespace, arg, format_arg
from pydokku.errors import UsageError
from pydokku.plugins.run import logic

run = Namespace("run", "Run one-off commands in new containers of an app")
NAMESPACES = [run]

_env = arg("-e", "--env", dest="env", action="append", default=[], metavar="KEY=VALUE")
_command = arg("command", nargs=argparse.REMAINDER, metavar="<cmd>")


@run.command("", "[-e KEY=VALUE] [--no-tty] <app> <cmd>...", default=True, intermixed=False)
@_env
@arg("--no-tty", dest="no_tty", action="store_true")
@arg("--ttl-seconds", dest="ttl", type=int, default=0)
@arg("app")
@_command
def run_command(
    ctx: Context, env: list[str], no_tty: bool, ttl: int, app: str, command: list[str]
) -> int:
    """Run a command in a new container of the app (a Procfile name runs that entry)."""
    extra = logic.parse_env_options(env)
    tty = engine.stdin_is_tty() and not no_tty
    if ttl < 0:
        raise UsageError("--ttl-seconds must not be negative")
    code, _ = logic.run(app, command, extra, tty=tty, detach=False, ttl=ttl)
    return code


@run.command("detached", "[-e KEY=VALUE] [--ttl-seconds N] <app> <cmd>...", intermixed=False)
@_env
@arg("--force-tty", dest="force_tty", action="store_true")
@arg("--ttl-seconds", dest="ttl", type=int, default=logic.DEFAULT_DETACHED_TTL_S)
@arg("app")
@_command
def run_detached(
    ctx: Context, env: list[str], force_tty: bool, ttl: int, app: str, command: list[str]
) -> None:
    """Start a command in a new background container of the app; print its name."""
    if ttl < 1:
        raise UsageError("--ttl-seconds must be at least 1")
    env_vars = logic.parse_env_options(env)
    _, name = logic.run(app, command, env_vars, tty=force_tty, detach=True, ttl=ttl)
    logic.stop_later(name, ttl)
    output.echo(name)


@run.command("list", "[<app>] [--format stdout|json]")
@arg("app", nargs="?")
@format_arg()
def run_list(ctx: Context, app: str | None, fmt: str) -> None:
    """List the running one-off containers of an app (or every app)."""
    found = logic.one_off_containers(app)
    rows = [
        {
            "name": c.name,
            "state": c.status,
            "app": c.labels.get(engine.LABEL_APP, ""),
            "started_at": c.started_at,
        }
        for c in found
    ]
    if fmt == "json":
        import json

        output.echo(json.dumps(rows))
        return
    output.header(f"{app} run containers" if app else "run containers")
    for row in rows:
        output.echo(f"{row['name']:<32} {row['state']:<10} {row['started_at']}")


@run.command("logs", "(<app>|--container NAME) [-t|--tail] [-n|--num N]")
@arg("app", nargs="?")
@arg("--container", default=None)
@arg("-t", "--tail", dest="follow", action="store_true")
@arg("-n", "--num", dest="num", type=int, default=100)
def run_logs(ctx: Context, app: str | None, container: str | None, follow: bool, num: int) -> None:
    """Show the output of one-off containers."""
    names = _selected(app, container)
    for name in names:
        for line in engine.logs(name, follow=follow, tail=num):
            output.echo(line if len(names) == 1 else f"{name}: {line}")


@run.command("stop", "(<app>|--container NAME)")
@arg("app", nargs="?")
@arg("--container", default=None)
@arg("--after", type=int, default=0, help=argparse.SUPPRESS)
def run_stop(ctx: Context, app: str | None, container: str | None, after: int) -> None:
    """Stop one-off containers of an app, or one by name."""
    import time

    time.sleep(max(after, 0))
    for name in _selected(app, container):
        output.step(f"Stopping {name}")
        engine.remove_container(name)


def _selected(app: str | None, container: str | None) -> list[str]:
    if bool(app) == bool(container):
        raise UsageError("Give an app or --container NAME")
    if container:
        return [logic.find_one_off(container).name]
    return [c.name for c in logic.one_off_containers(app)]


@run.command("retire", "[<app>]")
@arg("app", nargs="?")
def run_retire(ctx: Context, app: str | None) -> None:
    """Stop the one-off and cron containers that outlived their --ttl-seconds."""
    from pydokku.plugins.apps.logic import require_app
    from pydokku.plugins.run import retire

    if app:
        require_app(app)
    output.step(f"Retiring run and cron containers{f' of {app}' if app else ''}")
    for name in retire.retire_expired(app):
        output.verbose(f"Retired {name}")
