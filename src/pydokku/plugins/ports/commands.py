"""ports:* commands (parsing only; the work is in logic.py)."""

from __future__ import annotations

from pydokku import output
from pydokku.cli.common import add_report_command
from pydokku.cli.registry import Context, Namespace, arg
from pydokku.plugins.ports import logic
from pydokku.report import ReportSection

ports = Namespace("ports", "Map the ports the proxy listens on to container ports")
NAMESPACES = [ports]

MAPPING = "<scheme>:<host-port>:<container-port>"
_app = arg("app", metavar="<app>")
_mappings = arg("mappings", nargs="+", metavar=MAPPING)
COLUMN = 25


@ports.command("list", "<app>")
@_app
def list_(ctx: Context, app: str) -> None:
    """List the port mappings of an app (HTTPS included once it has a certificate)."""
    mappings = logic.port_map(_require(app))
    output.step(f"Port mappings for {app}")
    # The step prefix takes 7 columns: the titles line up with the rows below.
    titles = "scheme".ljust(COLUMN - len(output.STEP)) + "host port".ljust(COLUMN)
    output.step(titles + "container port")
    for m in mappings:
        output.echo(f"{m.scheme.ljust(COLUMN)}{str(m.host_port).ljust(COLUMN)}{m.container_port}")


@ports.command("add", f"<app> {MAPPING}...")
@_app
@_mappings
def add(ctx: Context, app: str, mappings: list[str]) -> None:
    """Add port mappings to an app."""
    parsed = logic.parse_mappings(mappings)
    logic.add_mappings(_require(app), parsed)
    _changed(app)


@ports.command("set", f"<app> {MAPPING}...")
@_app
@_mappings
def set_(ctx: Context, app: str, mappings: list[str]) -> None:
    """Replace every port mapping of an app with the given ones."""
    parsed = logic.parse_mappings(mappings)
    logic.set_mappings(_require(app), parsed)
    _changed(app)


@ports.command("remove", "<app> (<host-port>|<scheme>:<host-port>|<mapping>)...")
@_app
@arg("specs", nargs="+", metavar="<host-port>|<mapping>")
def remove(ctx: Context, app: str, specs: list[str]) -> None:
    """Remove port mappings from an app, by host port or by mapping."""
    removed = logic.remove_mappings(_require(app), specs)
    if not removed:
        output.warn(f"No port mapping of {app} matches {' '.join(specs)}")
    _changed(app)


@ports.command("clear", "<app>")
@_app
def clear(ctx: Context, app: str) -> None:
    """Remove every configured port mapping of an app (detection applies again)."""
    logic.clear_mappings(_require(app))
    _changed(app)


def report_section(scope: str) -> ReportSection:
    """Report an app's configured and detected port maps (text and JSON)."""
    return ReportSection("ports", scope, logic.report_rows(scope))


add_report_command(ports, report_section)


def _require(app: str) -> str:
    from pydokku.plugins.apps.logic import require_app

    return require_app(app)


def _changed(app: str) -> None:
    from pydokku.plugins.proxy.logic import rebuild_if_running

    mappings = " ".join(str(m) for m in logic.port_map(app))
    output.step(f"Port mappings of {app}: {mappings}")
    rebuild_if_running(app)
