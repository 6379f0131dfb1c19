"""Cron tasks from app.json: ids, schedules and commands, checked the way Dokku does.

A task id is Dokku's: the base36 (lowercase) encoding of `APP===COMMAND===SCHEDULE`,
so ids stay stable across deploys and match a Dokku server's. A schedule is five
fields or a descriptor that both Dokku's parser and the system cron accept; a command
is split into words like a shell would, but shell operators (`;`, `|`, `>`, `$(...)`)
are refused, as Dokku refuses them: wrap the command in `sh -c '...'` to use a shell.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import Any

from pydokku.errors import DokkuError
from pydokku.ids import base36

POLICIES = ("allow", "forbid", "replace")
DESCRIPTORS = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
# (name, lowest, highest, names): minute, hour, day of month, month, day of week.
FIELDS: tuple[tuple[str, int, int, tuple[str, ...]], ...] = (
    ("minute", 0, 59, ()),
    ("hour", 0, 23, ()),
    ("day of month", 1, 31, ()),
    ("month", 1, 12, MONTHS),
    ("day of week", 0, 6, DAYS),
)
COMMAND_MAX = 4096
_OPERATORS = frozenset(";&|<>()`")
_SCHEDULE_CHARS = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ*/,-@ ")


@dataclass(frozen=True)
class CronTask:
    """One scheduled task of an app."""

    app: str
    id: str
    command: str
    schedule: str
    concurrency_policy: str
    task_maintenance: bool
    app_maintenance: bool

    @property
    def maintenance(self) -> bool:
        """Tell whether the task is suspended (by itself or with its app)."""
        return self.task_maintenance or self.app_maintenance

    def as_json(self) -> dict[str, Any]:
        """Return the task as Dokku's `cron:list --format json` prints it."""
        return {
            "id": self.id,
            "app": self.app,
            "command": self.command,
            "schedule": self.schedule,
            "concurrency_policy": self.concurrency_policy,
            "app-in-maintenance": self.app_maintenance,
            "task-in-maintenance": self.task_maintenance,
            "maintenance": self.maintenance,
        }

    def maintenance_label(self) -> str:
        """Return the Maintenance column of `cron:list`."""
        if self.task_maintenance:
            return "true (task)"
        return "true (app)" if self.app_maintenance else "false"


def task_id(app: str, command: str, schedule: str) -> str:
    """Return Dokku's stable id of a task."""
    return base36(f"{app}==={command}==={schedule}".encode())


def schedule_problem(schedule: str) -> str | None:
    """Return why `schedule` is not a cron schedule pydokku can install, or None."""
    if not _SCHEDULE_CHARS.issuperset(schedule) or len(schedule) > 200:
        return "only letters, digits, spaces and * / , - @ are allowed"
    fields = schedule.split()
    if len(fields) == 1 and fields[0].startswith("@"):
        return None if fields[0] in DESCRIPTORS else f"unknown descriptor {fields[0]!r}"
    if len(fields) != len(FIELDS):
        return f"expected {len(FIELDS)} fields or a descriptor such as @daily"
    for text, spec in zip(fields, FIELDS, strict=True):
        problem = _field_problem(text, *spec)
        if problem:
            return problem
    return None


def _field_problem(text: str, name: str, low: int, high: int, names: tuple[str, ...]) -> str | None:
    for part in text.split(","):
        if part.lower() in names:
            continue
        span, slash, step = part.partition("/")
        if slash and not (_number(step) or 0) >= 1:
            return f"{name}: step {step!r} must be a whole number of 1 or more"
        if span == "*":
            continue
        first, dash, last = span.partition("-")
        bounds = [_number(first), _number(last) if dash else _number(first)]
        if None in bounds or (slash and not dash):
            return f"{name}: {part!r} is not a value, a range or */step"
        start, end = bounds[0] or 0, bounds[1] or 0
        if not low <= start <= end <= high:
            return f"{name}: {part!r} is outside {low}-{high}"
    return None


def _number(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 4 else None


def command_words(command: str) -> list[str]:
    """Split a task command into words; raise on shell operators, expansions and bad quotes."""
    quote = ""
    escaped = False
    for char in command:
        if escaped:
            escaped = False
        elif char == "\\" and quote != "'":
            escaped = True
        elif quote:
            quote = "" if char == quote else quote
            if quote == '"' and char in "$`":
                raise DokkuError(_shell_hint(command, "expansions"))
        elif char in "'\"":
            quote = char
        elif char in _OPERATORS or char == "$":
            raise DokkuError(_shell_hint(command, "shell operators and expansions"))
        elif char in "\n\r\0":
            raise DokkuError(f"Invalid cron command {command[:80]!r}: it spans several lines")
    if quote or escaped:
        raise DokkuError(f"Invalid cron command {command[:80]!r}: unterminated quote")
    words = shlex.split(command)
    if not words:
        raise DokkuError("Invalid cron command: it is empty")
    return words


def _shell_hint(command: str, what: str) -> str:
    return (
        f"Invalid cron command {command[:80]!r}: {what} are not run by a shell; "
        "wrap the command in sh -c '...'"
    )


def from_app_json(
    app: str,
    app_json: dict[str, Any],
    task_maintenance: dict[str, str],
    app_maintenance: bool,
) -> list[CronTask]:
    """Return the tasks app.json `cron` declares; raise a DokkuError on any invalid entry.

    `task_maintenance` maps task ids to the stored `maintenance.ID` values.
    """
    entries = app_json.get("cron") or []
    if not isinstance(entries, list):
        raise DokkuError("app.json: cron must be a list of tasks")
    tasks = []
    for index, entry in enumerate(entries):
        tasks.append(_task(app, index, entry, task_maintenance, app_maintenance))
    return tasks


def _task(
    app: str, index: int, entry: object, stored: dict[str, str], app_maintenance: bool
) -> CronTask:
    where = f"app.json: cron[{index}]"
    if not isinstance(entry, dict):
        raise DokkuError(f"{where} must be an object with command and schedule")
    command, schedule = entry.get("command"), entry.get("schedule")
    if not isinstance(command, str) or not command.strip():
        raise DokkuError(f"{where}: missing cron task command")
    if len(command) > COMMAND_MAX:
        raise DokkuError(f"{where}: the command is longer than {COMMAND_MAX} characters")
    if not isinstance(schedule, str) or not schedule:
        raise DokkuError(f"{where}: missing cron schedule")
    problem = schedule_problem(schedule)
    if problem:
        raise DokkuError(f"{where}: invalid cron schedule {schedule[:80]!r}: {problem}")
    try:
        command_words(command)
    except DokkuError as exc:
        raise DokkuError(f"{where}: {exc.message}") from exc
    policy = entry.get("concurrency_policy") or "allow"
    if policy not in POLICIES:
        raise DokkuError(
            f"{where}: invalid concurrency_policy {str(policy)[:40]!r}; "
            f"expected {', '.join(POLICIES)}"
        )
    maintenance = entry.get("maintenance", False)
    if not isinstance(maintenance, bool):
        raise DokkuError(f"{where}: maintenance must be true or false")
    ident = task_id(app, command, schedule)
    suspended = maintenance or stored.get(ident) == "true"
    return CronTask(app, ident, command, schedule, policy, suspended, app_maintenance)
