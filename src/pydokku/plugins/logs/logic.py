"""Reading an app's container logs, merged in time order and prefixed `APP[web.1]:`."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator

from pydokku import engine, release
from pydokku.errors import DokkuError
from pydokku.plugins.apps.logic import list_apps, require_app

DEFAULT_MAX_SIZE = "10m"


def _containers(app: str, process: str | None) -> list[engine.ContainerInfo]:
    from pydokku.plugins.scheduler_docker_local.logic import live_containers

    found = [
        c
        for c in live_containers(require_app(app))
        if not process
        or c.labels.get(engine.LABEL_PROCESS) == process
        or c.labels.get(engine.LABEL_DYNO) == process
    ]
    if not found:
        what = f"{process} processes" if process else "containers"
        raise DokkuError(f"App {app} has no {what}; {_never_ran_hint(app)}")
    return sorted(found, key=lambda c: c.labels.get(engine.LABEL_DYNO, ""))


def _prefix(app: str, info: engine.ContainerInfo, quiet: bool) -> str:
    return "" if quiet else f"{app}[{info.labels.get(engine.LABEL_DYNO, info.name)}]: "


def recent_lines(app: str, num: int, process: str | None = None, quiet: bool = False) -> list[str]:
    """Return the last `num` lines of each container, merged by time."""
    stamped: list[tuple[str, str]] = []
    for info in _containers(app, process):
        prefix = _prefix(app, info, quiet)
        for line in engine.logs(info.name, tail=num, timestamps=True):
            stamp, _, text = line.partition(" ")
            stamped.append((stamp, prefix + text))
    stamped.sort(key=lambda item: item[0])
    return [text for _, text in stamped[-num:]] if num else [t for _, t in stamped]


def follow_lines(
    app: str, num: int, process: str | None = None, quiet: bool = False
) -> Iterator[str]:
    """Yield the last lines then new ones from every container as they come."""
    lines: queue.Queue[str] = queue.Queue()
    for info in _containers(app, process):
        prefix = _prefix(app, info, quiet)
        worker = threading.Thread(target=_pump, args=(info.name, prefix, num, lines), daemon=True)
        worker.start()
    while True:
        yield lines.get()


def _pump(name: str, prefix: str, num: int, lines: queue.Queue[str]) -> None:
    try:
        for line in engine.logs(name, follow=True, tail=num):
            lines.put(prefix + line)
    except DokkuError:
        return


def _never_ran_hint(app: str) -> str:
    failed = release.last_failure(app)
    if failed is None:
        return "is it deployed?"
    reason = (failed.failure_reason.splitlines() or ["unknown reason"])[0]
    return (
        f"its last deploy (v{failed.version}) failed: {reason} "
        f"(see `dokku logs:failed {app}` and `dokku releases:info {app} v{failed.version}`)"
    )


def failed_lines(app: str) -> list[str] | None:
    """Return the reason and last container lines of the app's latest failed deploy, or None."""
    failed = release.latest_failed(app)
    if failed is None:
        return None
    reason = failed.failure_reason or "(no reason recorded)"
    head = [f"Release v{failed.version} failed at {failed.created_at}: {reason}"]
    return head + (failed.failure_logs or ["(no container output was recorded)"])


def apps_with_failures() -> list[str]:
    """Return the apps that have a failed release."""
    return [app for app in list_apps() if release.latest_failed(app) is not None]


def max_size_problem(value: str) -> str | None:
    """Property validator for `max-size`: a number with a k, m or g unit, or `unlimited`."""
    if value == "unlimited":
        return None
    number, unit = value[:-1], value[-1:]
    if unit not in ("k", "m", "g"):
        return "the value must end in one of k, m, g (or be unlimited)"
    if not (number.isascii() and number.isdigit()) or int(number) < 1:
        return "expected a whole number followed by k, m or g (e.g. 10m)"
    return None


def docker_max_size(app: str) -> str:
    """Return the json-file `max-size` for an app's containers ('' when unlimited)."""
    from pydokku import properties

    value = properties.resolve("logs", app, "max-size", DEFAULT_MAX_SIZE)
    return "" if value == "unlimited" else value
