"""Build records without Docker: recording around an entry point, cancel from elsewhere,
retention, and the builds:* commands' answers to bad input.

Real pushes (a failing build, a canceled `RUN sleep 120`): tests/integration/test_day_two.py.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pydokku import output, state
from pydokku.errors import DokkuError
from pydokku.plugins.apps.logic import create_app
from pydokku.plugins.builds import store as builds
from pydokku.plugins.builds.record import recording
from pydokku.plugins.deploy.lock import deploy_lock, holder
from pydokku.plugins.manager import hook
from tests.conftest import Dokku
from tests.report_json import short_keys
from tests.statedump import dump

# A build of myapp that prints, starts (pre_build) and then waits inside the deploy lock.
_SLOW_BUILD = """
import sys, time
from pydokku import output
from pydokku.plugins.builds.record import recording
from pydokku.plugins.deploy.lock import deploy_lock
from pydokku.plugins.manager import hook
output.guard_streams()
with recording("myapp", "ps:rebuild"), deploy_lock("myapp", wait_s=0):
    print("step one", flush=True)
    hook().pre_build(app="myapp", source="/nowhere")
    print("building", flush=True)
    time.sleep(120)
"""


@pytest.fixture
def captured(store: Path) -> io.StringIO:
    """A store with myapp, and a stream for `wrapped`."""
    create_app("myapp")
    return io.StringIO()


@contextmanager
def wrapped(text: io.StringIO) -> Iterator[None]:
    """Wrap stdout the way the CLI does (inside the test: pytest swaps stdout per phase)."""
    saved = sys.stdout
    sys.stdout = output._Guarded(text)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout = saved


def test_a_refused_command_records_nothing(captured: io.StringIO) -> None:
    def refused() -> None:
        with recording("myapp", "git-hook"):
            output.step("Reading app.json")
            raise DokkuError("app.json is not valid JSON")

    with wrapped(captured), pytest.raises(DokkuError):
        refused()
    assert builds.for_app("myapp") == []
    assert not builds.log_path("myapp", "x").parent.exists()


def test_a_build_records_its_output_and_result(captured: io.StringIO, store: Path) -> None:
    with wrapped(captured), recording("myapp", "git:from-archive"):
        output.step("Downloading")
        hook().pre_build(app="myapp", source="/src")
        print("Step 1/2 : FROM base", flush=True)
    (build,) = builds.for_app("myapp")
    assert build["status"] == "succeeded"
    assert build["exit_code"] == 0
    assert build["source"] == "git:from-archive"
    path = builds.log_path("myapp", build["id"])
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    text = path.read_text()
    assert text.index("-----> Downloading") < text.index("Step 1/2 : FROM base")
    assert "Step 1/2" in captured.getvalue()  # printed once, as before


def test_a_failed_build_keeps_its_output_and_reason(captured: io.StringIO) -> None:
    def failing() -> None:
        with recording("myapp", "git-hook"):
            hook().pre_build(app="myapp", source="/src")
            print("RUN false", flush=True)
            raise DokkuError("Image build failed: exit 1")

    with wrapped(captured), pytest.raises(DokkuError):
        failing()
    (build,) = builds.for_app("myapp")
    assert (build["status"], build["exit_code"]) == ("failed", 1)
    assert build["reason"] == "Image build failed: exit 1"
    assert "RUN false" in builds.log_path("myapp", build["id"]).read_text()


def test_retention_prunes_old_builds_and_their_files(captured: io.StringIO) -> None:
    with state.transaction() as conn:
        from pydokku import properties

        properties.store(conn, builds.PLUGIN, "myapp", "retention", "2")
    for _ in range(4):
        with recording("myapp", "ps:rebuild"):
            hook().pre_build(app="myapp", source="/src")
        time.sleep(0.002)  # ids sort by millisecond
    kept = builds.for_app("myapp")
    assert len(kept) == 2
    files = sorted(p.name for p in builds.log_path("myapp", "x").parent.iterdir())
    assert files == sorted(f"{b['id']}.log" for b in kept)


def test_cancel_stops_the_build_and_frees_the_lock(store: Path) -> None:
    create_app("myapp")
    proc = subprocess.Popen(
        [sys.executable, "-c", _SLOW_BUILD],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
        start_new_session=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == "step one\n"
        assert "builds:cancel myapp" in proc.stdout.readline()
        assert proc.stdout.readline() == "building\n"
        from pydokku.plugins.builds.cancel import cancel

        started = time.monotonic()
        build_id = cancel("myapp")
        assert time.monotonic() - started < 20  # a loaded CI box is slow; never the 10 s kill
        assert proc.wait(timeout=30) == 1
        assert "was canceled; the running release keeps serving" in proc.stderr.read()
    finally:
        proc.kill()
        proc.wait()
    build = builds.get("myapp", build_id or "")
    assert (build["status"], build["exit_code"]) == ("canceled", -1)
    assert holder("myapp") is None
    assert "step one" in builds.log_path("myapp", build["id"]).read_text()
    with deploy_lock("myapp", wait_s=0):
        pass
    assert cancel("myapp") is None


def test_builds_commands(dokku: Dokku, app: str) -> None:
    assert dokku.ok("builds:list", app).stdout.strip() == "No builds recorded for this app"
    assert json.loads(dokku.ok("builds:list", "--format", "json").stdout) == []
    assert "App not currently deploying" in dokku.ok("builds:cancel", app).stdout
    assert "App not currently deploying" in dokku.ok("builds:output", app).stdout
    dokku.ok("builds:set", app, "retention", "5")
    data = short_keys(
        json.loads(dokku.ok("builds:report", app, "--format", "json").stdout), "builds"
    )
    assert data == {"retention": "5", "global-retention": "", "computed-retention": "5"}
    assert "Pruned 0 builds of myapp" in dokku.ok("builds:prune", "--all-apps").stdout


def test_builds_bad_input(dokku: Dokku, app: str) -> None:
    for args, message in [
        (("builds:list", "nope"), "App nope does not exist"),
        (("builds:list", app, "--kind", "x"), "Invalid --kind value 'x'"),
        (("builds:list", app, "--status", "done"), "Invalid --status value 'done'"),
        (("builds:info", app, "../../etc"), "Invalid build id '../../etc'"),
        (("builds:info", app, "0000000000000a"), "No build record found for myapp/0000000000000a"),
        (("builds:output", app, "x"), "Invalid build id 'x'"),
        (("builds:output", "nope"), "App nope does not exist"),
        (("builds:cancel", "../x"), "App name must begin"),
        (("builds:prune",), "Give an app name or --all-apps"),
        (("builds:set", app, "retention", "0"), "Invalid value for retention"),
        (("builds:set", app, "retention", "x"), "Invalid value for retention"),
        (("builds:set", app, "colour", "1"), "Invalid property 'colour' for builds"),
    ]:
        before = dump(dokku.db)
        result = dokku(*args)
        lines = result.stderr.splitlines()
        assert result.rc != 0, args
        assert lines[0].startswith(f" !     {message}"), (args, result.stderr)
        assert len(lines) == 1 or "Usage: dokku " in lines[1], result.stderr
        assert dump(dokku.db) == before, args
