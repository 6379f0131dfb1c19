"""`nginx:access-logs` and `nginx:error-logs`: the app's nginx log files, tailed or followed."""

from __future__ import annotations

import os
import time
from collections import deque

from pydokku.errors import DokkuError
from pydokku.plugins.nginx import settings

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import TextIO

DEFAULT_LINES = 10
POLL_S = 0.25


def log_path(app: str, kind: str) -> str:
    """Return the path of an app's nginx access or error log, or raise when it is off."""
    path = settings.computed(app)[f"{kind}-log-path"]
    if path == "off":
        raise DokkuError(f"nginx {kind} logging is off for {app} (nginx:set {kind}-log-path)")
    return path


def last_lines(path: str, count: int = DEFAULT_LINES) -> list[str]:
    """Return the last `count` lines of a log file ([] when nginx has not written it yet)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return [line.rstrip("\n") for line in deque(handle, maxlen=count)]
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise DokkuError(f"Cannot read {path}: {exc.strerror}") from exc


def follow(path: str, count: int = DEFAULT_LINES) -> Iterator[str]:
    """Yield the last lines of a log file, then each new line (across logrotate)."""
    handle = _open(path)
    identity = _identity(path)
    if handle:  # the last lines from the same handle, so nothing written meanwhile is lost
        yield from [line.rstrip("\n") for line in deque(handle, maxlen=count)]
    pending = ""
    try:
        while True:
            chunk = handle.read() if handle else ""
            if chunk:
                *complete, pending = (pending + chunk).split("\n")
                yield from complete
                continue
            if _identity(path) != identity:  # rotated or replaced: read the new file from the top
                if handle:
                    handle.close()
                handle, identity, pending = _open(path), _identity(path), ""
                continue
            if handle and handle.tell() > os.fstat(handle.fileno()).st_size:
                handle.seek(0)  # truncated in place (logrotate's copytruncate)
                pending = ""
                continue
            time.sleep(POLL_S)
    finally:
        if handle:
            handle.close()


def _open(path: str) -> TextIO | None:
    try:
        return open(path, encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DokkuError(f"Cannot read {path}: {exc.strerror}") from exc


def _identity(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return info.st_dev, info.st_ino
