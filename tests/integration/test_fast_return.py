"""Commands return soon after the switch; the rest of the watch window runs in the background.

A crash after the command returned still switches traffic back, and the failure is
recorded where users look: events, releases:info, logs:failed.
"""

from __future__ import annotations

import json
import time

from tests.integration.apps import host, web_app
from tests.integration.conftest import commit, http_get, wait_for


def body(app: str) -> str:
    status, text = http_get(host(app))
    assert status == 200, (status, text)
    return text.strip()


def answers(app: str, text: str) -> bool:
    try:
        status, answer = http_get(host(app))
    except OSError:
        return False
    return status == 200 and answer.strip() == text


def crashing_after(seconds: float, version: str) -> dict[str, str]:
    files = web_app(version).copy()
    files["app.py"] = files["app.py"].replace(
        "signal.signal(",
        f"import threading; threading.Timer({seconds}, lambda: os._exit(9)).start()\n"
        "signal.signal(",
        1,
    )
    return files


def test_a_crash_after_the_push_returned_switches_back_and_is_recorded(
    dokku, app_name, make_repo, git_push
) -> None:
    app = app_name()
    repo = make_repo(web_app("stable"))
    git_push(repo, app)
    commit(repo, crashing_after(6, "late-crash"))
    started = time.monotonic()
    push = git_push(repo, app)  # accepted: the crash comes after the foreground part
    took = time.monotonic() - started
    assert "in the background" in push.stderr
    assert took < 10, took  # the old behaviour waited out the 10 s window
    assert body(app) == "late-crash"
    releases = json.loads(dokku("releases:list", app, "--format", "json").stdout)
    version = releases[0]["version"]

    assert wait_for(lambda: answers(app, "stable"), timeout=30)
    info = json.loads(dokku("releases:info", app, f"v{version}", "--format", "json").stdout)
    assert info["status"] == "failed"
    reason = f"{app}.web.1 the container "  # exited, or restarted by its restart policy
    assert info["failure_reason"].startswith(reason), info["failure_reason"]
    assert "within 10 s of starting" in info["failure_reason"]
    events = json.loads(dokku("events:list", "-n", "200", "--format", "json").stdout)
    details = [e["detail"] for e in events if e["target"] == app]
    assert any(d.startswith(f"v{version} failed: {reason}") for d in details), details
    assert reason in dokku("logs:failed", app).stdout
    # The old containers serve under their own names again; the new ones are gone.
    names = dokku("ps:report", app, "--format", "json").stdout
    assert "late-crash" not in names
    # The deploy lock was the watcher's until it finished: the next deploy runs normally.
    commit(repo, web_app("after"))
    git_push(repo, app)
    assert body(app) == "after"


def test_foreground_wait_all_keeps_the_whole_window_in_the_push(
    dokku, app_name, make_repo, git_push
) -> None:
    app = app_name()
    repo = make_repo(web_app("stable"))
    git_push(repo, app)
    dokku("checks:set", app, "foreground-wait", "all")
    commit(repo, crashing_after(6, "late-crash"))
    push = git_push(repo, app, expect_ok=False)
    assert "Switching traffic back" in push.stderr
    assert body(app) == "stable"


def test_config_set_returns_before_the_window_ends(dokku, app_name, make_repo, git_push) -> None:
    app = app_name()
    git_push(make_repo(web_app("v1")), app)
    started = time.monotonic()
    result = dokku("config:set", app, "GREETING=quick")
    took = time.monotonic() - started
    assert "in the background" in result.stdout
    assert took < 9, took
    assert body(app) == "v1 quick"
    # The watcher finishes the deploy: final names, old containers retiring.
    assert wait_for(lambda: _final_names(dokku, app), timeout=20)


def _final_names(dokku, app: str) -> bool:  # type: ignore[no-untyped-def]
    import subprocess

    out = subprocess.run(
        ["docker", "ps", "--filter", f"label=com.dokku.app-name={app}", "--format", "{{.Names}}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return f"{app}.web.1" in out and not any(".v" in n.removeprefix(app) for n in out)
