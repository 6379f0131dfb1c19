"""Which checks gate a deploy, and the two phases that run them.

`verify` runs before traffic moves: user-defined checks, or for web processes
without any, until the container answers on its port. `probation` runs after
the switch, for the default-wait window (10 s): processes without user-defined
checks must stay up that long. Old containers keep running until it ends, so
the scheduler can switch traffic back when a new container dies in the window.
Only the new containers' first `foreground-wait` seconds (3.5) hold the command
(a push returns then); the scheduler watches the rest in the background.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from pydokku import output, properties, state
from pydokku.errors import DokkuError
from pydokku.plugins.checks import probe
from pydokku.plugins.checks.spec import DEPLOY_TYPES, Check, from_app_json
from pydokku.release import Release

PLUGIN = "checks"
ALL = "_all_"
DEFAULTS = {
    "wait-to-retire": "60",
    "default-wait": "10",
    "wait": "5",
    "timeout": "5",
    "attempts": "3",
}
ANSWER_TIMEOUT_S = 60.0
FOREGROUND_KEY = "foreground-wait"
FOREGROUND_DEFAULT = "3.5"
ALL_WINDOW = "all"


def setting(app: str, key: str) -> int:
    """Return a numeric checks setting of an app (app -> global -> default)."""
    return int(properties.resolve(PLUGIN, app, key, DEFAULTS[key]))


def mode(app: str, process: str) -> str:
    """Return `enabled`, `disabled` (stop old first) or `skipped` (no checks) for a process."""
    for state_name in ("disabled", "skipped"):
        listed = (properties.get(PLUGIN, app, state_name) or "").split(",")
        if ALL in listed or process in listed:
            return state_name
    return "enabled"


def set_mode(app: str, processes: list[str], new_mode: str) -> None:
    """Enable, disable or skip checks for some processes (empty list: all of them)."""
    targets = processes or [ALL]
    with state.transaction() as conn:
        for state_name in ("disabled", "skipped"):
            raw = properties.get(PLUGIN, app, state_name, conn) or ""
            listed = [p for p in raw.split(",") if p and p != ALL and p not in targets]
            if not processes:
                listed = []
            if state_name == new_mode:
                listed += targets
            properties.store(conn, PLUGIN, app, state_name, ",".join(listed) or None)


def checks_for(
    release: Release, process: str, types: tuple[str, ...] = DEPLOY_TYPES
) -> list[Check]:
    """Return the user-defined checks of a process, with checks:set timing as defaults."""
    app_json: dict[str, Any] = dict(release.app_json)
    declared = (app_json.get("healthchecks") or {}).get(process) or []
    defaults = {k: setting(release.app, k) for k in ("wait", "timeout", "attempts")}
    merged = {"healthchecks": {process: [{**defaults, **spec} for spec in declared]}}
    return [c for c in from_app_json(merged).get(process, []) if c.type in types]


def verify(release: Release, started: list[tuple[str, str]], host: str) -> None:
    """Run the pre-switch checks of new containers; raise naming the first failure."""
    for process, name in started:
        if mode(release.app, process) == "skipped":
            continue
        checks = checks_for(release, process)
        for check in checks:
            output.verbose(f"Running check {check.name!r} on {name}")
            try:
                probe.run_check(check, probe.Target(name, release.web_port, host))
            except DokkuError as exc:
                if not check.warn:
                    raise
                output.warn(f"Check {check.name!r} failed (warn only): {exc.message}")
        if not checks and process == "web":
            output.verbose(f"Waiting for {name} to answer on port {release.web_port}")
            probe.wait_answering(name, release.web_port, ANSWER_TIMEOUT_S, host)


def needs_probation(release: Release, process: str) -> bool:
    """Tell whether a process waits out the default-wait window (no checks of its own)."""
    return mode(release.app, process) != "skipped" and not checks_for(release, process)


def foreground_wait(app: str) -> float | None:
    """Return how long after the new containers start a command waits (None: the whole window)."""
    value = properties.resolve(PLUGIN, app, FOREGROUND_KEY, FOREGROUND_DEFAULT)
    return None if value == ALL_WINDOW else float(value)


def validate_foreground_wait(value: str) -> str | None:
    """Property validator: seconds (0 or more, decimals allowed) or `all`."""
    if value == ALL_WINDOW:
        return None
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    return None if 0 <= seconds <= 3600 else "expected a number of seconds or `all`"


def probation(
    release: Release, started: list[tuple[str, str]], started_at: float
) -> tuple[list[str], float]:
    """Watch new containers for default-wait seconds, or for their first `foreground-wait`
    seconds (counted from `started_at`, a monotonic time); raise if one dies.

    Return the containers still to watch and the seconds left of the window (0: done).
    """
    watched = [name for process, name in started if needs_probation(release, process)]
    window = setting(release.app, "default-wait")
    if not watched or window <= 0:
        return [], 0.0
    limit = foreground_wait(release.app)
    held = float(window)
    if limit is not None:
        held = min(held, max(0.0, started_at + limit - time.monotonic()))
    if held >= window:
        output.verbose(f"Watching new containers for {window} s (checks:set default-wait)")
    else:
        output.verbose(
            f"Watching new containers for {held:.1f} s, the rest of {window} s in the "
            "background (checks:set foreground-wait)"
        )
    watch(watched, held, window)
    return (watched, window - held) if held < window else ([], 0.0)


def watch(
    names: list[str], seconds: float, window: int, cut_short: Callable[[], bool] | None = None
) -> None:
    """Check for `seconds` (or until `cut_short()`) that the containers keep running;
    raise naming the one that died."""
    deadline = time.monotonic() + seconds
    while True:
        for name in names:
            try:
                probe.running(name)
            except probe.CheckFailedError as exc:
                raise DokkuError(
                    f"{name} {exc} within {window} s of starting" + probe.log_tail(name)
                ) from exc
        if time.monotonic() >= deadline or (cut_short is not None and cut_short()):
            return
        time.sleep(probe.POLL_S * 2)
