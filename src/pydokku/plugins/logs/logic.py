"""Reading an app's container logs, merged in time order and prefixed `APP[web.1]:`."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator

from pydokku import engine
from pydokku.errors import DokkuError
from pydokku.plugins.apps.logic import require_app


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
        raise DokkuError(f"App {app} has no {what}; is it deployed?")
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
