"""app-json and cron from the command line: settings, reports, the crontab, refusals.

A release is seeded in the store (no Docker needed); `crontab` is a stand-in under the
temp dir. Running tasks against a real engine and cron: tests/integration/test_day_two.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from pydokku import release, state
from pydokku.plugins.cron.tasks import task_id
from pydokku.release import Release
from tests.cli.test_letsencrypt import CronDokku
from tests.conftest import Dokku
from tests.report_json import short_keys
from tests.statedump import dump

TASKS = [
    {"command": "sh -c 'date >> /tmp/x'", "schedule": "* * * * *"},
    {"command": "true", "schedule": "@daily", "concurrency_policy": "forbid"},
]
EVERY_MINUTE = task_id("myapp", TASKS[0]["command"], "* * * * *")
DAILY = task_id("myapp", "true", "@daily")


@pytest.fixture
def dokku(tmp_path: Path) -> CronDokku:
    return CronDokku(tmp_path)


@pytest.fixture
def deployed(dokku: Dokku, app: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """myapp with a succeeded release whose app.json declares two cron tasks."""
    monkeypatch.setenv("DOKKU_LIB_ROOT", str(dokku.lib_root))
    state.close_all()
    rel = release.record(Release(app, image="dokku/myapp:1", app_json={"cron": TASKS}), "pending")
    release.set_status(rel, "succeeded")
    state.close_all()
    yield app
    state.close_all()


def crontab_lines(dokku: CronDokku) -> list[str]:
    text = dokku.crontab.read_text() if dokku.crontab.exists() else ""
    return [line for line in text.splitlines() if " cron:run " in line]


def refused(dokku: Dokku, *args: str) -> str:
    """Run a command that must fail with one ` !` line (and its usage) and change nothing."""
    before = dump(dokku.db)
    result = dokku(*args)
    assert result.rc != 0, args
    lines = result.stderr.splitlines()
    assert all(line.startswith(" !     ") for line in lines), result.stderr
    assert len(lines) == 1 or (len(lines) == 2 and "Usage: dokku " in lines[1]), result.stderr
    assert dump(dokku.db) == before, args
    return lines[0][7:]


def test_app_json_set_and_report(dokku: Dokku, app: str) -> None:
    data = short_keys(
        json.loads(dokku.ok("app-json:report", app, "--format", "json").stdout), "app-json"
    )
    assert data == {
        "appjson-path": "",
        "global-appjson-path": "",
        "computed-appjson-path": "app.json",
    }
    dokku.ok("app-json:set", app, "appjson-path", "deploy/app.json")
    dokku.ok("app-json:set", "--global", "appjson-path", "meta.json")
    text = dokku.ok("app-json:report", app).stdout
    assert "=====> myapp app-json information" in text
    assert "App json computed appjson path:" in text
    flag = dokku.ok("app-json:report", app, "--app-json-computed-appjson-path").stdout
    assert flag.strip() == "deploy/app.json"
    dokku.ok("app-json:set", app, "appjson-path")
    flag = dokku.ok("app-json:report", app, "--app-json-computed-appjson-path").stdout
    assert flag.strip() == "meta.json"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("/etc/passwd",), "Invalid value for appjson-path: must be a relative path"),
        (("../app.json",), "Invalid value for appjson-path: must not contain '..'"),
        (("a b.json",), "Invalid value for appjson-path: may contain only"),
        (("x" * 300,), "Invalid value for appjson-path: must be at most 255 characters"),
    ],
)
def test_app_json_set_refuses_paths_outside_the_source(
    dokku: Dokku, app: str, args: tuple[str, ...], message: str
) -> None:
    assert refused(dokku, "app-json:set", app, "appjson-path", *args).startswith(message)


def test_app_json_bad_input(dokku: Dokku, app: str) -> None:
    assert refused(dokku, "app-json:set", "nope", "appjson-path", "a.json") == (
        "App nope does not exist"
    )
    assert refused(dokku, "app-json:set", app, "colour", "red").startswith("Invalid property")
    assert refused(dokku, "app-json:report", "nope") == "App nope does not exist"


def test_cron_list_shows_dokku_ids(dokku: Dokku, deployed: str) -> None:
    lines = dokku.ok("cron:list", deployed).lines
    assert lines[0].split() == ["ID", "Schedule", "Concurrency", "Maintenance", "Command"]
    assert lines[1].startswith(EVERY_MINUTE)
    assert " allow " in lines[1]
    assert lines[1].endswith(" false        sh -c 'date >> /tmp/x'")
    data = json.loads(dokku.ok("cron:list", deployed, "--format", "json").stdout)
    assert [t["id"] for t in data] == [EVERY_MINUTE, DAILY]
    assert data[1]["concurrency_policy"] == "forbid"
    assert data[1]["maintenance"] is False


def test_never_deployed_app_has_no_tasks(dokku: Dokku, app: str) -> None:
    assert json.loads(dokku.ok("cron:list", app, "--format", "json").stdout) == []
    data = json.loads(dokku.ok("cron:report", app, "--format", "json").stdout)
    assert data["task-count"] == "0"


def test_suspend_and_resume_edit_the_crontab(dokku: CronDokku, deployed: str) -> None:
    dokku.crontab.write_text("@daily /usr/bin/dokku letsencrypt:auto-renew\n")
    dokku.ok("cron:resume", deployed, DAILY)  # writes the section: both tasks scheduled
    assert [line.split()[-1] for line in crontab_lines(dokku)] == [EVERY_MINUTE, DAILY]
    dokku.ok("cron:suspend", deployed, EVERY_MINUTE)
    assert [line.split()[-1] for line in crontab_lines(dokku)] == [DAILY]
    listed = json.loads(dokku.ok("cron:list", deployed, "--format", "json").stdout)
    assert listed[0]["task-in-maintenance"] is True
    report = json.loads(dokku.ok("cron:report", deployed, "--format", "json").stdout)
    assert report[f"maintenance-{EVERY_MINUTE}"] == "true"
    assert report["task-count"] == "2"
    dokku.ok("cron:resume", deployed, EVERY_MINUTE)
    assert len(crontab_lines(dokku)) == 2
    assert dokku.crontab.read_text().startswith("@daily /usr/bin/dokku letsencrypt:auto-renew\n")


def test_maintenance_and_mail_settings(dokku: CronDokku, deployed: str) -> None:
    dokku.ok("cron:resume", deployed, DAILY)
    dokku.ok("cron:set", deployed, "maintenance", "true")
    assert crontab_lines(dokku) == []
    assert "(app)" in dokku.ok("cron:list", deployed).lines[1]
    dokku.ok("cron:set", deployed, "maintenance", "")
    dokku.ok("cron:set", "--global", "mailto", "ops@example.com")
    assert "MAILTO=ops@example.com" in dokku.crontab.read_text().splitlines()
    report = json.loads(dokku.ok("cron:report", deployed, "--format", "json").stdout)
    assert report["computed-mailto"] == "ops@example.com"
    assert "mailto" not in report  # global only, as in Dokku
    dokku.ok("cron:set", "--global", "maintenance", "true")
    assert crontab_lines(dokku) == []
    dokku.ok("cron:set", "--global", "maintenance", "false")
    assert len(crontab_lines(dokku)) == 2


def test_destroy_unschedules(dokku: CronDokku, deployed: str) -> None:
    dokku.ok("cron:resume", deployed, DAILY)
    assert crontab_lines(dokku)
    dokku.ok("apps:destroy", deployed, "--force")
    assert crontab_lines(dokku) == []
    assert "pydokku app cron tasks" not in dokku.crontab.read_text()


def test_cron_bad_input(dokku: CronDokku, deployed: str) -> None:
    for args, message in [
        (("cron:list", "nope"), "App nope does not exist"),
        (("cron:list", "Bad_Name"), "App name must begin"),
        (("cron:run", deployed, "zzz"), "No matching cron task 'zzz'"),
        (("cron:run", "nope", DAILY), "App nope does not exist"),
        (("cron:suspend", deployed, "zzz"), "No matching cron task 'zzz'"),
        (("cron:resume", deployed, ""), "No matching cron task ''"),
        (("cron:set", deployed, "mailto", "a@b.c"), "Property 'mailto' can only be set with"),
        (("cron:set", "--global", "mailto", "a b"), "Invalid value for mailto"),
        (("cron:set", deployed, "maintenance", "maybe"), "Invalid value for maintenance"),
        (("cron:set", deployed, "colour", "red"), "Invalid property 'colour' for cron"),
        (
            ("cron:set", "--global", f"maintenance.{DAILY}", "true"),
            "Task maintenance properties cannot",
        ),
        (("cron:set", deployed, "maintenance.zzz", "true"), "No matching cron task 'zzz'"),
        (("cron:logs", deployed, "-n", "-1"), "--num must be 0 or more"),
        (("cron:report", "nope"), "App nope does not exist"),
    ]:
        assert refused(dokku, *args).startswith(message), args
    assert not dokku.crontab.exists()
