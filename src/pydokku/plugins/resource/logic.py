"""Resource limits and reservations, stored as Dokku stores them.

Property keys are `PROCESS.TYPE.KEY` (`_default_.limit.memory`, `web.reserve.memory`)
under the app or `--global`. A container of a process type gets, per key, the first
value found in: the app's process type, the app's default, the global process type,
the global default. The `build` process type applies to the image build only, and
only with values set for it.
"""

from __future__ import annotations

import re

from pydokku import properties, state
from pydokku.errors import DokkuError
from pydokku.validation import GLOBAL_SCOPE

PLUGIN = "resource"
DEFAULT_PROCESS = "_default_"
BUILD_PROCESS = "build"
KEYS = (
    "cpu",
    "memory",
    "memory-swap",
    "network",
    "network-ingress",
    "network-egress",
    "nvidia-gpu",
)
TYPES = {"limit": "limits", "reserve": "reservation"}
CLEAR = "clear"
_PROCESS_RE = re.compile(r"^[A-Za-z0-9_-]+$")


def check_process(process: str) -> str:
    """Return the process type (`_default_` when none), refusing a malformed one."""
    if not process:
        return DEFAULT_PROCESS
    if process == DEFAULT_PROCESS or not _PROCESS_RE.match(process):
        raise DokkuError(f"Invalid process type {process!r}")
    return process


def key(process: str, kind: str, name: str) -> str:
    """Return the property key of one value."""
    return f"{process}.{kind}.{name}"


def stored(scope: str, process: str, kind: str) -> dict[str, str]:
    """Return the values set for one scope, process type and kind (limit or reserve)."""
    values = properties.all_for(PLUGIN, scope)
    return {n: values[key(process, kind, n)] for n in KEYS if key(process, kind, n) in values}


def effective(app: str, process: str, kind: str) -> dict[str, str]:
    """Return the values a container of a process type gets (app, then global)."""
    if process == BUILD_PROCESS:
        return {**stored(GLOBAL_SCOPE, process, kind), **stored(app, process, kind)}
    found: dict[str, str] = {}
    for scope, proc in (
        (GLOBAL_SCOPE, DEFAULT_PROCESS),
        (GLOBAL_SCOPE, process),
        (app, DEFAULT_PROCESS),
        (app, process),
    ):
        found.update(stored(scope, proc, kind))
    return found


def set_values(scope: str, process: str, kind: str, values: dict[str, str]) -> None:
    """Check and store values (`clear` removes one); nothing is stored if one is refused."""
    from pydokku.plugins.resource import host

    cleared = [n for n, v in values.items() if v == CLEAR]
    for name, value in values.items():
        if value != CLEAR:
            host.check_value(kind, name, value)
    after = {**_in_force(scope, process, kind), **values}
    host.check_combination(kind, {n: v for n, v in after.items() if n not in cleared})
    with state.transaction() as conn:
        for name, value in values.items():
            properties.store(conn, PLUGIN, scope, key(process, kind, name), _stored(value))


def _in_force(scope: str, process: str, kind: str) -> dict[str, str]:
    """Return the values a container of `process` gets in `scope` (the global one alone)."""
    if scope != GLOBAL_SCOPE:
        return effective(scope, process, kind)
    return {**stored(scope, DEFAULT_PROCESS, kind), **stored(scope, process, kind)}


def _stored(value: str) -> str | None:
    return None if value == CLEAR else value


def clear(scope: str, process: str | None, kind: str) -> None:
    """Remove the values of a kind, for one process type or (None) every one."""
    values = properties.all_for(PLUGIN, scope)
    with state.transaction() as conn:
        for prop in values:
            proc, _, rest = prop.partition(".")
            if rest.startswith(f"{kind}.") and (process is None or proc == process):
                properties.store(conn, PLUGIN, scope, prop, None)


def report_rows(scope: str) -> list[tuple[str, str]]:
    """Return every stored value of a scope as a report row (`web.limit.memory`)."""
    return sorted(properties.all_for(PLUGIN, scope).items())
