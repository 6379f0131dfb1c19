"""resource:* end to end, for input refused before the engine is asked (no daemon here).

Values the engine checks (CPU count, memory size) are tested in tests/integration.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import Dokku


def stored(dokku: Dokku, target: str) -> dict[str, str]:
    data: dict[str, str] = json.loads(
        dokku.ok("resource:report", target, "--format", "json").stdout
    )
    return data


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("resource:limit", "--network", "10"), "cannot limit network bandwidth"),
        (("resource:limit", "--network-egress", "1"), "cannot limit network bandwidth"),
        (("resource:reserve", "--cpu", "1"), "Docker can only reserve memory"),
        (("resource:limit", "--cpu", "lots"), "Invalid --cpu value 'lots'"),
        (("resource:limit", "--cpu", "-1"), "Invalid --cpu value '-1'"),
        (("resource:limit", "--memory", "64q"), "Invalid memory value '64q'"),
        (("resource:limit", "--nvidia-gpu", "two"), "Invalid --nvidia-gpu value 'two'"),
        (("resource:limit", "--process-type", "we b", "--cpu", "1"), "Invalid process type"),
        (("resource:limit", "--process-type", "_default_", "--cpu", "1"), "Invalid process type"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_stored(
    dokku: Dokku, app: str, args: tuple[str, ...], message: str
) -> None:
    result = dokku(*args, app)
    assert result.rc == 1
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert stored(dokku, app) == {}


def test_unknown_app(dokku: Dokku) -> None:
    result = dokku("resource:limit", "--memory", "64", "ghost")
    assert result.rc != 0
    assert "App ghost does not exist" in result.stderr


def test_limit_without_values_shows_them(dokku: Dokku, app: str) -> None:
    out = dokku.ok("resource:limit", app).stdout
    assert out.splitlines()[0] == "=====> resource limits myapp information [defaults]"
    assert "       memory-swap:" in out.splitlines()
    web = dokku.ok("resource:reserve", "--process-type", "web", app).stdout
    assert web.splitlines()[0] == "=====> resource reservation myapp information (web)"


def test_clear_and_empty_report(dokku: Dokku, app: str) -> None:
    assert dokku.ok("resource:limit-clear", app).stdout == "-----> Clearing myapp resource limits\n"
    out = dokku.ok("resource:reserve-clear", "--global").stdout
    assert out == "-----> Clearing default resource reservation\n"
    assert dokku.ok("resource:report", app).stdout == "=====> myapp resource information\n"
