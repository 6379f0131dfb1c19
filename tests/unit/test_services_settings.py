"""Service custom env (`-C`) and shm size (`-s`): parsed, sealed at rest, resealed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pydokku import state, vault
from pydokku.errors import DokkuError
from pydokku.plugins.config.sealing import reseal_everything
from pydokku.plugins.postgres import SERVICE as POSTGRES
from pydokku.services import admin
from pydokku.services import store as services_store


@pytest.mark.parametrize(
    ("text", "env"),
    [
        ("A=1;B=two words", {"A": "1", "B": "two words"}),
        ("URL=a=b;;", {"URL": "a=b"}),
        ("", {}),
    ],
)
def test_custom_env_is_dokku_s_semicolon_pairs(text: str, env: dict[str, str]) -> None:
    assert admin.parse_custom_env(text) == env


def test_custom_env_is_sealed_and_resealed(store: Path) -> None:
    fields = admin.checked_settings({"custom_env": "TZ=UTC;MARK=secret", "shm_size": "256m"})
    assert "secret" not in fields["custom_env"]
    assert all(vault.is_sealed(v) for v in json.loads(fields["custom_env"]).values())
    services_store.reserve(POSTGRES, "db", "postgres:x", "x", **fields)
    svc = services_store.get(POSTGRES, "db")
    assert (admin.custom_env(svc), svc.shm_size) == ({"TZ": "UTC", "MARK": "secret"}, "256m")
    with state.transaction() as conn:
        assert reseal_everything(conn, lambda value: value) >= 2


@pytest.mark.parametrize("size", ["256m", "1g", "67108864", "512k"])
def test_shm_sizes_docker_takes(size: str) -> None:
    assert admin.validate_shm_size(size) == size


@pytest.mark.parametrize("size", ["lots", "1 g", "-1", "1g;", "1t"])
def test_bad_shm_sizes(size: str) -> None:
    with pytest.raises(DokkuError, match="Invalid shm size"):
        admin.validate_shm_size(size)
