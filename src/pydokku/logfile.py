"""Private log files that pydokku writes itself (cron runs, build output).

Files are created 0600 in 0700 directories (output may hold secrets), appended to a
line at a time, and read back with `tail` and `follow`.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path

POLL_S = 0.25


def open_append(path: Path) -> int:
    """Return a file descriptor appending to `path` (created 0600, its directory 0700)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    return os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)


def append_line(path: Path, line: str, rotate_at: int = 0) -> None:
    """Append one line to `path`; past `rotate_at` bytes it moves to `path.1` first."""
    if rotate_at:
        try:
            if path.stat().st_size >= rotate_at:
                path.replace(path.with_name(path.name + ".1"))
        except FileNotFoundError:
            pass
    fd = open_append(path)
    try:
        os.write(fd, (line.rstrip("\n") + "\n").encode("utf-8", "replace"))
    finally:
        os.close(fd)


def tail(paths: list[Path], num: int) -> list[str]:
    """Return the last `num` lines (0: all) of the files read in order (oldest first)."""
    lines: deque[str] = deque(maxlen=num or None)
    for path in paths:
        try:
            with path.open(encoding="utf-8", errors="replace") as handle:
                lines.extend(line.rstrip("\n") for line in handle)
        except FileNotFoundError:
            continue
    return list(lines)


def follow(path: Path, done: Callable[[], bool], start: int = 0) -> Iterator[str]:
    """Yield lines appended to `path` from byte `start` until `done()` and no more come."""
    offset, pending = start, b""
    while True:
        finished = done()  # checked before reading: nothing written before it is lost
        try:
            with path.open("rb") as handle:
                handle.seek(offset)
                chunk = handle.read()
        except FileNotFoundError:
            chunk = b""
        offset += len(chunk)
        pending += chunk
        *lines, pending = pending.split(b"\n")
        yield from (line.decode("utf-8", "replace") for line in lines)
        if finished and not chunk:
            if pending:
                yield pending.decode("utf-8", "replace")
            return
        if not chunk:
            time.sleep(POLL_S)
