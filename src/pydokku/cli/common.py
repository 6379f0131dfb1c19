"""Command builders shared by plugins: `NS:report` and the property `NS:set`."""

from __future__ import annotations

from collections.abc import Callable

from pydokku import output, properties
from pydokku.cli.registry import Context, Namespace, arg, format_arg
from pydokku.errors import DokkuError, UsageError
from pydokku.report import ReportSection, render
from pydokku.validation import GLOBAL_SCOPE

SectionBuilder = Callable[[str], ReportSection]


def add_report_command(
    ns: Namespace, build: SectionBuilder, *, flag_prefix: str | None = None
) -> None:
    """Declare `NS:report [APP|--global] [--NS-KEY] [--format stdout|json]`."""
    prefix = f"--{flag_prefix or ns.name}-"

    @ns.command("report", "[<app>|--global] [<flag>] [--format stdout|json]", extra_args=True)
    @arg("app", nargs="?")
    @arg("--global", dest="global_", action="store_true")
    @format_arg()
    def report(ctx: Context, app: str | None, global_: bool, fmt: str, extra: list[str]) -> None:
        flags = [e for e in extra if e.startswith(prefix)]
        unknown = [e for e in extra if e not in flags]
        if unknown or len(flags) > 1:
            raise UsageError(f"Unexpected argument: {' '.join(unknown or flags[1:])}")
        scopes = [GLOBAL_SCOPE] if global_ else [app] if app else _every_app()
        for scope in scopes:
            if scope != GLOBAL_SCOPE:
                from pydokku.plugins.apps.logic import require_app

                require_app(scope)
        sections = [build(scope) for scope in scopes]
        flag = flags[0] if flags else None
        text = render(sections, fmt, flag, every_app=not (app or global_))
        if text:
            output.echo(text)

    report.__doc__ = f"Display the {ns.name} report for one or more apps"


def add_property_commands(
    ns: Namespace,
    specs: list[properties.PropertySpec],
    extra_rows: Callable[[str], list[tuple[str, str]]] | None = None,
    *,
    plugin: str | None = None,
    report_prefix: str | None = None,
) -> SectionBuilder:
    """Declare `NS:set APP|--global KEY [VALUE]` and `NS:report`; return the report builder."""
    store_as = plugin or ns.name
    section_name = report_prefix or ns.name
    keys = "|".join(s.key for s in specs)

    @ns.command("set", f"(<app>|--global) <{keys}> [<value>]", global_scope=True)
    @arg("target", metavar="<app>|--global")
    @arg("key")
    @arg("value", nargs="?", default="")
    def set_property(ctx: Context, target: str, key: str, value: str) -> None:
        scope = target if target == GLOBAL_SCOPE else _require(target)
        properties.set_value(specs, store_as, scope, key, value)
        if value:
            output.step(f"Setting {key} to {value}")
        else:
            output.step(f"Unsetting {key}")

    set_property.__doc__ = f"Set or clear {ns.name} properties of an app or global ones"

    def build(scope: str) -> ReportSection:
        rows = extra_rows(scope) if extra_rows else []
        rows += properties.report_rows(specs, store_as, scope)
        return ReportSection(section_name, scope, rows)

    add_report_command(ns, build, flag_prefix=section_name)
    return build


def _require(app: str) -> str:
    from pydokku.plugins.apps.logic import require_app

    return require_app(app)


def _every_app() -> list[str]:
    from pydokku.plugins.apps.logic import list_apps

    return list_apps()


def confirm_destructive(ctx: Context, name: str, what: str) -> None:
    """Ask for `name` before a destructive action (callers skip it for --force)."""
    output.warn("WARNING: Potentially Destructive Action")
    output.warn(what)
    output.warn(f'To proceed, type "{name}"')
    print("> ", end="", flush=True)
    if ctx.stdin.readline().strip() != name:
        raise DokkuError(f"Confirmation did not match {name}. Aborted.")
