"""docker-options:add|remove|clear|list|report."""

from __future__ import annotations

import argparse

from pydokku import output
from pydokku.cli.common import add_report_command
from pydokku.cli.registry import Context, Namespace, arg
from pydokku.plugins.docker_options import logic
from pydokku.report import ReportSection

docker_options = Namespace("docker-options", "Manage docker options for an app")
NAMESPACES = [docker_options]

_process = arg("--process", dest="processes", action="append", default=[], metavar="PROC")
_option = arg("option", nargs=argparse.REMAINDER, metavar="OPTION")


@docker_options.command("add", "[--process PROC...] <app> <phase(s)> OPTION...", intermixed=False)
@_process
@arg("app")
@arg("phases", metavar="<phase(s)>")
@_option
def add(ctx: Context, processes: list[str], app: str, phases: str, option: list[str]) -> None:
    """Add Docker option to app for phase (comma separated phase list)."""
    text, lifted = logic.lift_processes(option)
    logic.add(app, list(dict.fromkeys(processes + lifted)), phases, text)


@docker_options.command(
    "remove", "[--process PROC...] <app> <phase(s)> OPTION...", intermixed=False
)
@_process
@arg("app")
@arg("phases", metavar="<phase(s)>")
@_option
def remove(ctx: Context, processes: list[str], app: str, phases: str, option: list[str]) -> None:
    """Remove Docker option from app for phase (comma separated phase list)."""
    text, lifted = logic.lift_processes(option)
    logic.remove(app, list(dict.fromkeys(processes + lifted)), phases, text)


@docker_options.command("clear", "[--process PROC...] <app> [<phase(s)>]")
@_process
@arg("app")
@arg("phases", nargs="?", default="", metavar="<phase(s)>")
def clear(ctx: Context, processes: list[str], app: str, phases: str) -> None:
    """Clear docker options from an app, optionally for some phases (comma separated)."""
    cleared = logic.clear(app, processes, phases)
    if not processes and not phases:
        output.step(f"Clearing docker-options for {app} on all phases")
        return
    for process, phase in cleared:
        scope = "" if process == logic.DEFAULT_PROCESS else f" for process {process}"
        output.step(f"Clearing docker-options for {app} on phase {phase}{scope}")


@docker_options.command("list", "<app> [--process PROC] --phase PHASE")
@arg("app")
@arg("--process", default="")
@arg("--phase", default="")
def list_options(ctx: Context, app: str, process: str, phase: str) -> None:
    """List the docker options of one process type (or every one) and phase, one a line."""
    for option in logic.list_options(app, process, phase):
        output.echo(option)


def report_section(app: str) -> ReportSection:
    """Build the docker-options report of an app: each phase's options, and their lists."""
    lists = logic.report_lists(app) if app != "--global" else {}
    rows = [(key, " ".join(options)) for key, options in lists.items()]
    extra: dict[str, object] = {f"{key}-list": opts for key, opts in lists.items()}
    return ReportSection("docker-options", app, rows, json_extra=extra)


add_report_command(docker_options, report_section)
