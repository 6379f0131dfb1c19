"""The rest of a deploy's watch window, in a detached process, so commands return early.

After the switch a deploy waits until its new containers have run `checks:set
foreground-wait` seconds (3.5) and hands the rest of `default-wait` to `dokku
ps:watch`, a detached process that inherits the app's deploy lock, so no other
deploy of the app interleaves; a newer deploy asks it (SIGUSR1) to finish at
once, since it replaces the watched release anyway. If a new container dies in
the window, the watcher switches traffic back to the old containers, exactly as
the deploy would have, and records the failure (`release.record_failure`:
events, `releases:info`, `logs:failed`). Otherwise it gives the new containers
their final names and retires the old ones.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time

from pydokku import engine, release, runner, state
from pydokku.errors import DokkuError
from pydokku.plugins.checks import logic as checks
from pydokku.plugins.scheduler_docker_local import logic

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

STATUS_WAIT_S = 60.0  # how long the watcher waits for the deploy to record its release


class PendingWatch:
    """What a deploy leaves to watch after it returns: started by `start()`, once."""

    def __init__(self, app: str, version: int, **fields: Any) -> None:
        self.app = app
        self.version = version
        self.fields = fields

    def to_json(self) -> str:
        """Return the watch as the watcher's argument."""
        return json.dumps({"app": self.app, "version": self.version, **self.fields})

    def start(self) -> None:
        """Start the detached watcher, handing it the deploy lock when this process holds it."""
        from pydokku import output
        from pydokku.plugins.deploy.lock import held_fd

        fd = held_fd(self.app)
        args = ["ps:watch", self.app, self.to_json()]
        if fd is not None:
            args += ["--lock-fd", str(fd)]
        runner.spawn_dokku(*args, pass_fds=(fd,) if fd is not None else ())
        seconds = round(float(self.fields["remaining"]))
        output.verbose(
            f"Watching v{self.version} for {seconds} s more in the background; a crash switches "
            f"back (see `dokku releases:info {self.app} v{self.version}` and events)"
        )


def run(raw: str, lock_fd: int | None, route: Callable[[], None]) -> bool:
    """Watch the rest of the window, then finish the deploy or switch back; True if it held."""
    data = json.loads(raw)
    app = str(data["app"])
    if lock_fd is None:
        from pydokku.plugins.deploy.lock import deploy_lock, held_fd

        with deploy_lock(app):
            return _watch(data, route, held_fd(app))
    try:
        return _watch(data, route, lock_fd)
    finally:
        os.close(lock_fd)


def _watch(data: dict[str, Any], route: Callable[[], None], lock_fd: int | None) -> bool:
    from pydokku.plugins.deploy.lock import mark_watcher

    app, version = str(data["app"]), int(data["version"])
    started = [(str(p), str(s), str(f)) for p, s, f in data["started"]]
    asked = threading.Event()  # a newer deploy wants the lock: finish the watch now
    signal.signal(signal.SIGUSR1, lambda *_: asked.set())
    if lock_fd is not None:
        mark_watcher(lock_fd)  # after the handler: only then may a deploy signal us
    window = int(data["window"])
    try:
        checks.watch(list(data["watched"]), float(data["remaining"]), window, asked.is_set)
    except DokkuError as exc:
        log_lines = logic.failed_log_lines(app, [final for _, _, final in started])
        switch_back(app, data, route)
        _wait_recorded(app, version)
        release.record_failure(app, version, exc.message, log_lines)
        return False
    logic.retire_later(app, [retired for _, retired in data["old"]])
    return True


def switch_back(app: str, data: dict[str, Any], route: Callable[[], None]) -> None:
    """Undo a deploy whose names were already swapped: old containers serve again."""
    from pydokku import output, properties

    for _, _, final in data["started"]:
        engine.remove_container(final)
    policy = properties.resolve("ps", app, "restart-policy", "on-failure:10")
    for before, retired in data["old"]:
        if engine.container(retired) is not None:
            engine.rename_container(retired, before)
            engine.update_restart_policy(before, policy)
    for name in data["stopped_first"]:
        engine.start_container(name)
    logic.set_active(app, int(data["previous"]))
    output.warn("Switching traffic back to the previous release")
    route()


def _wait_recorded(app: str, version: int) -> None:
    """Wait until the deploy process has recorded the release's outcome (not `pending`)."""
    deadline = time.monotonic() + STATUS_WAIT_S
    while time.monotonic() < deadline:
        rows = state.query(
            "SELECT status FROM releases WHERE app = ? AND version = ?", (app, version)
        )
        if not rows or rows[0]["status"] != "pending":
            return
        time.sleep(0.1)
