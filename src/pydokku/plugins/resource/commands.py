"""resource:limit|limit-clear|reserve|reserve-clear|report."""

from __future__ import annotations

from collections.abc import Callable

from pydokku import output
from pydokku.cli.common import add_report_command
from pydokku.cli.registry import Context, Namespace, arg
from pydokku.plugins.resource import logic
from pydokku.report import ReportSection
from pydokku.validation import GLOBAL_SCOPE

resource = Namespace("resource", "Manage resource limits and reservations of apps")
NAMESPACES = [resource]

_USAGE = (
    "[--process-type P] [--cpu N] [--memory N] [--memory-swap N] [--network N] "
    "[--network-ingress N] [--network-egress N] [--nvidia-gpu N] (<app>|--global)"
)
FuncT = Callable[..., int | None]


def _scope(target: str) -> str:
    if target == GLOBAL_SCOPE:
        return target
    from pydokku.plugins.apps.logic import require_app

    return require_app(target)


def _values_args(func: FuncT) -> FuncT:
    for name in reversed(logic.KEYS):
        func = arg(f"--{name}", dest=name.replace("-", "_"), default="")(func)
    return func


def _set_command(kind: str, doc: str) -> None:
    noun = logic.TYPES[kind]

    @resource.command(kind, _USAGE, global_scope=True)
    @arg("--process-type", dest="process_type", default="")
    @_values_args
    @arg("target", metavar="<app>|--global")
    def command(ctx: Context, process_type: str, target: str, **given: str) -> None:
        scope = _scope(target)
        process = logic.check_process(process_type)
        values = {n: given[n.replace("-", "_")] for n in logic.KEYS if given[n.replace("-", "_")]}
        if not values:
            _show(scope, process, kind)
            return
        logic.set_values(scope, process, kind, values)
        suffix = "" if process == logic.DEFAULT_PROCESS else f" ({process})"
        output.header(f"Setting resource {noun} for {scope}{suffix}")
        for name, value in values.items():
            output.verbose(f"{name}: {'cleared' if value == logic.CLEAR else value}")

    command.__doc__ = doc


def _show(scope: str, process: str, kind: str) -> None:
    tail = "[defaults]" if process == logic.DEFAULT_PROCESS else f"({process})"
    output.header(f"resource {logic.TYPES[kind]} {scope} information {tail}")
    values = logic.stored(scope, process, kind)
    for name in logic.KEYS:
        output.row(f"{name}: {values.get(name, '')}".rstrip())


def _clear_command(kind: str, doc: str) -> None:
    noun = logic.TYPES[kind]

    @resource.command(f"{kind}-clear", "[--process-type P] (<app>|--global)", global_scope=True)
    @arg("--process-type", dest="process_type", default="")
    @arg("target", metavar="<app>|--global")
    def command(ctx: Context, process_type: str, target: str) -> None:
        scope = _scope(target)
        process = logic.check_process(process_type) if process_type else None
        suffix = f" ({process})" if process else ""
        what = "default" if scope == GLOBAL_SCOPE else scope
        output.step(f"Clearing {what} resource {noun}{suffix}")
        logic.clear(scope, process, kind)

    command.__doc__ = doc


_set_command("limit", "Limit resources for a given app/process-type combination")
_clear_command("limit", "Clear resource limits for a given app/process-type combination")
_set_command("reserve", "Reserve resources for a given app/process-type combination")
_clear_command("reserve", "Clear resource reservations for a given app/process-type combination")


def report_section(scope: str) -> ReportSection:
    """Build the resource report of an app (or `--global`): every stored value."""
    return ReportSection("resource", scope, logic.report_rows(scope))


add_report_command(resource, report_section)
