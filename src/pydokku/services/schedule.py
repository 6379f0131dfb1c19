"""Scheduled backups: one entry per service in dokku's crontab (see `pydokku.crontab`).

Each entry is a marker comment and the line after it, so entries are found, replaced
and removed without touching anything else in the crontab (letsencrypt's job lives there
too). The command line is built from validated values and quoted; `%` (a newline to
cron) is refused upstream.
"""

from __future__ import annotations

import os
import re
import shlex
import sys

from pydokku import crontab
from pydokku.errors import DokkuError
from pydokku.services import names, store
from pydokku.services.data import validate_backup_dir
from pydokku.services.spec import ServiceType
from pydokku.services.store import Service

_FIELD_RE = re.compile(r"^[0-9A-Za-z*/,-]{1,64}\Z")
_NICKNAMES = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")


def validate_schedule(text: str) -> str:
    """Return a cron schedule (five fields, or @daily and friends) normalised, else raise."""
    fields = text.split()
    if len(fields) == 1 and fields[0] in _NICKNAMES:
        return fields[0]
    if len(fields) != 5 or not all(_FIELD_RE.match(f) for f in fields):
        raise DokkuError(
            f'Invalid cron schedule {text!r}: give five fields (e.g. "0 3 * * *") or @daily'
        )
    return " ".join(fields)


def marker(stype: ServiceType, name: str) -> str:
    """Return the comment line that precedes a service's entry."""
    return f"# pydokku backup: {stype.name} {name}"


def command_line(stype: ServiceType, name: str, directory: str) -> str:
    """Return the shell command cron runs: this pydokku's backup command, logged."""
    argv = [sys.executable, "-m", "pydokku", f"{stype.name}:backup", name, directory]
    env = [
        f"{key}={shlex.quote(os.environ[key])}"
        for key in ("DOKKU_ROOT", "DOKKU_LIB_ROOT")
        if os.environ.get(key)
    ]
    log = store.service_root(stype, name) / "backup.log"
    return " ".join([*env, shlex.join(argv), ">>", shlex.quote(str(log)), "2>&1"])


def find_entry(text: str, mark: str) -> str | None:
    """Return the crontab line after `mark`, or None."""
    lines = text.splitlines()
    for index, line in enumerate(lines[:-1]):
        if line == mark:
            return lines[index + 1]
    return None


def without_entry(text: str, mark: str) -> str:
    """Return crontab text without the entry marked `mark`."""
    lines, kept, skip = text.splitlines(), [], False
    for line in lines:
        if skip:
            skip = False
            continue
        if line == mark:
            skip = True
            continue
        kept.append(line)
    return "\n".join(kept) + "\n" if kept else ""


def with_entry(text: str, mark: str, line: str) -> str:
    """Return crontab text with the entry marked `mark` set to `line`."""
    return without_entry(text, mark) + f"{mark}\n{line}\n"


def schedule(stype: ServiceType, name: str, cron: str, directory: str) -> str:
    """Back up a service on a cron schedule into a directory; return the crontab line."""
    store.get(stype, names.validate_name(stype, name))
    cron = validate_schedule(cron)
    target = str(validate_backup_dir(directory))
    line = f"{cron} {command_line(stype, name, target)}"
    crontab.write(with_entry(crontab.read(), marker(stype, name), line))
    store.update(stype, name, backup_schedule=cron, backup_dir=target)
    return line


def unschedule(svc: Service) -> None:
    """Remove a service's scheduled backup (nothing happens when there is none)."""
    mark = marker(svc.stype, svc.name)
    current = crontab.read()
    if find_entry(current, mark) is not None:
        crontab.write(without_entry(current, mark))
    store.update(svc.stype, svc.name, backup_schedule="", backup_dir="")


def entry(stype: ServiceType, name: str) -> str:
    """Return a service's crontab line, or raise when no backup is scheduled."""
    store.get(stype, names.validate_name(stype, name))
    line = find_entry(crontab.read(), marker(stype, name))
    if line is None:
        raise DokkuError(f"There is no scheduled backup for {name}.")
    return line
