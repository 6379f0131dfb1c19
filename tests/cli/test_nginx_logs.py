"""`nginx:access-logs` / `nginx:error-logs`: the last lines, follow across rotation, errors."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from pydokku.plugins.nginx import logfiles
from tests.conftest import Dokku


def test_access_logs_print_the_last_ten_lines(
    dokku: Dokku, app: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYDOKKU_NGINX_LOG_DIR", str(tmp_path))
    log = tmp_path / "access.log"
    log.write_text("".join(f"request {i}\n" for i in range(25)))
    dokku.ok("nginx:set", app, "access-log-path", str(log))
    result = dokku.ok("nginx:access-logs", app)
    assert result.stdout == "".join(f"request {i}\n" for i in range(15, 25))


def test_a_log_not_written_yet_prints_nothing(
    dokku: Dokku, app: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYDOKKU_NGINX_LOG_DIR", str(tmp_path))
    dokku.ok("nginx:set", app, "error-log-path", str(tmp_path / "none.log"))
    assert dokku.ok("nginx:error-logs", app).stdout == ""


@pytest.mark.parametrize(
    "path",
    ["/etc/profile.d/x.sh", "/var/log/nginx/../../../etc/profile.d/x.sh", "/var/log/nginx/a/b"],
)
def test_log_paths_outside_the_log_dir_are_refused(dokku: Dokku, app: str, path: str) -> None:
    result = dokku("nginx:set", app, "access-log-path", path)
    assert result.rc == 1
    assert result.stderr.startswith(" !     Invalid value for access-log-path: expected off or")
    assert dokku.ok("nginx:report", app, "--nginx-access-log-path").stdout.strip() == ""


def test_a_stored_path_outside_the_log_dir_is_not_read(dokku: Dokku, app: str) -> None:
    """A value stored before the rule (or written into the store) is checked again at use."""
    import sqlite3

    with sqlite3.connect(dokku.db) as conn:
        conn.execute(
            "INSERT INTO properties (plugin, app, key, value) VALUES (?, ?, ?, ?)",
            ("nginx", app, "access-log-path", "/etc/os-release"),
        )
    result = dokku("nginx:access-logs", app)
    assert result.rc == 1
    assert "Stored nginx property access-log-path='/etc/os-release' is invalid" in result.stderr
    assert "VERSION" not in result.stdout


def test_logging_off_and_a_missing_app_are_errors(dokku: Dokku, app: str) -> None:
    dokku.ok("nginx:set", app, "access-log-path", "off")
    result = dokku("nginx:access-logs", app)
    assert result.rc == 1
    assert "access logging is off for myapp" in result.stderr
    missing = dokku("nginx:error-logs", "nope")
    assert (missing.rc, missing.stderr) == (1, " !     App nope does not exist\n")


def next_within(lines: Iterator[str], seconds: int = 5) -> str:
    """The next followed line, or a test failure instead of a hang."""

    def give_up(*_: object) -> None:
        raise AssertionError(f"no new line within {seconds} s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(seconds)
    try:
        return next(lines)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_follow_reads_new_lines_across_rotation_and_truncation(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    log.write_text("old 1\nold 2\n")
    lines = logfiles.follow(str(log), count=1)
    assert next_within(lines) == "old 2"
    with log.open("a") as handle:
        handle.write("new 1\n")
    assert next_within(lines) == "new 1"
    log.rename(tmp_path / "access.log.1")  # logrotate's default: move, then a new file
    log.write_text("rotated 1\n")
    assert next_within(lines) == "rotated 1"
    log.write_text("cut\n")  # copytruncate; shorter than what was read, as `tail -F` needs
    assert next_within(lines) == "cut"
    lines.close()
