"""The first hour: each mistake a newcomer makes explains itself and names the fix."""

from __future__ import annotations

import json
import time

from tests.integration.apps import APP_PY, DOCKERFILE, WORKER_PY, host, web_app
from tests.integration.conftest import http_get

WRONG_PORT_APP = APP_PY.replace('int(os.environ["PORT"])', "8080").replace(
    'os.environ["PORT"]', '"8080"'
)
NEEDY_APP = APP_PY.replace(
    "signal.signal(",
    'sys.exit("NEED is not set") if "NEED" not in os.environ else None\nsignal.signal(',
    1,
)


def last_release(dokku, app: str) -> dict:
    return json.loads(dokku("releases:list", app, "--format", "json").stdout)[0]


def test_an_app_on_the_wrong_port_is_named_quickly(dokku, app_name, make_repo, git_push):
    app = app_name()
    files = {"Dockerfile": DOCKERFILE, "app.py": WRONG_PORT_APP.format(version="v1")}
    started = time.monotonic()
    push = git_push(make_repo(files), app, expect_ok=False)
    elapsed = time.monotonic() - started
    text = push.stdout + push.stderr
    assert "listens on port 8080, not on port 5000 ($PORT)" in text, text
    assert f"dokku ports:set {app} http:80:8080" in text
    assert elapsed < 50, elapsed  # named within seconds, not after the 60 s answer timeout
    failed = last_release(dokku, app)
    info = json.loads(
        dokku("releases:info", app, f"v{failed['version']}", "--format", "json").stdout
    )
    assert info["status"] == "failed"
    assert "listens on port 8080" in info["failure_reason"]


def test_expose_says_where_the_app_is_served(dokku, app_name, make_repo, git_push):
    app = app_name()
    files = web_app("v1")
    files["Dockerfile"] = DOCKERFILE.replace("COPY . /app", "EXPOSE 8080\nCOPY . /app")
    push = git_push(make_repo(files), app)
    text = push.stdout + push.stderr
    assert f"{app} EXPOSEs port 8080, so it is served on http:8080 (not on port 80)" in text
    assert f"dokku ports:set {app} http:80:8080" in text
    status, body = http_get(host(app))  # port 80: the default server's page, not an empty reply
    assert status == 404
    assert "no app on this server answers" in body
    dokku("ports:set", app, "http:80:8080")
    status, body = http_get(host(app))
    assert (status, body.split()[0]) == (200, "v1")


def test_a_procfile_without_web_says_nothing_runs(dokku, app_name, make_repo, git_push):
    app = app_name()
    files = {**web_app("v1"), "worker.py": WORKER_PY, "Procfile": "worker: python3 worker.py\n"}
    push = git_push(make_repo(files), app)
    text = push.stdout + push.stderr
    assert f"No process of {app} runs: its Procfile has no web process" in text
    assert f"dokku ps:scale {app} worker=1" in text
    assert "Application deployed" not in text


def test_a_failed_config_restart_keeps_the_old_config(dokku, app_name, make_repo, git_push):
    app = app_name()
    dokku("apps:create", app)
    dokku("config:set", "--no-restart", app, "NEED=yes", "GREETING=hi")
    git_push(make_repo({"Dockerfile": DOCKERFILE, "app.py": NEEDY_APP.format(version="v1")}), app)
    before = last_release(dokku, app)["version"]
    result = dokku("config:unset", app, "NEED", check=False)
    assert result.returncode != 0
    assert f"The config change was undone: {app} keeps the config it runs with" in result.stderr
    assert dokku("config:get", app, "NEED").stdout.strip() == "yes"
    assert http_get(host(app))[1].strip() == "v1 hi"
    assert (
        json.loads(dokku("releases:list", app, "--format", "json").stdout)[1]["version"] == before
    )


def test_rollback_says_what_it_changes(dokku, app_name, make_repo, git_push):
    app = app_name()
    git_push(make_repo(web_app("v1")), app)
    dokku("config:set", app, "GREETING=hello")
    rolled = dokku("releases:rollback", app)
    text = rolled.stdout + rolled.stderr
    assert "config GREETING removed" in text
    assert "hello" not in text  # keys only, never values
    assert http_get(host(app))[1].strip() == "v1"
