"""The failure record of a deploy: reason, container lines, event, and what reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from pydokku import release, state
from pydokku.release import Release


@pytest.fixture(autouse=True)
def _actor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOKKU_ACTOR", "tester")


def pending(app: str = "myapp") -> Release:
    return release.record(Release(app, image="dokku/myapp:1"), "pending")


def test_record_failure_keeps_reason_and_lines(store: Path) -> None:
    rel = pending()
    release.record_failure("myapp", rel, "Check 'web' failed", ["myapp[web.1]: boom"])
    stored = release.get("myapp", rel.version)
    assert stored is not None
    assert (stored.status, stored.failure_reason) == ("failed", "Check 'web' failed")
    assert stored.failure_logs == ["myapp[web.1]: boom"]
    assert rel.status == "failed"


def test_record_failure_without_lines_keeps_earlier_ones(store: Path) -> None:
    rel = pending()
    release.record_failure("myapp", rel, "first", ["line"])
    release.record_failure("myapp", rel.version, "switched back late")
    stored = release.get("myapp", rel.version)
    assert stored is not None
    assert (stored.failure_reason, stored.failure_logs) == ("switched back late", ["line"])


def test_record_failure_caps_the_lines(store: Path) -> None:
    rel = pending()
    release.record_failure("myapp", rel, "x", [str(n) for n in range(500)])
    stored = release.get("myapp", rel.version)
    assert stored is not None
    assert len(stored.failure_logs) == release.FAILURE_LOG_LINES


def test_failure_and_success_are_events(store: Path) -> None:
    failed, ok = pending(), pending()
    release.record_failure("myapp", failed, "App build failed\nmore detail")
    release.set_status(ok, "succeeded")
    rows = state.query("SELECT action, detail FROM events WHERE target = 'myapp' ORDER BY id")
    details = [(r["action"], r["detail"]) for r in rows]
    assert ("release:deploy", f"v{failed.version} failed: App build failed") in details
    assert ("release:deploy", f"v{ok.version} succeeded") in details


def test_last_failure_only_counts_failures_after_the_current_release(store: Path) -> None:
    first = pending()
    release.record_failure("myapp", first, "never ran")
    assert release.last_failure("myapp") is not None
    release.set_status(pending(), "succeeded")
    assert release.last_failure("myapp") is None
    found = release.latest_failed("myapp")
    assert found is not None
    assert found.version == first.version
