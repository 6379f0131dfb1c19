"""cron:list, cron:run, cron:suspend, cron:resume, cron:set, cron:report, cron:logs."""

from __future__ import annotations

from pydokku import output
from pydokku.cli.common import add_report_command
from pydokku.cli.registry import Context, Namespace, arg, format_arg
from pydokku.errors import UsageError
from pydokku.plugins.apps.logic import require_app
from pydokku.plugins.cron import settings
from pydokku.report import ReportSection
from pydokku.validation import GLOBAL_SCOPE

cron = Namespace("cron", "Run the scheduled tasks an app declares in its app.json")
NAMESPACES = [cron]


@cron.command("list", "<app> [--format stdout|json]")
@arg("app")
@format_arg()
def cron_list(ctx: Context, app: str, fmt: str) -> None:
    """List the app's cron tasks with their ids, schedules and maintenance state."""
    tasks = settings.tasks_for(require_app(app))
    if fmt == "json":
        import json

        output.echo(json.dumps([t.as_json() for t in tasks]))
        return
    from pydokku.report import columns

    head = ["ID", "Schedule", "Concurrency", "Maintenance", "Command"]
    rows = [
        [t.id, t.schedule, t.concurrency_policy, t.maintenance_label(), t.command] for t in tasks
    ]
    for line in columns([head, *rows]):
        output.echo(line)


@cron.command("run", "<app> <cron_id> [--detach]")
@arg("app")
@arg("cron_id", metavar="<cron_id>")
@arg("--detach", action="store_true", help="start the task in the background and return")
def cron_run(ctx: Context, app: str, cron_id: str, detach: bool) -> int:
    """Run a cron task now (its output also goes to the app's cron log)."""
    from pydokku.plugins.cron import execute

    code, name = execute.run(require_app(app), cron_id, detach)
    if detach:
        output.echo(name)
    return code


@cron.command("drain", "<app> <container>", hidden=True)
@arg("app")
@arg("container")
def cron_drain(ctx: Context, app: str, container: str) -> int:
    """Copy a detached cron run's output to the cron log until it ends."""
    from pydokku.plugins.cron import execute

    return execute.drain(require_app(app), container, echo=False)


@cron.command("suspend", "<app> <cron_id>")
@arg("app")
@arg("cron_id", metavar="<cron_id>")
def cron_suspend(ctx: Context, app: str, cron_id: str) -> None:
    """Suspend a cron task: it stays listed but is taken out of the crontab."""
    _set_task(app, cron_id, True)


@cron.command("resume", "<app> <cron_id>")
@arg("app")
@arg("cron_id", metavar="<cron_id>")
def cron_resume(ctx: Context, app: str, cron_id: str) -> None:
    """Resume a suspended cron task: it goes back into the crontab."""
    _set_task(app, cron_id, False)


def _set_task(app: str, cron_id: str, suspended: bool) -> None:
    from pydokku.plugins.cron import entries

    task = settings.set_task_maintenance(require_app(app), cron_id, suspended)
    entries.write()
    output.step(f"{'Suspended' if suspended else 'Resumed'} cron task {task.id} of {app}")


@cron.command("set", "(<app>|--global) <maintenance|mailto|mailfrom> [<value>]", global_scope=True)
@arg("target", metavar="<app>|--global")
@arg("key")
@arg("value", nargs="?", default="")
def cron_set(ctx: Context, target: str, key: str, value: str) -> None:
    """Set or clear a cron property (mailto and mailfrom: --global only), then reschedule."""
    from pydokku.plugins.cron import entries

    scope = target if target == GLOBAL_SCOPE else require_app(target)
    settings.set_property(scope, key, value)
    entries.write()
    output.step(f"Setting {key} to {value}" if value else f"Unsetting {key}")


@cron.command("logs", "<app> [-n|--num N] [-t|--tail]")
@arg("app")
@arg("-n", "--num", dest="num", type=int, default=100, help="lines to show (0: all)")
@arg("-t", "--tail", dest="follow", action="store_true", help="keep following new lines")
def cron_logs(ctx: Context, app: str, num: int, follow: bool) -> None:
    """Show the output of the app's cron runs (started from the crontab or by cron:run)."""
    from pydokku import logfile
    from pydokku.plugins.cron.execute import log_path

    if num < 0:
        raise UsageError("--num must be 0 or more")
    path = log_path(require_app(app))
    rotated = path.with_name(path.name + ".1")
    for line in logfile.tail([rotated, path], num):
        output.echo(line)
    if follow:
        size = path.stat().st_size if path.exists() else 0
        for line in logfile.follow(path, lambda: False, size):
            output.echo(line)


def report_section(scope: str) -> ReportSection:
    """Return the cron report of an app or of `--global`."""
    return ReportSection("cron", scope, settings.report_rows(scope))


add_report_command(cron, report_section)
