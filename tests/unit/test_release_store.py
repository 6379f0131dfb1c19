"""Releases: numbering, status, current, history and lookup in the state store."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pydokku import release, state
from pydokku.release import Release


@pytest.fixture(autouse=True)
def _actor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOKKU_ACTOR", "tester")


def make(app: str = "myapp", **fields: object) -> Release:
    return Release(app, **fields)


def test_versions_count_up_per_app(store: Path) -> None:
    versions = [release.record(make(image=f"img:{n}"), "succeeded").version for n in (1, 2, 3)]
    assert versions == [1, 2, 3]
    assert release.record(make("other"), "pending").version == 1
    assert release.record(make(), "pending").version == 4


def test_record_fills_in_time_status_and_actor(store: Path) -> None:
    rel = release.record(make(kind="config", actor=""), "pending")
    assert (rel.status, rel.actor, rel.kind) == ("pending", "tester", "config")
    assert rel.created_at.endswith("Z")
    assert release.record(make(actor="alice"), "pending").actor == "alice"


def test_round_trip_keeps_every_field(store: Path) -> None:
    rel = release.record(
        make(
            kind="deploy",
            image="dokku/myapp:1",
            image_id="sha256:abc",
            git_rev="deadbeef",
            procfile={"web": "./web", "release": "./migrate"},
            app_json={"formation": {"web": {"quantity": 2}}},
            config={"A": "1", "B": "two words"},
            formation={"web": 2},
            web_port=8080,
            description="first",
        ),
        "succeeded",
    )
    state.close_all()  # read back through a fresh connection
    found = release.get("myapp", rel.version)
    assert found is not None
    assert found.as_dict() == rel.as_dict()
    assert found.process_types == ["web"]


def test_process_types_default_to_web() -> None:
    assert make().process_types == ["web"]
    assert make(procfile={"release": "x"}).process_types == ["web"]
    assert make(procfile={"worker": "w", "web": "x"}).process_types == ["worker", "web"]


def test_current_is_the_latest_succeeded_release_with_an_image(store: Path) -> None:
    assert release.current("myapp") is None
    release.record(make(image="img:1"), "succeeded")
    release.record(make(image="img:2"), "failed")
    release.record(make(image=""), "succeeded")  # e.g. a config change before any deploy
    release.record(make(image="img:4"), "pending")
    found = release.current("myapp")
    assert found is not None
    assert (found.version, found.image) == (1, "img:1")


def test_no_current_release_without_an_image(store: Path) -> None:
    release.record(make(image=""), "succeeded")
    assert release.current("myapp") is None


def test_set_status_changes_which_release_is_current(store: Path) -> None:
    first = release.record(make(image="img:1"), "succeeded")
    second = release.record(make(image="img:2"), "pending")
    found = release.current("myapp")
    assert found is not None
    assert found.version == first.version
    release.set_status(second, "succeeded")
    assert second.status == "succeeded"
    found = release.current("myapp")
    assert found is not None
    assert found.version == 2
    release.set_status(second, "failed")
    found = release.current("myapp")
    assert found is not None
    assert found.version == 1
    got = release.get("myapp", 2)
    assert got is not None
    assert got.status == "failed"


def test_current_is_per_app(store: Path) -> None:
    release.record(make("a", image="img:a"), "succeeded")
    assert release.current("b") is None


def test_history_is_newest_first_and_limited(store: Path) -> None:
    for n in range(5):
        release.record(make(image=f"img:{n}"), "failed" if n % 2 else "succeeded")
    release.record(make("other"), "succeeded")
    assert [r.version for r in release.history("myapp")] == [5, 4, 3, 2, 1]
    assert [r.version for r in release.history("myapp", limit=2)] == [5, 4]
    assert [r.status for r in release.history("myapp", limit=2)] == ["succeeded", "failed"]
    assert release.history("nope") == []


def test_get_missing_version(store: Path) -> None:
    release.record(make(), "succeeded")
    assert release.get("myapp", 2) is None
    assert release.get("other", 1) is None


def test_record_logs_an_event(store: Path) -> None:
    release.record(make(kind="scale"), "succeeded")
    rows = state.query("SELECT target, action, detail FROM events")
    assert [tuple(r) for r in rows] == [("myapp", "release:scale", "v1 succeeded")]


_WRITER = """
from pydokku import release
for _ in range({count}):
    release.record(release.Release("myapp", image="img"), "succeeded")
"""


def test_concurrent_writers_get_distinct_consecutive_versions(store: Path) -> None:
    state.connection()  # create and migrate the store before the writers start
    workers, count = 4, 10
    env = {**os.environ, "DOKKU_ACTOR": "tester"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER.format(count=count)],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(workers)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    versions = [r.version for r in release.history("myapp")]
    assert versions == list(range(workers * count, 0, -1))
