"""The assembly with the real plugins and a temp store: who contributes what, per phase."""

from __future__ import annotations

from pathlib import Path

from pydokku import dockerargs, properties, state
from pydokku.plugins.apps.logic import create_app
from pydokku.plugins.docker_options import logic as docker_options


def _resource(app: str, key: str, value: str) -> None:
    with state.transaction() as conn:
        properties.store(conn, "resource", app, key, value)


def test_each_phase_gets_its_own_options(store: Path) -> None:
    create_app("myapp")
    docker_options.add("myapp", [], "deploy", "--label a=b --memory 32m")
    docker_options.add("myapp", [], "run", "--env Y=2")
    docker_options.add("myapp", [], "build", "--build-arg X --no-cache")
    docker_options.add("myapp", ["worker"], "deploy", "--shm-size 1m")
    _resource("myapp", "_default_.limit.memory", "64")
    _resource("myapp", "worker.limit.memory", "128")

    web = dockerargs.container_options("deploy", "myapp", "web")
    assert web["labels"] == {"a": "b"}
    assert web["mem_limit"] == 64 << 20  # resource comes after docker-options: it wins
    assert web["restart_policy"] == {"Name": "on-failure", "MaximumRetryCount": 10}
    assert "environment" not in web
    assert "shm_size" not in web

    worker = dockerargs.container_options("deploy", "myapp", "worker")
    assert (worker["mem_limit"], worker["shm_size"]) == (128 << 20, 1 << 20)

    one_off = dockerargs.container_options("run", "myapp", "run")
    assert one_off["environment"] == {"Y": "2"}
    assert "labels" not in one_off
    assert "restart_policy" not in one_off
    assert one_off["mem_limit"] == 64 << 20

    build = dockerargs.build_options("myapp", {"X": "from-config"})
    assert build == {"buildargs": {"X": "from-config"}, "nocache": True}


def test_a_build_arg_without_value_or_config_is_dropped(store: Path) -> None:
    create_app("myapp")
    docker_options.add("myapp", [], "build", "--build-arg MISSING")
    assert dockerargs.build_options("myapp", {}) == {"buildargs": {}}
