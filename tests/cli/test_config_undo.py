"""A config change whose restart fails is undone: the stored config matches what runs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pydokku import release, state
from pydokku.release import Release
from tests.conftest import Dokku


@pytest.fixture
def deployed(dokku: Dokku, app: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """myapp with KEEP=1 and a succeeded release whose restart cannot work (no engine here)."""
    dokku.ok("config:set", "--no-restart", app, "KEEP=1", "OTHER=2")
    monkeypatch.setenv("DOKKU_LIB_ROOT", str(dokku.lib_root))
    state.close_all()
    release.record(Release(app, image="dokku/myapp:gone"), "succeeded")
    state.close_all()
    yield
    state.close_all()


@pytest.mark.parametrize(
    "args",
    [
        ("config:set", "myapp", "NEW=1"),
        ("config:unset", "myapp", "KEEP"),
        ("config:clear", "myapp"),
    ],
)
def test_a_failed_restart_puts_the_config_back(
    dokku: Dokku, deployed: None, args: tuple[str, ...]
) -> None:
    result = dokku(*args)
    assert result.rc != 0
    assert "The config change was undone: myapp keeps the config it runs with" in result.stderr
    assert "Traceback" not in result.stderr
    assert dokku.ok("config:export", "myapp", "--format", "envfile").stdout == (
        'KEEP="1"\nOTHER="2"\n'
    )


def test_no_restart_stores_the_change(dokku: Dokku, deployed: None) -> None:
    dokku.ok("config:unset", "--no-restart", "myapp", "KEEP")
    assert dokku.ok("config:keys", "myapp").lines == ["OTHER"]
