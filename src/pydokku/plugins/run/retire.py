"""`run:retire`: stop one-off and cron containers past their active deadline.

`run --ttl-seconds N` and `run:detached` label their container with Dokku's
`com.dokku.active-deadline-seconds`; a container running longer than that is
removed. A container without the label has no deadline.
"""

from __future__ import annotations

import time
from datetime import datetime

from pydokku import engine
from pydokku.plugins.run.logic import DEADLINE_LABEL, RUN_TYPE

CONTAINER_TYPES = (RUN_TYPE, "cron")


def started_epoch(started_at: str) -> float | None:
    """Return Docker's `StartedAt` (RFC 3339, nanoseconds) as Unix time, or None if unset."""
    if not started_at or started_at.startswith("0001-"):
        return None
    text = started_at.rstrip("Z")
    whole, _, fraction = text.partition(".")
    try:
        moment = datetime.fromisoformat(whole + "+00:00")
    except ValueError:
        return None
    return moment.timestamp() + (float(f"0.{fraction[:6]}") if fraction.isdigit() else 0.0)


def is_expired(labels: dict[str, str], started_at: str, now: float) -> bool:
    """Tell whether a container started at `started_at` is past its deadline label."""
    raw = labels.get(DEADLINE_LABEL, "")
    started = started_epoch(started_at)
    if not raw.isdigit() or started is None:
        return False
    return now - started > int(raw)


def retire_expired(app: str | None, now: float | None = None) -> list[str]:
    """Remove the expired run and cron containers of an app (or of all); return their names."""
    if app:
        from pydokku.plugins.apps.logic import require_app

        require_app(app)
    moment = time.time() if now is None else now
    retired = []
    for kind in CONTAINER_TYPES:
        labels = {"com.dokku.container-type": kind, DEADLINE_LABEL: ""}
        if app:
            labels[engine.LABEL_APP] = app
        for info in engine.containers(labels, include_stopped=False):
            if is_expired(info.labels, info.started_at, moment):
                engine.remove_container(info.id)
                retired.append(info.name)
    return retired
