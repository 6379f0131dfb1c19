"""The SSH forced-command entry: `dokku` run with no argv and SSH_ORIGINAL_COMMAND set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Dokku, Result


def over_ssh(dokku: Dokku, command: str, stdin: str = "", **env: str) -> Result:
    return dokku(stdin=stdin, env={"SSH_ORIGINAL_COMMAND": command, **env})


def test_the_original_command_runs(dokku: Dokku, app: str) -> None:
    result = over_ssh(dokku, "apps:list")
    assert (result.rc, result.stdout) == (0, "=====> My Apps\nmyapp\n")


def test_the_original_command_is_split_like_a_shell_would(dokku: Dokku, app: str) -> None:
    result = over_ssh(dokku, "config:set myapp 'A=two words' \"B=it's\"")
    assert result.rc == 0
    assert over_ssh(dokku, "config:export --format json myapp").stdout == (
        '{"A": "two words", "B": "it\'s"}\n'
    )


def test_global_flags_work_over_ssh(dokku: Dokku, app: str) -> None:
    result = over_ssh(dokku, "--quiet --app myapp config:set A=1")
    assert (result.rc, result.stdout) == (0, "")
    assert over_ssh(dokku, "config:get myapp A").stdout == "1\n"


@pytest.mark.parametrize(
    "command", ["rm -rf /", "bash", "sh -c id", "/bin/sh", "cat /etc/passwd", "scp -t /tmp"]
)
def test_other_commands_are_refused(dokku: Dokku, command: str) -> None:
    result = over_ssh(dokku, command)
    assert result.rc == 1
    assert result.stdout == ""
    name = command.split()[0]
    assert result.stderr.startswith(f" !     `{name}` is not a dokku command.\n")


SHELL_TRICKS = [
    "apps:create x; touch {marker}",
    "apps:create x && touch {marker}",
    "apps:create x | touch {marker}",
    "apps:create $(touch {marker})",
    "apps:create `touch {marker}`",
    "apps:create x\ntouch {marker}",
]


def test_no_shell_interpretation(dokku: Dokku, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    for template in SHELL_TRICKS:
        result = over_ssh(dokku, template.format(marker=marker))
        assert result.rc == 1, template
        assert not marker.exists(), template
    assert over_ssh(dokku, "apps:list --format json").stdout == "[]\n"


def test_unbalanced_quotes_are_refused(dokku: Dokku) -> None:
    result = over_ssh(dokku, "config:set myapp 'A=1")
    assert result.rc == 1
    assert result.stderr.startswith(" !     Cannot parse the SSH command: ")


def test_empty_command_prints_help(dokku: Dokku) -> None:
    result = over_ssh(dokku, "")
    assert result.rc == 0
    assert result.stdout == dokku.ok("help").stdout


def test_key_name_is_the_actor(dokku: Dokku) -> None:
    assert over_ssh(dokku, "apps:create myapp", NAME="alice").rc == 0
    assert over_ssh(dokku, "config:set myapp A=1", NAME="bob").rc == 0
    dokku.ok("config:set", "myapp", "B=2")  # a local run
    events = json.loads(dokku.ok("events:list", "--format", "json").stdout)
    core = [e for e in events if e["action"] in ("apps:create", "config:set")]
    assert [(e["actor"], e["action"]) for e in core] == [
        ("alice", "apps:create"),
        ("bob", "config:set"),
        ("tester", "config:set"),
    ]


def test_local_runs_ignore_name(dokku: Dokku) -> None:
    dokku.ok("apps:create", "myapp", env={"NAME": "mallory"})
    events = json.loads(dokku.ok("events:list", "--format", "json").stdout)
    assert {e["actor"] for e in events} == {"tester"}


@pytest.mark.integration  # destroy/rename ask the Docker engine for the app's containers
def test_destroy_over_ssh_reads_the_confirmation(dokku: Dokku, app: str) -> None:
    assert over_ssh(dokku, "apps:destroy myapp", stdin="wrong\n").rc == 1
    assert dokku("apps:exists", app).rc == 0
    assert over_ssh(dokku, "apps:destroy myapp", stdin="myapp\n").rc == 0
    assert dokku("apps:exists", app).rc == 1


def test_argv_wins_over_the_original_command(dokku: Dokku, app: str) -> None:
    result = dokku("apps:list", env={"SSH_ORIGINAL_COMMAND": "bash"})
    assert (result.rc, result.stdout) == (0, "=====> My Apps\nmyapp\n")
