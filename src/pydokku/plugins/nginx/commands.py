"""nginx:* commands (parsing only; the work is in logic.py and control.py)."""

from __future__ import annotations

from pydokku import output
from pydokku.cli.common import add_property_commands, add_report_command
from pydokku.cli.registry import Context, Namespace, arg
from pydokku.plugins.nginx import settings
from pydokku.report import ReportSection

nginx = Namespace("nginx", "Manage the nginx proxy and its per-app settings")
NAMESPACES = [nginx]


@nginx.command("show-config", "<app>")
@arg("app", metavar="<app>")
def show_config(ctx: Context, app: str) -> None:
    """Print an app's generated nginx config."""
    from pydokku.plugins.apps.logic import require_app
    from pydokku.plugins.nginx.logic import show_config as current

    output.echo(current(require_app(app)).rstrip("\n"))


@nginx.command("validate-config", "[<app>] [--clean]")
@arg("app", nargs="?", metavar="<app>")
@arg("--clean", action="store_true", help="set invalid app configs aside")
def validate_config(ctx: Context, app: str | None, clean: bool) -> None:
    """Check the nginx config with `nginx -t`; --clean sets invalid app configs aside."""
    from pydokku.plugins.apps.logic import require_app
    from pydokku.plugins.nginx.logic import validate_config as validate

    if app:
        require_app(app)
    output.step("Validating nginx config")
    validate(app, clean)
    output.verbose("nginx config is valid")


@nginx.command("reload")
def reload(ctx: Context) -> None:
    """Validate the nginx config, then reload nginx."""
    from pydokku.plugins.nginx import control

    output.step("Reloading nginx")
    control.reload()


@nginx.command("start")
def start(ctx: Context) -> None:
    """Start nginx (its config is validated first)."""
    from pydokku.plugins.nginx import control

    output.step("Starting nginx")
    control.start()


@nginx.command("stop")
def stop(ctx: Context) -> None:
    """Stop nginx."""
    from pydokku.plugins.nginx import control

    output.step("Stopping nginx")
    control.stop()


def _log_command(kind: str) -> None:
    @nginx.command(f"{kind}-logs", "<app> [-t|--tail]")
    @arg("app", metavar="<app>")
    @arg("-t", "--tail", dest="follow", action="store_true", help="keep following new lines")
    def show_log(ctx: Context, app: str, follow: bool) -> None:
        from pydokku.plugins.apps.logic import require_app
        from pydokku.plugins.nginx import logfiles

        path = logfiles.log_path(require_app(app), kind)
        lines = logfiles.follow(path) if follow else logfiles.last_lines(path)
        for line in lines:
            output.echo(line)

    show_log.__doc__ = f"Show the last lines of an app's nginx {kind} log (-t: follow it)"


for _kind in ("access", "error"):
    _log_command(_kind)

_property_section = add_property_commands(nginx, settings.SPECS)
# Too many keys to list in the usage line (help columns); a wrong key lists them all.
nginx.commands["nginx:set"].usage_args = "(<app>|--global) <property> [<value>]"


def report_section(scope: str) -> ReportSection:
    """Report an app's nginx settings (raw, global and computed values)."""
    section = _property_section(scope)
    section.rows = settings.report_rows(scope, section.rows)
    return section


# Replaces the report add_property_commands declared: log paths default per app.
add_report_command(nginx, report_section)
