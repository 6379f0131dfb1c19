"""Strict Procfile parsing: `<type>: <command>` lines, each type once."""

from __future__ import annotations

import re

from pydokku.errors import DokkuError

PROCESS_TYPE_RE = re.compile(r"^[A-Za-z0-9_-]+\Z")  # \Z: `$` would accept a trailing newline
# Process types become container names (APP.TYPE.N) and DNS labels.
MAX_TYPE_LENGTH = 63


def parse_procfile(text: str, source: str = "Procfile") -> dict[str, str]:
    """Return {process type: command}; raise naming the line for any invalid entry."""
    processes: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, command = line.partition(":")
        name, command = name.strip(), command.strip()
        where = f"{source} line {number}"
        if not sep or not command:
            raise DokkuError(f"{where}: expected '<process type>: <command>', got {raw!r}")
        if not PROCESS_TYPE_RE.match(name) or len(name) > MAX_TYPE_LENGTH:
            raise DokkuError(
                f"{where}: invalid process type {name!r} (use letters, digits, '-' and '_')"
            )
        if name in processes:
            raise DokkuError(f"{where}: duplicate process type {name!r}")
        processes[name] = command
    return processes
