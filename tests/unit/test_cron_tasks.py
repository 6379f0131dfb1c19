"""Cron tasks from app.json: Dokku's ids, schedules, commands and the crontab section."""

from __future__ import annotations

from pathlib import Path

import pytest

from pydokku.errors import DokkuError
from pydokku.ids import base36, build_id, is_build_id
from pydokku.plugins.cron import entries
from pydokku.plugins.cron.tasks import (
    CronTask,
    command_words,
    from_app_json,
    schedule_problem,
    task_id,
)


def test_base36_is_the_multibase_encoding() -> None:
    assert base36(b"a") == "2p"  # 97 = 2 * 36 + 25
    assert base36(b"\0\0a") == "002p"  # each leading zero byte is a "0"
    assert base36(b"") == ""


def test_build_ids_sort_by_time() -> None:
    first, later = build_id(1_700_000_000_000), build_id(1_700_000_000_001)
    assert is_build_id(first)
    assert first[:8] < later[:8]
    assert not is_build_id("../etc/passwd1")


def test_task_id_is_base36_of_app_command_schedule() -> None:
    ident = task_id("myapp", "echo hi", "* * * * *")
    assert int(ident, 36).to_bytes(32, "big").lstrip(b"\0") == b"myapp===echo hi===* * * * *"
    assert ident == ident.lower()
    assert task_id("myapp", "echo hi", "@daily") != ident


@pytest.mark.parametrize(
    "schedule",
    ["* * * * *", "*/5 0-23/2 1,15 jan mon", "0 3 * * sun", "@daily", "@hourly", "0  3 * * *"],
)
def test_valid_schedules(schedule: str) -> None:
    assert schedule_problem(schedule) is None


@pytest.mark.parametrize(
    ("schedule", "problem"),
    [
        ("60 * * * *", "minute: '60' is outside 0-59"),
        ("* 24 * * *", "hour: '24' is outside 0-23"),
        ("* * 0 * *", "day of month: '0' is outside 1-31"),
        ("* * * 13 *", "month: '13' is outside 1-12"),
        ("* * * * 7", "day of week: '7' is outside 0-6"),
        ("5-1 * * * *", "minute: '5-1' is outside 0-59"),
        ("*/0 * * * *", "minute: step '0' must be a whole number of 1 or more"),
        ("* * * *", "expected 5 fields or a descriptor such as @daily"),
        ("@every 5m", "expected 5 fields or a descriptor such as @daily"),
        ("@reboot", "unknown descriptor '@reboot'"),
        ("* * * * *\n* * * * * rm -rf /", "only letters, digits, spaces and * / , - @ are allowed"),
        ("* * * * * %", "only letters, digits, spaces and * / , - @ are allowed"),
    ],
)
def test_invalid_schedules(schedule: str, problem: str) -> None:
    assert schedule_problem(schedule) == problem


def test_command_words_split_like_a_shell() -> None:
    assert command_words("python3 task.py schedule") == ["python3", "task.py", "schedule"]
    assert command_words("sh -c 'echo hi; date > /tmp/x'") == ["sh", "-c", "echo hi; date > /tmp/x"]
    assert command_words('echo "two words"') == ["echo", "two words"]


@pytest.mark.parametrize(
    "command",
    ["echo a; echo b", "a && b", "a | b", "a > f", "a $(b)", "a `b`", 'echo "$HOME"', "echo $X"],
)
def test_command_shell_syntax_is_refused(command: str) -> None:
    with pytest.raises(DokkuError, match="wrap the command in sh -c"):
        command_words(command)


@pytest.mark.parametrize("command", ["echo 'open", "echo \\", "   "])
def test_command_broken_or_empty_is_refused(command: str) -> None:
    with pytest.raises(DokkuError, match=r"unterminated quote|empty"):
        command_words(command)


def test_from_app_json_reads_every_field() -> None:
    app_json = {
        "cron": [
            {"command": "true", "schedule": "@daily"},
            {"command": "sleep 5", "schedule": "* * * * *", "concurrency_policy": "forbid"},
            {"command": "date", "schedule": "0 1 * * *", "maintenance": True},
        ]
    }
    stored = {task_id("app", "true", "@daily"): "true"}
    tasks = from_app_json("app", app_json, stored, False)
    assert [t.concurrency_policy for t in tasks] == ["allow", "forbid", "allow"]
    assert [t.task_maintenance for t in tasks] == [True, False, True]
    assert tasks[0].maintenance_label() == "true (task)"
    assert tasks[1].as_json() == {
        "id": task_id("app", "sleep 5", "* * * * *"),
        "app": "app",
        "command": "sleep 5",
        "schedule": "* * * * *",
        "concurrency_policy": "forbid",
        "app-in-maintenance": False,
        "task-in-maintenance": False,
        "maintenance": False,
    }
    suspended = from_app_json("app", app_json, {}, True)
    assert [t.maintenance_label() for t in suspended] == ["true (app)"] * 2 + ["true (task)"]
    assert from_app_json("app", {}, {}, False) == []


@pytest.mark.parametrize(
    ("cron", "message"),
    [
        ({"command": "x"}, "must be a list"),
        (["x"], r"cron\[0\] must be an object"),
        ([{"schedule": "@daily"}], "missing cron task command"),
        ([{"command": "x"}], "missing cron schedule"),
        ([{"command": "x", "schedule": "61 * * * *"}], "invalid cron schedule"),
        ([{"command": "x; y", "schedule": "@daily"}], r"cron\[0\]: Invalid cron command"),
        ([{"command": "x", "schedule": "@daily", "concurrency_policy": "queue"}], "policy"),
        ([{"command": "x", "schedule": "@daily", "maintenance": "yes"}], "true or false"),
    ],
)
def test_from_app_json_refuses_bad_entries(cron: object, message: str) -> None:
    with pytest.raises(DokkuError, match=message):
        from_app_json("app", {"cron": cron}, {}, False)


def _task(app: str, command: str, maintenance: bool = False) -> CronTask:
    return CronTask(
        app, task_id(app, command, "@daily"), command, "@daily", "allow", maintenance, False
    )


def test_section_holds_only_scheduled_tasks_and_never_the_command(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOKKU_BIN", "/usr/bin/dokku")
    lines = entries.section([_task("a", "echo secret"), _task("b", "true", maintenance=True)])
    first, last = entries.markers()
    assert lines[0] == first
    assert lines[-1] == last
    assert str(store) in first
    (line,) = lines[1:-1]
    assert line.startswith("@daily ")
    assert line.endswith(f"/usr/bin/dokku cron:run a {task_id('a', 'echo secret', '@daily')}")
    assert "secret" not in line
    assert entries.section([_task("b", "true", maintenance=True)]) == []


def test_replace_section_keeps_other_lines(store: Path) -> None:
    first, last = entries.markers()
    other = (
        "# BEGIN pydokku app cron tasks (/elsewhere)\n@daily x\n"
        "# END pydokku app cron tasks (/elsewhere)\n"
    )
    text = f"@daily renew\n{first}\n@daily old\n{last}\n{other}"
    replaced = entries.replace_section(text, [first, "@hourly new", last])
    assert replaced == f"@daily renew\n{other}{first}\n@hourly new\n{last}\n"
    assert entries.replace_section(text, []) == f"@daily renew\n{other}"
