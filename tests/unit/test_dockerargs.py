"""Container options: merging plugin contributions and translating docker CLI words."""

from __future__ import annotations

import pytest

from pydokku import dockerargs
from pydokku.dockerargs import render, translate, words
from pydokku.errors import DokkuError


def test_merge_concatenates_lists_and_merges_dicts() -> None:
    merged, conflicts = dockerargs.merge(
        [
            ("pydokku", {"volumes": ["/a:/a"], "labels": {"x": "1"}}),
            ("storage", {"volumes": ["/b:/b", "/a:/a"], "labels": {"y": "2"}}),
        ]
    )
    assert merged == {"volumes": ["/a:/a", "/b:/b"], "labels": {"x": "1", "y": "2"}}
    assert conflicts == []


def test_merge_keeps_the_later_scalar_and_reports_both_sources() -> None:
    merged, conflicts = dockerargs.merge(
        [("pydokku", {"mem_limit": 1, "init": True}), ("resource", {"mem_limit": 2, "init": True})]
    )
    assert merged == {"mem_limit": 2, "init": True}
    assert [str(c) for c in conflicts] == [
        "Container option mem_limit: resource sets 2, overriding 1 from pydokku"
    ]


def test_merge_reports_nested_clashes_by_path() -> None:
    merged, conflicts = dockerargs.merge(
        [
            ("pydokku", {"log_config": {"type": "json-file", "config": {"max-size": "10m"}}}),
            ("docker-options", {"log_config": {"config": {"max-size": "1m", "max-file": "3"}}}),
        ]
    )
    assert merged["log_config"] == {
        "type": "json-file",
        "config": {"max-size": "1m", "max-file": "3"},
    }
    assert [c.key for c in conflicts] == ["log_config.config.max-size"]
    assert conflicts[0].earlier == "pydokku"


def test_merge_never_shows_environment_values() -> None:
    _, conflicts = dockerargs.merge(
        [("a", {"environment": {"K": "secret1"}}), ("b", {"environment": {"K": "secret2"}})]
    )
    assert "secret" not in str(conflicts[0])
    assert "environment.K" in str(conflicts[0])


def test_merge_does_not_alias_the_inputs() -> None:
    first = {"volumes": ["/a:/a"]}
    merged, _ = dockerargs.merge([("a", first), ("b", {"volumes": ["/b:/b"]})])
    assert first == {"volumes": ["/a:/a"]}
    assert merged["volumes"] == ["/a:/a", "/b:/b"]


def test_other_log_drivers_drop_json_file_max_size() -> None:
    options = {"log_config": {"type": "syslog", "config": {"max-size": "10m", "tag": "x"}}}
    assert dockerargs.fit_log_config(options)["log_config"]["config"] == {"tag": "x"}


def test_split_options_groups_words_by_flag() -> None:
    text = "--label 'a=b c' --init -v /x:/y --cpus=0.5 --oom-score-adj -5"
    assert words.split_options(text) == [
        ["--label", "a=b c"],
        ["--init"],
        ["-v", "/x:/y"],
        ["--cpus=0.5"],
        ["--oom-score-adj", "-5"],
    ]


def test_split_options_does_no_shell_expansion() -> None:
    assert words.split_options("--label 'x=$(id)'") == [["--label", "x=$(id)"]]


@pytest.mark.parametrize("text", ["'unclosed", "value-first --init"])
def test_split_options_refuses_bad_text(text: str) -> None:
    with pytest.raises(DokkuError):
        words.split_options(text)


def test_translate_deploy_options() -> None:
    got = translate.translate(
        "deploy",
        [
            "--label a=b",
            "-v /data:/app/data:ro",
            "--env Y=2",
            "--memory 64m",
            "--cpus 0.5",
            "--restart always",
            "--ulimit nofile=1024:2048",
            "--add-host db:10.0.0.2",
            "--tmpfs /run:size=64m",
            "--network backend",
            "--cap-add NET_ADMIN",
            "--init",
            "-p 127.0.0.1:8080:5000",
            "--gpus all",
            "--log-opt max-file=3",
        ],
    )
    assert got == {
        "labels": {"a": "b"},
        "volumes": ["/data:/app/data:ro"],
        "environment": {"Y": "2"},
        "mem_limit": 64 * 1024 * 1024,
        "nano_cpus": 500_000_000,
        "restart_policy": {"Name": "always"},
        "ulimits": [{"name": "nofile", "soft": 1024, "hard": 2048}],
        "extra_hosts": {"db": "10.0.0.2"},
        "tmpfs": {"/run": "size=64m"},
        "networks": ["backend"],
        "cap_add": ["NET_ADMIN"],
        "init": True,
        "ports": {"5000/tcp": ("127.0.0.1", 8080)},
        "device_requests": [{"capabilities": [["gpu"]], "count": -1}],
        "log_config": {"config": {"max-file": "3"}},
    }


def test_translate_build_options() -> None:
    got = translate.translate(
        "build", ["--build-arg X=1", "--build-arg FROM_CONFIG", "--no-cache", "--memory 1g"]
    )
    assert got == {
        "buildargs": {"X": "1", "FROM_CONFIG": None},
        "nocache": True,
        "container_limits": {"memory": 1 << 30},
    }


@pytest.mark.parametrize(
    ("phase", "text", "message"),
    [
        ("deploy", "--frobnicate 1", "Unsupported docker option --frobnicate"),
        ("deploy", "--build-arg X=1", "Unsupported docker option --build-arg"),
        ("build", "--volume /a:/b", "Unsupported docker option --volume"),
        ("deploy", "--name x", "Docker option --name is not allowed"),
        ("run", "--restart always", "Docker option --restart is not allowed"),
        ("deploy", "--network host", "Invalid value for docker option --network"),
        ("deploy", "--memory lots", "Invalid value for docker option --memory"),
        ("deploy", "--init yes", "Docker option --init takes no value"),
        ("deploy", "--label", "Docker option --label needs exactly one value"),
        ("deploy", "-v /only", "Invalid value for docker option -v"),
        ("deploy", "--env 1X=2", "Invalid value for docker option --env"),
    ],
)
def test_check_refuses_what_cannot_be_applied(phase: str, text: str, message: str) -> None:
    with pytest.raises(DokkuError, match=message):
        translate.check(phase, text)


def test_check_returns_one_stored_string_per_flag() -> None:
    stored = translate.check("deploy", "--label 'a=b c' --init --shm-size 256m")
    assert stored == ["--label 'a=b c'", "--init", "--shm-size 256m"]
    assert translate.translate("deploy", stored)["labels"] == {"a": "b c"}


@pytest.mark.parametrize(
    ("value", "expected"), [("512", 512), ("64m", 64 << 20), ("1g", 1 << 30), ("1.5GiB", 3 << 29)]
)
def test_size_bytes(value: str, expected: int) -> None:
    assert words.size_bytes(value) == expected


def test_build_cli_args_keep_values_out_of_the_command_line() -> None:
    argv, env = render.build_cli_args(
        {
            "buildargs": {"SECRET": "hunter2"},
            "network_mode": "host",
            "nocache": True,
            "labels": {"a": "b"},
            "container_limits": {"memory": 1024, "memswap": -1},
        }
    )
    assert argv == [
        "--build-arg",
        "SECRET",
        "--network",
        "host",
        "--no-cache",
        "--label",
        "a=b",
        "--memory",
        "1024b",
        "--memory-swap",
        "-1",
    ]
    assert env == {"SECRET": "hunter2"}


def test_every_flag_is_documented() -> None:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "runtime-options.md").read_text()
    for phase in dockerargs.PHASES:
        for name in translate.flag_table(phase):
            assert f"`{name}" in text, (phase, name)
