"""Output errors (a reader that went away) never change the exit status nor stop the work."""

from __future__ import annotations

import os
import subprocess

from tests.conftest import Dokku


def run_with_stdout_closed(dokku: Dokku, *args: str, stdin: bytes = b"") -> tuple[int, str]:
    """Run `dokku ARGS` whose stdout reader is gone before it writes; return (rc, stderr)."""
    read, write = os.pipe()
    os.close(read)  # every write to stdout now fails with EPIPE
    try:
        proc = subprocess.run(
            dokku.argv(args),
            input=stdin,
            stdout=write,
            stderr=subprocess.PIPE,
            env=dokku.env(),
            timeout=60,
            check=False,
        )
    finally:
        os.close(write)
    return proc.returncode, proc.stderr.decode()


def test_a_failure_stays_a_failure_when_stdout_is_closed(dokku: Dokku, app: str) -> None:
    rc, stderr = run_with_stdout_closed(dokku, "git:from-archive", app, "--", stdin=b"junk" * 64)
    assert rc == 1
    assert "Traceback" not in stderr


def test_the_work_finishes_when_stdout_is_closed(dokku: Dokku) -> None:
    rc, _ = run_with_stdout_closed(dokku, "apps:create", "fresh")
    assert rc == 0
    assert dokku.ok("apps:exists", "fresh").rc == 0
    events = dokku.ok("events:list").stdout
    assert "apps:create" in events


def test_a_closed_stderr_does_not_hide_a_failure(dokku: Dokku) -> None:
    read, write = os.pipe()
    os.close(read)
    try:
        proc = subprocess.run(
            dokku.argv(("apps:create", "Bad_Name")),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=write,
            env=dokku.env(),
            timeout=60,
            check=False,
        )
    finally:
        os.close(write)
    assert proc.returncode == 1
