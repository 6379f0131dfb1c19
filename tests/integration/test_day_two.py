"""Day-two operations against the installation: cron tasks from app.json (real cron).

The crontab is the dokku user's, edited by pydokku; the system cron daemon runs it.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

from tests.integration.apps import web_app
from tests.integration.conftest import DokkuRunner, GitPush, commit, wait_for

TICK = {"command": "echo cron-tick", "schedule": "* * * * *"}
SLOW = {"command": "sleep 30", "schedule": "0 0 1 1 *", "concurrency_policy": "forbid"}


def app_json(*tasks: dict[str, str]) -> str:
    return json.dumps({"cron": list(tasks)})


def crontab_lines(app: str) -> list[str]:
    text = subprocess.run(
        ["crontab", "-u", "dokku", "-l"], capture_output=True, text=True, check=False
    ).stdout
    return [line for line in text.splitlines() if f" cron:run {app} " in line]


def task_ids(dokku: DokkuRunner, app: str) -> dict[str, str]:
    listed = json.loads(dokku("cron:list", app, "--format", "json").stdout)
    return {task["command"]: task["id"] for task in listed}


def log_text(dokku: DokkuRunner, app: str) -> str:
    return dokku("cron:logs", app, "-n", "0").stdout


def test_cron_tasks_follow_app_json(
    dokku: DokkuRunner,
    app_name: Callable[[], str],
    make_repo: Callable[[dict[str, str]], Path],
    git_push: GitPush,
) -> None:
    app = app_name()
    repo = make_repo(web_app("v1", **{"app.json": app_json(TICK, SLOW)}))
    git_push(repo, app)
    ids = task_ids(dokku, app)
    assert len(crontab_lines(app)) == 2
    # The system cron runs the every-minute task: a line within 70 s of the deploy.
    wait_for(
        lambda: "cron-tick" in log_text(dokku, app),
        timeout=70,
        interval=2,
        what=lambda: log_text(dokku, app),
    )
    assert f"{app}[cron." in log_text(dokku, app)

    dokku("cron:suspend", app, ids["echo cron-tick"])
    assert [line.split()[-1] for line in crontab_lines(app)] == [ids["sleep 30"]]
    dokku("cron:resume", app, ids["echo cron-tick"])
    assert len(crontab_lines(app)) == 2

    # --detach starts at once; forbid refuses a second run while the first goes on.
    name = dokku("cron:run", app, ids["sleep 30"], "--detach").stdout.strip()
    assert name.startswith(f"{app}.cron.")
    labels = subprocess.run(
        ["docker", "inspect", "-f", "{{json .Config.Labels}}", name],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(labels)["com.dokku.cron-id"] == ids["sleep 30"]
    second = dokku("cron:run", app, ids["sleep 30"], check=False)
    assert second.returncode == 1
    assert "cron lock in place" in second.stderr
    attached = dokku("cron:run", app, ids["echo cron-tick"])
    assert "cron-tick" in attached.stdout

    # An invalid schedule is refused before the build; the schedule in force stays.
    commit(repo, {"app.json": app_json({"command": "true", "schedule": "61 * * * *"})})
    refused = git_push(repo, app, expect_ok=False)
    assert "invalid cron schedule '61 * * * *'" in refused.stderr
    assert len(crontab_lines(app)) == 2

    # A redeploy without the entries removes their lines.
    commit(repo, {"app.json": app_json()})
    git_push(repo, app)
    assert crontab_lines(app) == []
    assert task_ids(dokku, app) == {}
