"""Hook implementations of the cron plugin: check app.json, keep the crontab in step."""

from __future__ import annotations

from typing import Any

from pydokku import output
from pydokku.errors import DokkuError
from pydokku.hookspecs import hookimpl
from pydokku.release import Release
from pydokku.report import ReportSection

_deleting_with_tasks: set[str] = set()


@hookimpl
def app_json_is_valid(app: str, app_json: dict[str, Any]) -> None:
    """Refuse a push whose app.json `cron` entries are invalid, before anything is built."""
    from pydokku.plugins.cron.tasks import from_app_json

    from_app_json(app, app_json, {}, False)


@hookimpl
def post_deploy(release: Release) -> None:
    """Schedule the cron tasks of the release that now serves."""
    _write(f"Cannot schedule the cron tasks of {release.app}")


@hookimpl
def pre_delete(app: str) -> None:
    """Remember whether the app had scheduled tasks, to unschedule them once it is gone."""
    from pydokku.plugins.cron.settings import tasks_for

    try:
        if tasks_for(app):
            _deleting_with_tasks.add(app)
    except DokkuError:
        _deleting_with_tasks.add(app)


@hookimpl
def post_delete(app: str) -> None:
    """Remove the app's crontab lines and its cron log."""
    import shutil

    from pydokku.plugins.cron.execute import log_path

    shutil.rmtree(log_path(app).parent, ignore_errors=True)
    if app in _deleting_with_tasks:
        _deleting_with_tasks.discard(app)
        _write(f"Cannot unschedule the cron tasks of {app}")


@hookimpl
def post_app_rename(old_app: str, new_app: str) -> None:
    """Move the cron log and reschedule: task ids contain the app name."""
    from pydokku.plugins.cron.execute import log_path

    old = log_path(old_app).parent
    if old.exists():
        old.rename(log_path(new_app).parent)
    _write(f"Cannot reschedule the cron tasks of {new_app}")


@hookimpl
def report(app: str) -> ReportSection:
    """Report the app's cron settings and task count."""
    from pydokku.plugins.cron.commands import report_section

    return report_section(app)


def _write(what: str) -> None:
    from pydokku.plugins.cron.entries import write

    try:
        write()
    except DokkuError as exc:
        output.warn(f"{what}: {exc.message}")
