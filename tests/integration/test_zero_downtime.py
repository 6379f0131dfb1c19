"""Zero-downtime deploys under load, healthchecks, release phase, releases and rollback."""

from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path

from tests.integration.apps import host, web_app
from tests.integration.conftest import commit, http_get
from tests.integration.load import LoadLoop

MIN_RATE = 20.0


def assert_no_failures(loop: LoadLoop) -> None:
    assert loop.errors == [], loop.errors[:5]
    assert loop.sent >= 20
    assert loop.rate >= MIN_RATE, loop.rate


def body(app: str) -> str:
    status, text = http_get(host(app))
    assert status == 200, (status, text)
    return text.strip()


def test_redeploy_under_load_fails_no_request(app_name, make_repo, git_push):
    app = app_name()
    repo = make_repo(web_app("v1"))
    git_push(repo, app)
    commit(repo, web_app("v2"))
    with LoadLoop(host(app)) as loop:
        time.sleep(1)
        git_push(repo, app)
        time.sleep(1)
    assert_no_failures(loop)
    bodies = loop.bodies()
    assert bodies[0].startswith("v1")
    assert bodies[-1].startswith("v2")


def test_scale_and_config_change_under_load(dokku, app_name, make_repo, git_push):
    app = app_name()
    git_push(make_repo(web_app("v1")), app)
    with LoadLoop(host(app)) as loop:
        dokku("ps:scale", app, "web=3")
        dokku("config:set", app, "GREETING=changed")
        dokku("ps:scale", app, "web=1")
        time.sleep(1)
    assert_no_failures(loop)
    assert loop.bodies()[-1] == "v1 changed"


def test_web3_deploy_never_drops_below_three_upstreams(dokku, app_name, make_repo, git_push):
    app = app_name()
    repo = make_repo(web_app("v1"))
    git_push(repo, app)
    dokku("ps:scale", app, "web=3")
    conf = Path(f"/home/dokku/{app}/nginx.conf")
    counts: list[int] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            counts.append(len(re.findall(r"^\s*server \d", conf.read_text(), re.M)))
            time.sleep(0.02)

    watcher = threading.Thread(target=watch)
    commit(repo, web_app("v2"))
    with LoadLoop(host(app)) as loop:
        watcher.start()
        git_push(repo, app)
        done.set()
        watcher.join()
    assert_no_failures(loop)
    assert min(counts) >= 3, counts


def test_failing_healthcheck_keeps_old_version(dokku, app_name, make_repo, git_push):
    app = app_name()
    repo = make_repo(web_app("good"))
    git_push(repo, app)
    checks = {
        "healthchecks": {
            "web": [
                {
                    "type": "startup",
                    "name": "ready",
                    "path": "/nope",
                    "content": "ok",
                    "attempts": 2,
                    "wait": 1,
                }
            ]
        }
    }
    commit(repo, {**web_app("bad"), "app.json": json.dumps(checks)})
    with LoadLoop(host(app)) as loop:
        push = git_push(repo, app, expect_ok=False)
    assert "Check 'ready' failed" in push.stderr
    assert "listening on" in push.stderr  # the last log lines of the new container
    assert_no_failures(loop)
    assert set(loop.bodies()) == {"good"}
    assert body(app) == "good"


def test_failing_release_phase_leaves_old_release(dokku, app_name, make_repo, git_push):
    app = app_name()
    repo = make_repo(web_app("one"))
    git_push(repo, app)
    before = json.loads(dokku("releases:list", app, "--format", "json").stdout)
    commit(repo, {**web_app("two"), "Procfile": "web: python3 app.py\nrelease: exit 5\n"})
    push = git_push(repo, app, expect_ok=False)
    assert "release command failed with exit code 5" in push.stderr
    assert body(app) == "one"
    after = json.loads(dokku("releases:list", app, "--format", "json").stdout)
    assert after[0]["status"] == "failed"
    current = next(r for r in after if r["status"] == "succeeded")
    assert current["version"] == before[0]["version"]


def test_rollback_restores_body_and_config_under_load(dokku, app_name, make_repo, git_push):
    app = app_name()
    repo = make_repo(web_app("v1"))
    dokku("apps:create", app)
    dokku("config:set", "--no-restart", app, "GREETING=first")
    git_push(repo, app)
    commit(repo, web_app("v2"))
    git_push(repo, app)
    dokku("config:set", app, "GREETING=second")
    assert body(app) == "v2 second"
    with LoadLoop(host(app)) as loop:
        dokku("releases:rollback", app, "v1")
        time.sleep(0.5)
    assert_no_failures(loop)
    assert body(app) == "v1 first"
    assert dokku("config:get", app, "GREETING").stdout.strip() == "first"
    releases = json.loads(dokku("releases:list", app, "--format", "json").stdout)
    assert releases[0]["kind"] == "rollback"
    assert releases[0]["status"] == "succeeded"
    info = dokku("releases:info", app, f"v{releases[0]['version']}").stdout
    assert "Rollback to v1" in info


def test_failing_app_during_probation_switches_back(dokku, app_name, make_repo, git_push):
    app = app_name()
    repo = make_repo(web_app("stable"))
    git_push(repo, app)
    crashing = web_app("crashy").copy()
    crashing["app.py"] = crashing["app.py"].replace(
        "signal.signal(",
        "import threading; threading.Timer(3, lambda: os._exit(9)).start()\nsignal.signal(",
        1,
    )
    commit(repo, crashing)
    push = git_push(repo, app, expect_ok=False)
    assert "Switching traffic back" in push.stderr
    assert body(app) == "stable"
