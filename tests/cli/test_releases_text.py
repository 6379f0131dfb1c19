"""releases:list and releases:info as text: headers, ISO dates, changes in words."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from pydokku import release, state
from pydokku.plugins.releases.logic import difference, formation_words
from pydokku.release import Release
from tests.conftest import Dokku


@pytest.fixture
def two_releases(dokku: Dokku, app: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """myapp with v1 (A=1, web=1) and v2 (A=2, B=1, web=2 worker=1), both succeeded."""
    monkeypatch.setenv("DOKKU_LIB_ROOT", str(dokku.lib_root))
    monkeypatch.setenv("DOKKU_ACTOR", "tester")
    state.close_all()
    first = Release(app, image="dokku/myapp:1", description="first")
    first.config, first.formation = {"A": "1"}, {"web": 1}
    release.record(first, "succeeded")
    second = Release(app, image="dokku/myapp:2", description="second")
    second.config, second.formation = {"A": "2", "B": "1"}, {"web": 2, "worker": 1}
    release.record(second, "succeeded")
    state.close_all()
    yield
    state.close_all()


def test_list_has_headers_and_iso_dates(dokku: Dokku, two_releases: None) -> None:
    lines = dokku.ok("releases:list", "myapp").lines
    assert lines[0] == "=====> myapp releases"
    assert lines[1].split() == ["VERSION", "CREATED", "(UTC)", "BY", "STATUS", "DESCRIPTION"]
    assert lines[2].startswith("v2 ")
    assert re.search(r" \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ ", lines[2])
    assert lines[2].endswith("second (current)")


def test_info_prints_formation_and_changes_in_words(dokku: Dokku, two_releases: None) -> None:
    text = dokku.ok("releases:info", "myapp", "v2").stdout
    assert "formation:     web=2 worker=1" in text
    assert "{" not in text
    assert "config A changed" in text
    assert "config B added" in text
    assert "formation web=1 -> web=2 worker=1" in text


def test_difference_never_prints_values() -> None:
    before = Release("myapp", image="i:1")
    before.config, before.formation = {"GONE": "secret1", "SAME": "x"}, {"web": 1}
    after = Release("myapp", image="i:1")
    after.config, after.formation = {"SAME": "x", "NEW": "secret2"}, {"web": 1}
    lines = difference(before, after)
    assert lines == ["config GONE removed", "config NEW added"]
    assert "secret" not in " ".join(lines)
    assert formation_words({}) == "none"
