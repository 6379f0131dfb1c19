"""The per-app deploy lock: two deploys of one app never interleave."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

from pydokku import output, paths
from pydokku.errors import DokkuError

DEFAULT_WAIT_S = 600.0
POLL_S = 0.2


def lock_path(app: str) -> str:
    """Return the lock file of an app."""
    directory = paths.lib_root() / "data" / "pydokku" / "locks"
    directory.mkdir(parents=True, exist_ok=True)
    return str(directory / f"{app}.lock")


@contextmanager
def deploy_lock(app: str, wait_s: float | None = None) -> Iterator[None]:
    """Hold the app's deploy lock; wait for another deploy, then fail clearly."""
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
        yield
    finally:
        os.close(fd)  # closing releases the flock


def _acquire(fd: int, app: str, limit: float) -> None:
    deadline = time.monotonic() + limit
    announced = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
                raise DokkuError(
                    f"Another deploy of {app} is in progress (pid {holder}); try again later"
                ) from None
            if not announced:
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
            text = os.pread(fd, 32, 0).decode(errors="replace").strip()
            return int(text) if text.isdigit() else 0
        return None
    finally:
        os.close(fd)
