"""The per-app deploy lock: two deploys of one app never interleave."""

from __future__ import annotations

import fcntl
import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager

from pydokku import output, paths
from pydokku.errors import DokkuError

DEFAULT_WAIT_S = 600.0
POLL_S = 0.2
WATCHER_MARK = "watch"  # the lock file reads "PID watch" while a watcher holds it
_held: dict[str, int] = {}  # app -> the descriptor of the lock this process holds


def lock_path(app: str) -> str:
    """Return the lock file of an app."""
    directory = paths.lib_root() / "data" / "pydokku" / "locks"
    directory.mkdir(parents=True, exist_ok=True)
    return str(directory / f"{app}.lock")


@contextmanager
def deploy_lock(app: str, wait_s: float | None = None) -> Iterator[None]:
    """Hold the app's deploy lock; wait for another deploy, then fail clearly.

    Re-entrant: inside a block holding the app's lock, it holds already.
    """
    if app in _held:
        yield
        return
    limit = (
        wait_s
        if wait_s is not None
        else float(os.environ.get("DOKKU_DEPLOY_LOCK_WAIT", DEFAULT_WAIT_S))
    )
    fd = os.open(lock_path(app), os.O_RDWR | os.O_CREAT, 0o664)
    try:
        _acquire(fd, app, limit)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        _held[app] = fd
        yield
    finally:
        _held.pop(app, None)
        os.close(fd)  # releases the flock, unless a watcher inherited the descriptor


def held_fd(app: str) -> int | None:
    """Return the descriptor of the app's deploy lock while this process holds it.

    A detached watcher given this descriptor keeps the lock held after we close ours.
    """
    return _held.get(app)


def _acquire(fd: int, app: str, limit: float) -> None:
    deadline = time.monotonic() + limit
    announced = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").split()
            if time.monotonic() >= deadline:
                pid = holder[0] if holder else "?"
                raise DokkuError(
                    f"Another deploy of {app} is in progress (pid {pid}); try again later"
                ) from None
            if not announced:
                if not _end_watch(holder):
                    output.step(f"Waiting for another deploy of {app} to finish")
                announced = True
            time.sleep(POLL_S)


def holder(app: str) -> int | None:
    """Return the pid holding the app's deploy lock, or None when it is free."""
    fd = os.open(lock_path(app), os.O_RDWR | os.O_CREAT, 0o664)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            words = os.pread(fd, 32, 0).decode(errors="replace").split()
            return int(words[0]) if words and words[0].isdigit() else 0
        return None
    finally:
        os.close(fd)


def mark_watcher(fd: int) -> None:
    """Record in the lock file that a background watcher (this process) holds it."""
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()} {WATCHER_MARK}".encode(), 0)  # the offset is shared


def _end_watch(holder: list[str]) -> bool:
    """Ask a background watcher holding the lock to finish now; True if one was asked.

    A newer deploy replaces the watched release anyway, so it need not wait out its window.
    """
    if len(holder) != 2 or holder[1] != WATCHER_MARK or not holder[0].isdigit():
        return False
    try:
        os.kill(int(holder[0]), signal.SIGUSR1)
    except OSError:
        return False
    return True


def end_watch(app: str, wait_s: float = 30.0) -> None:
    """Let a background watcher holding the app's lock finish now, and wait until it has.

    For commands that change containers without the deploy lock (ps:stop, ps:start,
    apps:destroy): the watcher would take a stopped container for a crash. A deploy in
    progress (not a watcher) is not waited for.
    """
    fd = os.open(lock_path(app), os.O_RDWR | os.O_CREAT, 0o664)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if _end_watch(os.pread(fd, 32, 0).decode(errors="replace").split()):
                _acquire(fd, app, wait_s)
    finally:
        os.close(fd)
