"""Builder selection (Dokku order), builder:report's detected rows, base-image choice."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from pydokku import engine, properties, state
from pydokku.errors import DokkuError
from pydokku.plugins.builder import logic
from pydokku.plugins.builder_auto import bases
from pydokku.plugins.builder_auto.plan import OFFLINE, REGISTRY, Base


def set_prop(plugin: str, scope: str, key: str, value: str) -> None:
    with state.transaction() as conn:
        properties.store(conn, plugin, scope, key, value)


def test_a_dockerfile_wins_over_language_files(store: Path, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    (tmp_path / "requirements.txt").write_text("")
    assert logic.select_builder("myapp", tmp_path).name == "dockerfile"
    (tmp_path / "Dockerfile").unlink()
    assert logic.select_builder("myapp", tmp_path).name == "auto"
    assert logic.detected("myapp")["detected"] == "auto"


def test_an_explicit_builder_wins(store: Path, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    set_prop("builder", "--global", "selected", "auto")
    assert logic.select_builder("myapp", tmp_path).name == "auto"
    set_prop("builder", "myapp", "selected", "null")
    assert logic.select_builder("myapp", tmp_path).name == "null"


def test_nothing_detected_lists_every_builder_s_files(store: Path, tmp_path: Path) -> None:
    (tmp_path / "README").write_text("")
    with pytest.raises(DokkuError) as caught:
        logic.select_builder("myapp", tmp_path)
    message = caught.value.message
    assert message.startswith("No builder detected for this app: looked for a Dockerfile; ")
    assert "requirements.txt" in message
    assert "package.json" in message
    assert "go.mod" in message
    assert "builder:set myapp selected NAME" in message


def test_selected_must_be_an_offered_or_dokku_builder(store: Path) -> None:
    assert logic.available_builders() == ["auto", "dockerfile", "null"]
    assert logic.validate_selected("auto") is None
    assert logic.validate_selected("herokuish") is None
    assert logic.validate_selected("heroku") == (
        "expected one of: auto, dockerfile, herokuish, lambda, nixpacks, null, pack, railpack"
    )


def test_record_detected_writes_only_changes(store: Path) -> None:
    logic.record_detected("myapp", "auto", detected_language="python 3.11", base_image="img")
    assert logic.detected("myapp") == {
        "detected": "auto",
        "detected-language": "python 3.11",
        "base-image": "img",
        "base-source": "",
    }
    events = state.query("SELECT COUNT(*) AS n FROM events")[0]["n"]
    logic.record_detected("myapp", "auto", detected_language="python 3.11", base_image="img")
    assert state.query("SELECT COUNT(*) AS n FROM events")[0]["n"] == events


def test_null_builder_is_never_detected(tmp_path: Path) -> None:
    from pydokku.plugins.builder.null import NullBuilder

    assert NullBuilder().detect("myapp", tmp_path) is False


def test_base_images_setting_overrides_the_probe(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_probe(*args: object, **kwargs: object) -> str | None:
        raise AssertionError("the registry must not be probed")

    monkeypatch.setattr(engine, "registry_problem", no_probe)
    set_prop("builder-auto", "--global", "base-images", "offline")
    assert bases.choose("myapp")[0].mode == OFFLINE
    set_prop("builder-auto", "myapp", "base-images", "registry")
    assert bases.choose("myapp")[0].mode == REGISTRY
    assert bases.validate_mode("cloud") == "expected one of: auto, registry, offline"


def test_the_probe_is_cached(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def problem(ref: str, timeout: float = 10.0) -> str | None:
        calls.append(ref)
        return 'Get "https://registry-1.docker.io/v2/": dial tcp: lookup x: no such host'

    monkeypatch.setattr(engine, "registry_problem", problem)
    monkeypatch.setattr(engine, "client", lambda: None)
    base, reason = bases.choose("myapp")
    assert (base.mode, reason) == (OFFLINE, "built on this host, as no registry is in reach")
    bases.choose("other")
    assert len(calls) == 1
    cache = store / "data" / "builder-auto" / "registry-probe.json"
    found = json.loads(cache.read_text())
    found["at"] = time.time() - bases.TTL_UNREACHABLE_S - 1
    cache.write_text(json.dumps(found))
    monkeypatch.setattr(engine, "registry_problem", lambda ref, timeout=10.0: None)
    assert bases.choose("myapp") == (Base(REGISTRY), "a registry is reachable")
    assert bases.cached_probe(time.time() + bases.TTL_REACHABLE_S + 1) is None
