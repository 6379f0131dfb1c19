"""git push deploys of Dockerfile apps: build, run, route, and every ps/run/logs command."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.integration.apps import WORKER_PY, host, web_app
from tests.integration.conftest import commit, http_get, wait_for


def body(app: str, path: str = "/") -> str:
    status, text = http_get(host(app), path)
    assert status == 200, (status, text)
    return text.strip()


def serves(app: str) -> bool:
    """Tell whether nginx answers 200 for the app (the default server drops unknown hosts)."""
    try:
        return http_get(host(app))[0] == 200
    except OSError:
        return False


def docker_names(app: str) -> list[str]:
    out = subprocess.run(
        ["docker", "ps", "--filter", f"label=com.dokku.app-name={app}", "--format", "{{.Names}}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return sorted(out.split())


def test_first_deploy_redeploy_and_destroy(dokku, app_name, make_repo, git_push):
    app = app_name()
    repo = make_repo(web_app("v1"))
    push = git_push(repo, app)
    assert "-----> Building" in push.stderr
    assert f"http://{host(app)}" in push.stderr
    assert body(app) == "v1"
    assert f"{app}.web.1" in docker_names(app)

    commit(repo, web_app("v2"))
    git_push(repo, app)
    assert body(app) == "v2"
    assert json.loads(dokku("ps:scale", app, "--format", "json").stdout) == [
        {"process_type": "web", "quantity": 1}
    ]

    dokku("--force", "apps:destroy", app)
    assert docker_names(app) == []
    assert not Path(f"/home/dokku/{app}").exists()
    images = dokku("apps:list").stdout
    assert app not in images.split()
    assert not serves(app)


def test_failed_build_rejects_push_and_keeps_serving(dokku, app_name, make_repo, git_push):
    app = app_name()
    repo = make_repo(web_app("good"))
    git_push(repo, app)
    commit(repo, {"Dockerfile": "FROM pydokku/base:bookworm\nRUN exit 3\n"})
    push = git_push(repo, app, expect_ok=False)
    assert "pre-receive hook declined" in push.stderr
    assert body(app) == "good"
    sha = dokku("git:report", app, "--git-sha").stdout.strip()
    head = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "HEAD~1"], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert sha == head  # the rejected ref was not stored


def test_crashing_app_rejects_push(dokku, app_name, make_repo, git_push):
    app = app_name()
    repo = make_repo(web_app("good"))
    git_push(repo, app)
    commit(repo, {"Procfile": "web: python3 -c 'import sys; print(\"boom\"); sys.exit(4)'\n"})
    push = git_push(repo, app, expect_ok=False)
    assert "boom" in push.stderr  # the failed container's last log lines
    assert body(app) == "good"


def test_procfile_errors_name_the_line(app_name, make_repo, git_push):
    app = app_name()
    repo = make_repo(web_app("v1", Procfile="web: python3 app.py\nweb: python3 app.py\n"))
    push = git_push(repo, app, expect_ok=False)
    assert "Procfile line 2" in push.stderr
    assert "duplicate process type 'web'" in push.stderr


def test_scale_web_and_worker(dokku, app_name, make_repo, git_push):
    app = app_name()
    files = web_app("v1", Procfile="web: python3 app.py\nworker: python3 worker.py\n")
    repo = make_repo({**files, "worker.py": WORKER_PY})
    git_push(repo, app)
    assert docker_names(app) == [f"{app}.web.1"]
    dokku("ps:scale", app, "web=2", "worker=1")
    assert {f"{app}.web.1", f"{app}.web.2", f"{app}.worker.1"} <= set(docker_names(app))
    dynos = wait_for(lambda: {body(app, "/dyno") for _ in range(20)} >= {"web.1", "web.2"}, 20)
    assert dynos
    logs = dokku("logs", app, "-p", "worker", "-n", "5").stdout
    assert f"{app}[worker.1]: worker started" in logs
    report = dokku("ps:report", app, "--format", "json").stdout
    assert json.loads(report)["processes"] == "3"


def test_config_set_restarts_with_new_env(dokku, app_name, make_repo, git_push):
    app = app_name()
    git_push(make_repo(web_app("v1")), app)
    dokku("config:set", app, "GREETING=hello there")
    assert body(app) == "v1 hello there"
    dokku("config:set", "--no-restart", app, "GREETING=later")
    assert body(app) == "v1 hello there"
    dokku("ps:restart", app)
    assert body(app) == "v1 later"


def test_stop_start_run_logs_enter(dokku, app_name, make_repo, git_push):
    app = app_name()
    git_push(make_repo(web_app("v1")), app)
    dokku("ps:stop", app)
    assert docker_names(app) == []
    status, _ = http_get(host(app))
    assert status == 502
    dokku("ps:start", app)
    assert body(app) == "v1"

    run = dokku("run", app, "python3", "-c", "import os; print('run', os.environ['DYNO'])")
    assert "run run.1" in run.stdout
    failed = dokku("run", app, "sh", "-c", "exit 7", check=False)
    assert failed.returncode == 7
    dokku("config:set", app, "GREETING=x")
    env = dokku("run", "-e", "EXTRA=1", app, "sh", "-c", "echo $GREETING-$EXTRA").stdout
    assert env.strip().endswith("x-1")

    body(app)
    logs = dokku("logs", app, "-n", "20").stdout
    assert f"{app}[web.1]: request /" in logs
    entered = dokku("enter", app, "web", "cat", "/app/app.py").stdout
    assert "VERSION = 'v1'" in entered


def test_dockerd_restart_then_restore(dokku, app_name, make_repo, git_push):
    app = app_name()
    git_push(make_repo(web_app("v1")), app)
    pid = Path("/var/run/docker.pid").read_text().strip()
    subprocess.run(["kill", pid], check=True)
    wait_for(
        lambda: (
            not Path(f"/proc/{pid}").exists()
            or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]
        ),
        60,
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([str(root / "scripts" / "start-services")], check=True, capture_output=True)
    dokku("ps:restore")
    assert wait_for(lambda: http_get(host(app))[0] == 200, 60)
    assert body(app) == "v1"
