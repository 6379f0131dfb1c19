"""Container descriptions of the docker-local scheduler: names, labels, env, commands."""

from __future__ import annotations

import pytest

from pydokku.plugins.scheduler_docker_local import containers
from pydokku.release import Release


def rel(**fields: object) -> Release:
    base: dict[str, object] = {
        "version": 7,
        "image": "dokku/myapp:7",
        "git_rev": "abc123",
        "config": {"A": "1", "PORT": "9999"},
        "web_port": 5000,
        "procfile": {
            "web": "gunicorn app:app -b 0.0.0.0:$PORT",
            "worker": "celery -A app worker --concurrency ${CONCURRENCY}",
            "quoted": "echo 'a b' \"$PORT\"",
        },
    }
    return Release("myapp", **{**base, **fields})


def test_names() -> None:
    assert containers.container_name("myapp", "web", 1) == "myapp.web.1"
    assert containers.staging_name("myapp", "worker", 2, 7) == "myapp.worker.2.v7"
    assert containers.retired_name("myapp", "web", 3, 6) == "myapp.web.3.retired-v6"


def test_labels() -> None:
    assert containers.labels(rel(), "worker", 2) == {
        "dokku": "",
        "com.dokku.app-name": "myapp",
        "com.dokku.process-type": "worker",
        "com.dokku.dyno": "worker.2",
        "com.dokku.container-type": "deploy",
        "com.dokku.release": "7",
    }


def test_web_env_has_port_dyno_and_rev() -> None:
    env = containers.environment(rel(), "web", 1, "GIT_REV")
    assert env == {"A": "1", "PORT": "5000", "DYNO": "web.1", "GIT_REV": "abc123"}


def test_other_processes_get_no_port_from_the_release() -> None:
    env = containers.environment(rel(config={"A": "1"}), "worker", 3, "GIT_REV")
    assert env == {"A": "1", "DYNO": "worker.3", "GIT_REV": "abc123"}


def test_a_configured_port_stays_for_other_processes() -> None:
    assert containers.environment(rel(), "worker", 1, "")["PORT"] == "9999"


def test_empty_rev_var_disables_the_rev() -> None:
    env = containers.environment(rel(), "web", 1, "")
    assert env == {"A": "1", "PORT": "5000", "DYNO": "web.1"}


def test_no_rev_without_a_git_rev() -> None:
    assert "GIT_REV" not in containers.environment(rel(git_rev=""), "web", 1, "GIT_REV")


def test_environment_does_not_change_the_release() -> None:
    release = rel()
    containers.environment(release, "web", 1, "GIT_REV")
    assert release.config == {"A": "1", "PORT": "9999"}


def test_command_without_entrypoint_runs_through_sh() -> None:
    env = {"PORT": "5000"}
    assert containers.command(rel(), "web", None, env) == [
        "/bin/sh",
        "-c",
        "exec gunicorn app:app -b 0.0.0.0:$PORT",
    ]
    assert containers.command(rel(), "web", [], env) == [
        "/bin/sh",
        "-c",
        "exec gunicorn app:app -b 0.0.0.0:$PORT",
    ]


def test_command_with_entrypoint_is_split_with_vars_expanded() -> None:
    env = {"PORT": "5000", "CONCURRENCY": "4"}
    entrypoint = ["/docker-entrypoint.sh"]
    assert containers.command(rel(), "web", entrypoint, env) == [
        "gunicorn",
        "app:app",
        "-b",
        "0.0.0.0:5000",
    ]
    assert containers.command(rel(), "worker", entrypoint, env) == [
        "celery",
        "-A",
        "app",
        "worker",
        "--concurrency",
        "4",
    ]
    assert containers.command(rel(), "quoted", entrypoint, env) == ["echo", "a b", "5000"]


def test_command_is_none_without_a_procfile_entry() -> None:
    assert containers.command(rel(), "clock", None, {}) is None
    assert containers.command(rel(procfile={}), "web", ["/entry"], {}) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$PORT", "5000"),
        ("${PORT}", "5000"),
        ("x$PORT/y", "x5000/y"),
        ("${PORT}0", "50000"),
        ("$UNKNOWN ${UNKNOWN}", "$UNKNOWN ${UNKNOWN}"),
        ("$$", "$$"),
        ("no vars", "no vars"),
    ],
)
def test_expand_vars(text: str, expected: str) -> None:
    assert containers.expand_vars(text, {"PORT": "5000"}) == expected


def test_start_cmd_replaces_every_process_line() -> None:
    command = containers.command(rel(), "worker", None, {}, start_cmd="bin/run $PORT")
    assert command == ["/bin/sh", "-c", "exec bin/run $PORT"]


def test_dockerfile_start_cmd_gives_the_command_words() -> None:
    env = {"PORT": "5000"}
    words = containers.command(rel(), "web", ["/entry"], env, dockerfile_start_cmd="--port $PORT")
    assert words == ["--port", "5000"]
    quoted = containers.command(rel(procfile={}), "web", None, env, dockerfile_start_cmd="a 'b c'")
    assert quoted == ["a", "b c"]
