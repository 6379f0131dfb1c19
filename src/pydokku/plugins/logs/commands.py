"""logs commands."""

from __future__ import annotations

from pydokku import output, properties
from pydokku.cli.common import add_property_commands
from pydokku.cli.registry import Context, Namespace, arg
from pydokku.errors import UsageError
from pydokku.plugins.apps.logic import require_app
from pydokku.plugins.logs import logic

logs = Namespace("logs", "Show the logs of an app's containers")
NAMESPACES = [logs]


@logs.command("", "<app> [-t|--tail] [-n|--num N] [-q|--quiet] [-p|--ps PROCESS]", default=True)
@arg("app")
@arg("-t", "--tail", dest="follow", action="store_true", help="keep following new lines")
@arg("-n", "--num", dest="num", type=int, default=100, help="lines per container (0: all)")
@arg("-q", "--quiet", dest="quiet", action="store_true", help="no APP[proc.N]: prefix")
@arg("-p", "--ps", dest="process", default=None, help="only this process type or dyno")
def show(ctx: Context, app: str, follow: bool, num: int, quiet: bool, process: str | None) -> None:
    """Show the app's logs, prefixed APP[web.1]:, merged in time order."""
    if num < 0:
        raise UsageError("--num must be 0 or more")
    if follow:
        for line in logic.follow_lines(app, num, process, quiet):
            output.echo(line)
        return
    for line in logic.recent_lines(app, num, process, quiet):
        output.echo(line)


@logs.command("failed", "(<app>|--all)")
@arg("app", nargs="?")
@arg("--all", dest="all_apps", action="store_true")
def failed(ctx: Context, app: str | None, all_apps: bool) -> None:
    """Show the last failed deploy's reason and its containers' last log lines."""
    if bool(app) == all_apps:
        raise UsageError("Give an app name or --all")
    for name in logic.apps_with_failures() if all_apps else [require_app(app or "")]:
        output.header(f"{name} failed deploy logs")
        lines = logic.failed_lines(name)
        if lines is None:
            output.warn("No failed containers found")
            continue
        for line in lines:
            output.echo(line)


SETTINGS = [properties.PropertySpec("max-size", logic.DEFAULT_MAX_SIZE, logic.max_size_problem)]
report_section = add_property_commands(logs, SETTINGS)
