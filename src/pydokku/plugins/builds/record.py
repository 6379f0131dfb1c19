"""Recording a build around its entry point (git push, ps:rebuild, git:from-*, git:sync).

`recording(app, source)` wraps the entry point: it captures everything the process
prints (an `output` sink) and handles SIGTERM from `builds:cancel`. The record itself
is created when the build really starts (`pre_build`, after the deploy lock is held and
the pushed files were accepted), so a refused command records nothing. Output printed
before that is kept in memory and written first.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from pydokku import output, state
from pydokku.errors import DokkuError
from pydokku.ids import build_id
from pydokku.plugins.builds import store

_active: Recording | None = None


class BuildCanceled(BaseException):
    """Raised in the build process when `builds:cancel` stops it."""


class Recording:
    """The build in progress in this process."""

    def __init__(self, app: str, source: str) -> None:
        self.app = app
        self.source = source
        self.id = build_id()
        self.persisted = False
        self.stage = "build"
        self._pending: list[str] = []
        self._fd: int | None = None
        self._written = 0
        self._before = _latest_release(app)

    def capture(self, text: str) -> None:
        """Keep output: in memory until the record exists, then in its file (capped)."""
        if self._fd is None:
            if sum(map(len, self._pending)) < store.OUTPUT_CAP_BYTES:
                self._pending.append(text)
            return
        data = text.encode("utf-8", "replace")
        room = store.OUTPUT_CAP_BYTES - self._written
        if room <= 0:
            return
        if len(data) > room:
            data = data[:room] + b"\n[output truncated: more than 10 MB]\n"
        os.write(self._fd, data)
        self._written += len(data)

    def persist(self) -> None:
        """Create the record and its output file; the build has begun."""
        from pydokku import logfile

        if self.persisted:
            return
        _own_process_group()
        store.insert(self.id, self.app, self.source, os.getpid())
        self.persisted = True
        self._fd = logfile.open_append(store.log_path(self.app, self.id))
        pending, self._pending = self._pending, []
        for text in pending:
            self.capture(text)
        output.verbose(
            f"Build {self.id} ({self.source}); `dokku builds:cancel {self.app}` stops it"
        )

    def switching(self) -> None:
        """Note that containers are being switched: from here on a cancel is refused."""
        self.stage = "deploy"
        if self.persisted:
            store.set_stage(self.id, "deploy")

    def close(self, status: str, code: int, reason: str = "") -> None:
        """Finish the record (if the build began) and prune the app's old builds."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if not self.persisted:
            return
        made = _latest_release(self.app)
        store.finish(self.id, status, code, made if made > self._before else 0, reason)
        try:
            store.prune(self.app)
        except DokkuError as exc:
            output.warn(f"Cannot prune old builds of {self.app}: {exc.message}")


def active(app: str) -> Recording | None:
    """Return this process's recording for `app`, if one is going on."""
    return _active if _active is not None and _active.app == app else None


@contextmanager
def recording(app: str, source: str) -> Iterator[None]:
    """Record the build run inside the block (nested calls record once, the outer one)."""
    global _active
    if _active is not None or threading.current_thread() is not threading.main_thread():
        yield
        return
    rec = _active = Recording(app, source)
    output.add_sink(rec.capture)
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        yield
    except BuildCanceled:
        rec.close("canceled", -1, "canceled by builds:cancel")
        raise DokkuError(
            f"Build {rec.id} of {app} was canceled; the running release keeps serving"
        ) from None
    except BaseException as exc:
        rec.close("failed", 1, _reason(exc))
        raise
    else:
        rec.close("succeeded", 0)
    finally:
        signal.signal(signal.SIGTERM, previous)
        output.remove_sink(rec.capture)
        _active = None


def _on_sigterm(signum: int, frame: object) -> None:
    if _active is not None and _active.stage == "deploy":
        output.warn("Cancel requested while containers are switched; the deploy finishes first")
        return
    raise BuildCanceled("the build was canceled by builds:cancel")


def _own_process_group() -> None:
    """Lead a process group, so a cancel stops the build's helpers too (not over a terminal)."""
    try:
        if os.getpgrp() != os.getpid() and not os.isatty(0):
            os.setpgid(0, 0)
    except OSError:
        pass  # a session leader already leads its group


def _latest_release(app: str) -> int:
    rows = state.query("SELECT COALESCE(MAX(version), 0) AS v FROM releases WHERE app = ?", (app,))
    return int(rows[0]["v"])


def _reason(exc: BaseException) -> str:
    return exc.message if isinstance(exc, DokkuError) else type(exc).__name__
