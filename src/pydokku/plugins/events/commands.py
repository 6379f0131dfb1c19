"""events:* commands."""

from __future__ import annotations

import json
import time

from pydokku import output
from pydokku.cli.registry import Context, Namespace, arg, format_arg
from pydokku.errors import UsageError
from pydokku.plugins.events import logic

events = Namespace("events", "Show the log of every state change")
NAMESPACES = [events]
FOLLOW_INTERVAL_S = 0.5
SQLITE_MAX_INT = 2**63 - 1  # a larger -n would overflow the LIMIT parameter


@events.command("list", "[-n N] [-t] [--format stdout|json]", default=True)
@arg("-n", "--num", dest="num", type=int, default=100, help="number of events")
@arg("-t", "--tail", dest="tail", action="store_true", help="follow new events")
@format_arg()
def list_(ctx: Context, num: int, tail: bool, fmt: str) -> None:
    """List recent events (time, actor, app, action); -t keeps following."""
    if num < 1:
        raise UsageError("-n must be at least 1")
    if tail and fmt == "json":
        raise UsageError("--format json cannot be combined with -t")
    found = logic.recent(min(num, SQLITE_MAX_INT))
    if fmt == "json":
        output.echo(json.dumps([e.as_dict() for e in found]))
        return
    for event in found:
        output.echo(event.line())
    last = found[-1].id if found else 0
    while tail:
        time.sleep(FOLLOW_INTERVAL_S)
        for event in logic.recent(1000, last):
            output.echo(event.line())
            last = event.id


@events.command("on")
def on(ctx: Context) -> None:
    """Turn on the event log."""
    logic.set_enabled(True)
    output.step("Enabling dokku events logger")


@events.command("off")
def off(ctx: Context) -> None:
    """Turn off the event log."""
    logic.set_enabled(False)
    output.step("Disabling dokku events logger")
