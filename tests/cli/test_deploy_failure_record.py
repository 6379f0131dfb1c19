"""The failure record from the command line: releases:info, logs:failed, logs:set, ps hints."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from pydokku import release, state
from pydokku.release import Release
from tests.conftest import Dokku


@pytest.fixture
def seeded(dokku: Dokku, app: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """myapp with one failed deploy (v1) recorded in the dokku fixture's store."""
    monkeypatch.setenv("DOKKU_LIB_ROOT", str(dokku.lib_root))
    monkeypatch.setenv("DOKKU_ACTOR", "tester")
    state.close_all()
    rel = release.record(Release(app, image="dokku/myapp:1"), "pending")
    release.record_failure(app, rel, "Check 'web' failed: HTTP 500", ["myapp[web.1]: Traceback"])
    state.close_all()
    yield rel.version
    state.close_all()


def test_releases_info_shows_the_reason_and_lines(dokku: Dokku, seeded: int) -> None:
    text = dokku.ok("releases:info", "myapp", f"v{seeded}").stdout
    assert "reason:        Check 'web' failed: HTTP 500" in text
    assert "  myapp[web.1]: Traceback" in text
    data = json.loads(dokku.ok("releases:info", "myapp", "v1", "--format", "json").stdout)
    assert data["status"] == "failed"
    assert data["failure_reason"] == "Check 'web' failed: HTTP 500"
    assert data["failure_logs"] == ["myapp[web.1]: Traceback"]


def test_logs_failed_prints_the_record(dokku: Dokku, seeded: int) -> None:
    lines = dokku.ok("logs:failed", "myapp").lines
    assert lines[0] == "=====> myapp failed deploy logs"
    assert "failed at" in lines[1]
    assert "HTTP 500" in lines[1]
    assert lines[2] == "myapp[web.1]: Traceback"
    assert dokku.ok("logs:failed", "--all").lines == lines


def test_logs_failed_without_failures_warns(dokku: Dokku, app: str) -> None:
    result = dokku.ok("logs:failed", "myapp")
    assert "No failed containers found" in result.stderr


@pytest.mark.parametrize(
    "args",
    [("logs:failed",), ("logs:failed", "myapp", "--all"), ("logs:failed", "Bad_App")],
)
def test_logs_failed_bad_input(dokku: Dokku, app: str, args: tuple[str, ...]) -> None:
    result = dokku(*args)
    assert result.rc != 0
    assert result.stderr.startswith(" !     ")
    assert "Traceback" not in result.stderr


def test_logs_set_max_size(dokku: Dokku, app: str) -> None:
    dokku.ok("logs:set", "myapp", "max-size", "50m")
    dokku.ok("logs:set", "--global", "max-size", "unlimited")
    report = json.loads(dokku.ok("logs:report", "myapp", "--format", "json").stdout)
    assert report["max-size"] == "50m"
    assert report["global-max-size"] == "unlimited"
    assert report["computed-max-size"] == "50m"
    assert dokku.ok("logs:report", "myapp", "--logs-computed-max-size").stdout == "50m\n"


@pytest.mark.parametrize("value", ["10", "10x", "m", "5km", "1.5m", "0m"])
def test_logs_set_refuses_bad_sizes(dokku: Dokku, app: str, value: str) -> None:
    result = dokku("logs:set", "myapp", "max-size", value)
    assert result.rc != 0
    assert result.stderr.startswith(" !     Invalid value for max-size")
    report = json.loads(dokku.ok("logs:report", "myapp", "--format", "json").stdout)
    assert report["max-size"] == ""
