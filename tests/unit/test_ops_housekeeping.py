"""Pure rules of `cleanup`, `run:retire` and `config:bundle`."""

from __future__ import annotations

import io
import tarfile
from types import SimpleNamespace

import pytest

from pydokku.plugins.config.formats import bundle
from pydokku.plugins.core.cleanup import is_unused
from pydokku.plugins.run.retire import is_expired, started_epoch


def container(name: str, status: str, **labels: str) -> SimpleNamespace:
    return SimpleNamespace(name=name, status=status, labels=labels)


def deploy(name: str, status: str, release: str) -> SimpleNamespace:
    labels = {"com.dokku.container-type": "deploy", "com.dokku.release": release}
    return SimpleNamespace(name=name, status=status, labels=labels)


@pytest.mark.parametrize(
    ("info", "exists", "active", "expected"),
    [
        (deploy("a.web.1", "running", "3"), True, 3, False),
        (deploy("a.web.1", "exited", "3"), True, 3, False),  # ps:stop keeps it for ps:start
        (deploy("a.web.1.v4", "running", "4"), True, 3, True),  # crashed deploy's staging
        (deploy("a.web.1.v4", "created", "4"), True, 3, True),
        (deploy("a.web.1.retired-v2", "running", "2"), True, 3, False),  # still draining
        (deploy("a.web.1.retired-v2", "exited", "2"), True, 3, True),
        (deploy("a.web.1", "running", "3"), False, 0, True),  # app destroyed
        (container("a.run.1234", "running", **{"com.dokku.container-type": "run"}), True, 3, False),
        (container("a.run.1234", "exited", **{"com.dokku.container-type": "run"}), True, 3, True),
        (container("x", "running", **{"com.dokku.container-type": "release"}), True, 3, True),
        (container("build-step", "exited"), True, 3, True),
        (container("build-step", "running"), True, 3, False),
    ],
)
def test_cleanup_keeps_only_what_is_used(info, exists, active, expected):
    assert is_unused(info, exists, active) is expected


def test_started_epoch_reads_docker_times():
    assert started_epoch("1970-01-01T00:01:40.5Z") == pytest.approx(100.5)
    assert started_epoch("1970-01-01T00:01:40.123456789Z") == pytest.approx(100.123456)
    assert started_epoch("0001-01-01T00:00:00Z") is None
    assert started_epoch("") is None
    assert started_epoch("garbage") is None


def test_deadline_expiry():
    labels = {"com.dokku.active-deadline-seconds": "60"}
    assert not is_expired(labels, "1970-01-01T00:01:40Z", now=150)
    assert is_expired(labels, "1970-01-01T00:01:40Z", now=161)
    assert not is_expired({}, "1970-01-01T00:01:40Z", now=10_000)
    assert not is_expired({"com.dokku.active-deadline-seconds": "x"}, "1970-01-01T00:00:00Z", 9e9)


def test_bundle_holds_one_private_file_per_key():
    data = bundle({"B": "two words\n", "A": "é"})
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        members = archive.getmembers()
        assert [m.name for m in members] == ["A", "B"]
        assert all(m.mode == 0o600 and m.isfile() for m in members)
        assert archive.extractfile("B").read() == b"two words\n"
        assert archive.extractfile("A").read() == "é".encode()


def test_pending_releases_left_by_a_crash_become_failed(store) -> None:
    from pydokku import release, state
    from pydokku.plugins.core.cleanup import fail_pending_releases

    with state.transaction() as conn:
        conn.execute("INSERT INTO apps (name, created_at) VALUES ('a', '2026-01-01')")
    done = release.record(release.Release("a", image="dokku/a:1"), "succeeded")
    crashed = release.record(release.Release("a", image="dokku/a:2"), "pending")
    assert fail_pending_releases("a") == 1
    assert release.get("a", crashed.version).status == "failed"
    assert release.get("a", done.version).status == "succeeded"
    assert fail_pending_releases("a") == 0
