"""Reading the event log and switching it on or off."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from pydokku import properties, state
from pydokku.validation import GLOBAL_SCOPE

PLUGIN = "events"


@dataclass
class Event:
    """One recorded state change."""

    id: int
    at: str
    target: str
    actor: str
    action: str
    detail: str

    def line(self) -> str:
        """Return the one-line text form of the event."""
        text = f"{self.at} {self.actor} {self.target} {self.action}"
        return f"{text} {self.detail}" if self.detail else text

    def as_dict(self) -> dict[str, object]:
        """Return the event as a JSON-ready dict."""
        return asdict(self)


def recent(limit: int, after_id: int = 0) -> list[Event]:
    """Return the last `limit` events newer than `after_id`, oldest first."""
    rows = state.query(
        "SELECT id, at, target, actor, action, detail FROM events WHERE id > ? "
        "ORDER BY id DESC LIMIT ?",
        (after_id, limit),
    )
    return [Event(**dict(row)) for row in reversed(rows)]


def is_enabled() -> bool:
    """Tell whether events are being recorded (on unless `events:off`)."""
    return properties.resolve(PLUGIN, None, "enabled", "true") == "true"


def set_enabled(enabled: bool) -> None:
    """Turn the event log on or off; the switch itself is always recorded."""
    with state.transaction() as conn:
        if enabled:
            properties.store(conn, PLUGIN, GLOBAL_SCOPE, "enabled", "true")
        else:
            state.record_event(conn, GLOBAL_SCOPE, "events:off")
            properties.store(conn, PLUGIN, GLOBAL_SCOPE, "enabled", "false")
