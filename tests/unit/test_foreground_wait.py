"""How much of the watch window a deploy command waits out (checks:set foreground-wait)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pydokku import properties, state
from pydokku.plugins.checks import logic
from pydokku.release import Release


@pytest.mark.parametrize("value", ["0", "3.5", "10", "all", "3600"])
def test_valid_foreground_waits(value: str) -> None:
    assert logic.validate_foreground_wait(value) is None


@pytest.mark.parametrize("value", ["-1", "abc", "", "nan", "inf", "3601", "1e9"])
def test_invalid_foreground_waits(value: str) -> None:
    assert logic.validate_foreground_wait(value) == "expected a number of seconds or `all`"


def setting(key: str, value: str) -> None:
    with state.transaction() as conn:
        properties.store(conn, logic.PLUGIN, "myapp", key, value)


def test_the_default_waits_three_and_a_half_seconds(store: Path) -> None:
    assert logic.foreground_wait("myapp") == 3.5
    setting(logic.FOREGROUND_KEY, "all")
    assert logic.foreground_wait("myapp") is None


def test_probation_leaves_the_rest_of_the_window(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    watched: list[float] = []
    monkeypatch.setattr(logic, "watch", lambda names, seconds, window: watched.append(seconds))
    rel = Release("myapp", version=2, procfile={"web": "x"})
    setting("default-wait", "10")
    setting(logic.FOREGROUND_KEY, "3")
    names, remaining = logic.probation(rel, [("web", "myapp.web.1.v2")], time.monotonic() - 1)
    assert names == ["myapp.web.1.v2"]
    assert 1.5 < watched[0] <= 2.0  # started a second ago: two seconds are left of three
    assert remaining == pytest.approx(10 - watched[0])

    setting(logic.FOREGROUND_KEY, "all")
    assert logic.probation(rel, [("web", "myapp.web.1.v2")], time.monotonic()) == ([], 0.0)
    assert watched[-1] == 10
