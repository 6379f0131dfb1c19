"""The daily `letsencrypt:auto-renew` job: the dokku user's crontab, or a systemd timer.

The job goes in dokku's crontab (`pydokku.crontab`), as dokku-letsencrypt does, or,
run as root where systemd runs, in a systemd timer.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import sys
from pathlib import Path

from pydokku import crontab, paths, runner
from pydokku.crontab import DOKKU_USER
from pydokku.errors import DokkuError

COMMAND = "letsencrypt:auto-renew"
LOG_FILE = "/var/log/dokku/letsencrypt.log"
SCHEDULE = "@daily"
UNIT_DIR = Path("/etc/systemd/system")
UNIT = "pydokku-letsencrypt"
# Unquoted in a crontab line: no spaces, quotes, `$` or `%` (cron turns `%` into a newline).
SAFE_PATH_RE = re.compile(r"^/[A-Za-z0-9._/@+=,:~-]*\Z")


def dokku_binary() -> str:
    """Return the absolute path of the `dokku` program running now (cron has a bare PATH)."""
    beside = Path(sys.executable).parent / "dokku"
    found = str(beside) if beside.is_file() else shutil.which("dokku")
    if not found:
        raise DokkuError("Cannot find the dokku program for the cron job")
    return _safe(found)


def job_command() -> str:
    """Return the command the job runs: auto-renew with its output appended to the log."""
    roots = {"DOKKU_ROOT": paths.dokku_root(), "DOKKU_LIB_ROOT": paths.lib_root()}
    defaults = {"DOKKU_ROOT": paths.DEFAULT_DOKKU_ROOT, "DOKKU_LIB_ROOT": paths.DEFAULT_LIB_ROOT}
    env = [
        f"{name}={_safe(str(path))}" for name, path in roots.items() if path != Path(defaults[name])
    ]
    return " ".join([*env, dokku_binary(), COMMAND, f">>{LOG_FILE}", "2>&1"])


def cron_line() -> str:
    """Return the crontab line of the job."""
    return f"{SCHEDULE} {job_command()}"


def add() -> str:
    """Install the daily job (replacing an older one); return where it went."""
    if _use_systemd():
        _write_units()
        return f"systemd timer {UNIT}.timer"
    lines = [line for line in _crontab_lines() if COMMAND not in line]
    _write_crontab([*lines, cron_line()])
    return f"the crontab of {crontab.owner()}"


def remove() -> str:
    """Remove the daily job; return where it was looked for."""
    if _use_systemd():
        _remove_units()
        return f"systemd timer {UNIT}.timer"
    lines = _crontab_lines()
    kept = [line for line in lines if COMMAND not in line]
    if kept != lines:
        _write_crontab(kept)
    return f"the crontab of {crontab.owner()}"


@functools.cache
def installed() -> bool:
    """Tell whether the daily job is in place."""
    if _use_systemd():
        return (UNIT_DIR / f"{UNIT}.timer").exists()
    try:
        return any(COMMAND in line for line in _crontab_lines())
    except DokkuError:
        return False


def service_unit() -> str:
    """Return the systemd service running auto-renew once."""
    return (
        "[Unit]\nDescription=Renew pydokku's Let's Encrypt certificates\n\n"
        "[Service]\nType=oneshot\n"
        f"User={DOKKU_USER}\nExecStart={dokku_binary()} {COMMAND}\n"
    )


def timer_unit() -> str:
    """Return the systemd timer starting the service daily."""
    return (
        "[Unit]\nDescription=Renew pydokku's Let's Encrypt certificates daily\n\n"
        "[Timer]\nOnCalendar=daily\nRandomizedDelaySec=1h\nPersistent=true\n\n"
        "[Install]\nWantedBy=timers.target\n"
    )


def _use_systemd() -> bool:
    from pydokku.plugins.nginx.control import systemd_running

    return os.geteuid() == 0 and systemd_running()


def _crontab_lines() -> list[str]:
    return crontab.read().splitlines()


def _write_crontab(lines: list[str]) -> None:
    crontab.write("".join(f"{line}\n" for line in lines))
    installed.cache_clear()


def _write_units() -> None:
    (UNIT_DIR / f"{UNIT}.service").write_text(service_unit())
    (UNIT_DIR / f"{UNIT}.timer").write_text(timer_unit())
    runner.run(["systemctl", "daemon-reload"], timeout=60)
    runner.run(["systemctl", "enable", "--now", f"{UNIT}.timer"], timeout=60)
    installed.cache_clear()


def _remove_units() -> None:
    timer = UNIT_DIR / f"{UNIT}.timer"
    if timer.exists():
        runner.run(["systemctl", "disable", "--now", f"{UNIT}.timer"], check=False, timeout=60)
    timer.unlink(missing_ok=True)
    (UNIT_DIR / f"{UNIT}.service").unlink(missing_ok=True)
    runner.run(["systemctl", "daemon-reload"], timeout=60)
    installed.cache_clear()


def _safe(text: str) -> str:
    """Return a path that can stand unquoted in a crontab line, else raise."""
    if not SAFE_PATH_RE.match(text):
        raise DokkuError(f"Path {text!r} cannot be written into a crontab line")
    return text
