"""Which scheduler runs an app: `selected` (default docker-local).

`strategies.scheduler_for` reads the same property at deploy time.
"""

from __future__ import annotations

DEFAULT = "docker-local"


def available() -> list[str]:
    """Return the names of the schedulers the installed plugins offer."""
    from pydokku.plugins.manager import hook

    names: set[str] = set()
    for offered in hook().schedulers():
        names.update(offered or {})
    return sorted(names)


def scheduler_problem(value: str) -> str | None:
    """Property validator: a scheduler some installed plugin offers."""
    names = available()
    if value in names:
        return None
    return f"unknown scheduler {value[:64]!r}; available: {', '.join(names) or 'none'}"
