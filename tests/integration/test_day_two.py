"""Day-two operations against the installation: cron tasks from app.json (real cron),
build records (real pushes, a real canceled build).

The crontab is the dokku user's, edited by pydokku; the system cron daemon runs it.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from tests.integration.apps import web_app
from tests.integration.conftest import (
    SSH_HOST,
    DokkuRunner,
    GitPush,
    SshKey,
    commit,
    wait_for,
)
from tests.integration.test_deploy import body

LOCKS = Path("/var/lib/dokku/data/pydokku/locks")

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


# --- builds -------------------------------------------------------------------------------


def builds(dokku: DokkuRunner, app: str) -> list[dict[str, object]]:
    return json.loads(dokku("builds:list", app, "--format", "json").stdout)


def sleeping_build_steps(seconds: str) -> list[str]:
    """Return the pids of `sleep SECONDS` processes (a build's RUN step, seen from the host)."""
    found = subprocess.run(["pgrep", "-f", f"^sleep {seconds}$"], capture_output=True, text=True)
    return found.stdout.split()


def test_a_failed_build_is_recorded_with_its_output(
    dokku: DokkuRunner,
    app_name: Callable[[], str],
    make_repo: Callable[[dict[str, str]], Path],
    git_push: GitPush,
) -> None:
    app = app_name()
    failing = "FROM pydokku/base:bookworm\nRUN echo about-to-fail && false\n"
    git_push(make_repo({"Dockerfile": failing}), app, expect_ok=False)
    (build,) = builds(dokku, app)
    assert build["status"] == "failed"
    assert build["source"] == "git-hook"
    assert build["exit_code"] == 1
    text = dokku("builds:output", app, str(build["id"])).stdout
    assert "about-to-fail" in text
    info = dokku("builds:info", app, str(build["id"])).stdout
    assert "Status:     failed" in info


def test_builds_cancel_stops_a_slow_build(
    dokku: DokkuRunner,
    app_name: Callable[[], str],
    make_repo: Callable[[dict[str, str]], Path],
    git_push: GitPush,
    ssh_key: SshKey,
) -> None:
    app = app_name()
    repo = make_repo(web_app("v1"))
    git_push(repo, app)
    (first,) = builds(dokku, app)
    assert first["status"] == "succeeded"
    assert first["release"]
    seconds = f"120.{secrets.randbelow(10**6)}"  # unique: never cached, never another's
    commit(repo, {"Dockerfile": web_app("v2")["Dockerfile"] + f"RUN sleep {seconds}\n"})
    env = {**os.environ, "GIT_SSH_COMMAND": ssh_key.git_ssh_command()}
    push = subprocess.Popen(
        ["git", "-C", str(repo), "push", f"dokku@{SSH_HOST}:{app}", "main"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        wait_for(lambda: sleeping_build_steps(seconds), timeout=300, interval=1)
        running = builds(dokku, app)[0]
        assert running["status"] == "running"
        assert f"sleep {seconds}" in dokku("builds:output", app, "current").stdout
        started = time.monotonic()
        dokku("builds:cancel", app)
        _, stderr = push.communicate(timeout=30)
        assert time.monotonic() - started < 20
    finally:
        push.kill()
        push.wait()
    assert push.returncode != 0
    assert "was canceled" in stderr
    assert builds(dokku, app)[0]["status"] == "canceled"
    with open(LOCKS / f"{app}.lock", "rb") as lock:  # the deploy lock is free
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    assert body(app).startswith("v1")
    wait_for(lambda: not sleeping_build_steps(seconds), timeout=20, interval=1)
