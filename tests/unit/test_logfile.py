"""Private log files: mode, rotation, tail and follow."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from pydokku import logfile


def test_append_creates_private_files_and_rotates(tmp_path: Path) -> None:
    path = tmp_path / "logs" / "cron.log"
    logfile.append_line(path, "one")
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    logfile.append_line(path, "two", rotate_at=4)  # "one\n" is 4 bytes: rotate first
    assert path.with_name("cron.log.1").read_text() == "one\n"
    assert path.read_text() == "two\n"
    assert logfile.tail([path.with_name("cron.log.1"), path], 0) == ["one", "two"]
    assert logfile.tail([path.with_name("cron.log.1"), path], 1) == ["two"]
    assert logfile.tail([tmp_path / "missing"], 5) == []


def test_follow_yields_new_lines_until_done(tmp_path: Path) -> None:
    path = tmp_path / "build.log"
    path.write_bytes("first\npartial é".encode()[:-1])  # ends inside a UTF-8 character
    finished = threading.Event()

    def writer() -> None:
        time.sleep(0.3)
        with path.open("ab") as handle:
            handle.write("é".encode()[1:] + b" done\nlast")
        finished.set()

    threading.Thread(target=writer).start()
    lines = list(logfile.follow(path, finished.is_set))
    assert lines == ["first", "partial é done", "last"]
