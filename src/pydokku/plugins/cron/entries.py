"""The app cron tasks in the dokku user's crontab: one section, rewritten from the store.

The section is delimited by marker lines naming the lib root, so a test store (or a
second installation) never touches another's tasks, and letsencrypt's and the
backups' lines outside it stay as they are. It goes at the end of the crontab: its
MAILTO / MAILFROM lines apply to the lines that follow them. Suspended tasks are left
out. Each line runs `dokku cron:run APP ID`; the command itself never enters the crontab.
"""

from __future__ import annotations

from pydokku import crontab, paths, properties
from pydokku.errors import DokkuError
from pydokku.plugins.cron.settings import PLUGIN, tasks_for
from pydokku.plugins.cron.tasks import CronTask
from pydokku.validation import GLOBAL_SCOPE


def markers() -> tuple[str, str]:
    """Return the first and last line of this installation's section."""
    where = paths.lib_root_dir()
    return f"# BEGIN pydokku app cron tasks ({where})", f"# END pydokku app cron tasks ({where})"


def task_line(task: CronTask) -> str:
    """Return the crontab line that runs a task."""
    from pydokku.plugins.ssh_keys.invocation import dokku_command, require_safe, root_env

    env = [f"{name}={value}" for name, value in root_env()]
    words = require_safe([*env, *dokku_command(), "cron:run", task.app, task.id])
    return f"{task.schedule} {' '.join(words)}"


def section(tasks: list[CronTask]) -> list[str]:
    """Return the section's lines for these tasks ([] when none is scheduled)."""
    lines = [task_line(t) for t in tasks if not t.maintenance]
    if not lines:
        return []
    head = []
    for key in ("mailto", "mailfrom"):
        value = properties.get(PLUGIN, GLOBAL_SCOPE, key)
        if value:
            head.append(f"{key.upper()}={value}")
    first, last = markers()
    return [first, *head, *lines, last]


def replace_section(text: str, lines: list[str]) -> str:
    """Return crontab text with this installation's section replaced by `lines`."""
    first, last = markers()
    kept, inside = [], False
    for line in text.splitlines():
        if line == first:
            inside = True
        elif line == last and inside:
            inside = False
        elif not inside:
            kept.append(line)
    return "".join(f"{line}\n" for line in [*kept, *lines])


def all_tasks() -> list[CronTask]:
    """Return every app's tasks; an app whose stored app.json is unusable is skipped."""
    from pydokku import output
    from pydokku.plugins.apps.logic import list_apps

    found = []
    for app in list_apps():
        try:
            found.extend(tasks_for(app))
        except DokkuError as exc:
            output.warn(f"Skipping the cron tasks of {app}: {exc.message}")
    return found


def write() -> bool:
    """Rewrite the section from the store when it changed; return whether it was written."""
    lines = section(all_tasks())
    current = crontab.read()
    wanted = replace_section(current, lines)
    if wanted == current or (not lines and markers()[0] not in current.splitlines()):
        return False
    crontab.write(wanted)
    return True


def scheduled_lines() -> list[str]:
    """Return the task lines of this installation's section as installed now."""
    first, last = markers()
    lines = crontab.read().splitlines()
    if first not in lines:
        return []
    start = lines.index(first) + 1
    end = lines.index(last, start) if last in lines[start:] else len(lines)
    return [line for line in lines[start:end] if " cron:run " in line]
