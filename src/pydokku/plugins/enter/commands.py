"""enter: a shell (or a command) inside a running container of an app."""

from __future__ import annotations

import argparse

from pydokku import engine
from pydokku.cli.registry import Context, Namespace, arg
from pydokku.errors import DokkuError
from pydokku.plugins.apps.logic import require_app

enter = Namespace("enter", "Enter running app containers")
NAMESPACES = [enter]
DEFAULT_SHELL = ["/bin/sh", "-c", "if command -v bash >/dev/null; then exec bash; else exec sh; fi"]


def pick_container(app: str, target: str | None, container_id: str | None) -> str:
    """Return the container to enter: by id, by `proc.N`, by process type, or the first web."""
    from pydokku.plugins.scheduler_docker_local.logic import live_containers

    running = [c for c in live_containers(require_app(app)) if c.running]
    if container_id:
        found = [c for c in running if c.id.startswith(container_id) or c.name == container_id]
    elif target:
        key = engine.LABEL_DYNO if "." in target else engine.LABEL_PROCESS
        found = [c for c in running if c.labels.get(key) == target]
    else:
        found = sorted(running, key=lambda c: c.labels.get(engine.LABEL_DYNO, ""))
    if not found:
        raise DokkuError(f"No running container of {app} matches {container_id or target or 'any'}")
    return found[0].name


@enter.command(
    "", "<app> [<proc>|<proc>.N] [--container-id ID] [<cmd>...]", default=True, intermixed=False
)
@arg("--container-id", dest="container_id", default=None)
@arg("app")
@arg("target", nargs="?", metavar="<proc>")
@arg("command", nargs=argparse.REMAINDER, metavar="<cmd>")
def enter_container(
    ctx: Context, container_id: str | None, app: str, target: str | None, command: list[str]
) -> int:
    """Run a shell, or a command, inside a running container of the app."""
    name = pick_container(app, target, container_id)
    tty = ["-t"] if engine.stdin_is_tty() else []
    return engine.exec_interactive(["exec", "-i", *tty, name, *(command or DEFAULT_SHELL)])
