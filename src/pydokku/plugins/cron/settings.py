"""cron properties (`cron:set`) and the tasks of an app's current release."""

from __future__ import annotations

from pydokku import properties, release, state
from pydokku.errors import DokkuError
from pydokku.plugins.cron.tasks import CronTask, from_app_json
from pydokku.validation import GLOBAL_SCOPE

PLUGIN = "cron"
TASK_PREFIX = "maintenance."
# Dokku: mailto and mailfrom are global only (they head the whole crontab).
SPECS = [
    properties.PropertySpec("maintenance", "false", properties.validate_bool),
    properties.PropertySpec("mailto", "", lambda v: _mail_problem(v), global_only=True),
    properties.PropertySpec("mailfrom", "", lambda v: _mail_problem(v), global_only=True),
]
_MAIL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@._+-,")


def _mail_problem(value: str) -> str | None:
    """Property validator: addresses cron may mail to (no spaces, quotes or newlines)."""
    if len(value) > 254 or not _MAIL_CHARS.issuperset(value):
        return "expected e-mail addresses (letters, digits and @._+-, only)"
    return None


def app_maintenance(app: str) -> bool:
    """Tell whether the whole app's cron is suspended (app value, else global)."""
    return properties.resolve(PLUGIN, app, "maintenance", "false") == "true"


def stored_task_maintenance(app: str) -> dict[str, str]:
    """Return {task id: value} of the app's `maintenance.ID` properties."""
    values = properties.all_for(PLUGIN, app)
    return {k[len(TASK_PREFIX) :]: v for k, v in values.items() if k.startswith(TASK_PREFIX)}


def tasks_for(app: str) -> list[CronTask]:
    """Return the tasks of the app's current release (none when it was never deployed)."""
    current = release.current(app)
    if current is None:
        return []
    return from_app_json(app, current.app_json, stored_task_maintenance(app), app_maintenance(app))


def find_task(app: str, task_id: str) -> CronTask:
    """Return one task of the app by id, or raise naming `cron:list`."""
    for task in tasks_for(app):
        if task.id == task_id:
            return task
    raise DokkuError(
        f"No matching cron task {task_id[:80]!r}; "
        f"see the ids in the output of `dokku cron:list {app}`"
    )


def set_task_maintenance(app: str, task_id: str, suspended: bool) -> CronTask:
    """Suspend or resume one task (stored as `maintenance.ID`); return the task."""
    task = find_task(app, task_id)
    with state.transaction() as conn:
        properties.store(conn, PLUGIN, app, TASK_PREFIX + task.id, "true" if suspended else None)
    return task


def set_property(scope: str, key: str, value: str) -> None:
    """Store a cron property of an app or `--global` (validated like every NS:set)."""
    if key.startswith(TASK_PREFIX):
        if scope == GLOBAL_SCOPE:
            raise DokkuError("Task maintenance properties cannot be set globally")
        if value not in ("", "true", "false"):
            raise DokkuError(f"Invalid value for {key}: expected true or false")
        find_task(scope, key[len(TASK_PREFIX) :])
        with state.transaction() as conn:
            properties.store(conn, PLUGIN, scope, key, value or None)
        return
    properties.set_value(SPECS, PLUGIN, scope, key, value)


def report_rows(scope: str) -> list[tuple[str, str]]:
    """Return Dokku's cron report rows: the properties, the task count, task maintenance."""
    rows = properties.report_rows(SPECS, PLUGIN, scope)
    if scope == GLOBAL_SCOPE:
        return rows
    try:
        count = str(len(tasks_for(scope)))
    except DokkuError:
        count = "0"
    rows.append(("task-count", count))
    for task_id, value in sorted(stored_task_maintenance(scope).items()):
        rows.append((f"maintenance-{task_id}", value))
    return rows
