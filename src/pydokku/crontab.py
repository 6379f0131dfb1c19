"""The one place pydokku reads and writes a crontab (letsencrypt renewals, backups).

Run as the dokku user (the CLI drops to it on installed hosts) it edits that user's
crontab; run as root it edits dokku's (`crontab -u dokku`), so every job runs as
the user who owns pydokku's files. `PYDOKKU_CRONTAB` names another program (tests).
"""

from __future__ import annotations

import os
import shutil

from pydokku import runner
from pydokku.errors import DokkuError

DOKKU_USER = "dokku"
TIMEOUT_S = 30


def owner() -> str:
    """Return the name of the user whose crontab is edited."""
    if os.geteuid() == 0:
        return DOKKU_USER
    import pwd

    return pwd.getpwuid(os.geteuid()).pw_name


def read() -> str:
    """Return the crontab's text ('' when there is none)."""
    proc = runner.run(_argv("-l"), check=False, timeout=TIMEOUT_S)
    if proc.returncode == 0:
        return proc.stdout
    if "no crontab" in proc.stderr.lower():
        return ""
    raise DokkuError(f"Cannot read the crontab: {proc.stderr.strip() or proc.returncode}")


def write(text: str) -> None:
    """Replace the crontab with `text`."""
    proc = runner.run(_argv("-"), check=False, input_text=text, timeout=TIMEOUT_S)
    if proc.returncode != 0:
        raise DokkuError(f"Cannot write the crontab: {proc.stderr.strip() or proc.returncode}")


def _argv(*args: str) -> list[str]:
    program = os.environ.get("PYDOKKU_CRONTAB") or shutil.which("crontab") or "crontab"
    user = ["-u", DOKKU_USER] if os.geteuid() == 0 else []
    return [program, *user, *args]
