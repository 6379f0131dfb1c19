"""git push deploys without a Dockerfile: the auto builder on the offline stacks.

The first test of each language builds its stack image (once per machine); later
runs reuse it. Dependencies come from PyPI and npm through this host's TLS proxy,
which only works because builds carry the host's CA certificates.
"""

from __future__ import annotations

import json
import subprocess

from tests.integration.apps import host
from tests.integration.auto_apps import (
    flask_app,
    go_app,
    node_app,
    ruby_app,
    static_site,
    stdlib_app,
)
from tests.integration.conftest import commit, http_get


def created(dokku, app: str) -> str:  # type: ignore[no-untyped-def]
    """Create the app with a short uptime window, so deploys without checks finish fast."""
    dokku("apps:create", app)
    dokku("checks:set", app, "default-wait", "1")
    return app


def body(app: str) -> str:
    status, text = http_get(host(app))
    assert status == 200, (status, text)
    return text.strip()


def step_cached(output: str, command: str) -> bool:
    """Tell whether BuildKit took the RUN step whose command ends with `command` from cache."""
    lines = [line.replace("remote:", "").strip() for line in output.splitlines()]
    header = next(line for line in lines if line.startswith("#") and line.endswith(command))
    number = header.split()[0]
    return f"{number} CACHED" in lines


def test_python_app_with_a_pypi_dependency(dokku, app_name, make_repo, git_push) -> None:
    app = created(dokku, app_name())
    # A requirements.txt of its own: pip really downloads (through the proxy) every run.
    files = {**flask_app("v1"), "requirements.txt": f"# {app}\nflask==3.0.3\n"}
    repo = make_repo(files)
    push = git_push(repo, app)
    out = push.stdout + push.stderr
    assert "-----> Building" in out
    assert "with the auto builder: python 3.11" in out
    assert "Successfully installed" in out
    assert "flask-3.0.3" in out
    assert "PYDOKKU_CA_CERTS" not in out  # the platform's own step is folded away
    assert "Base image " in out
    assert "error" not in out.split("Base image ", 1)[1].split("\n")[0]
    assert body(app) == "flask v1"
    report = dokku("builder:report", app, "--format", "json").stdout
    assert json.loads(report)["detected-language"] == "python 3.11 (requirements.txt, pip)"

    # A source-only change reinstalls nothing: the install layer comes from the cache.
    commit(repo, {"app.py": flask_app("v2")["app.py"]})
    push = git_push(repo, app)
    out = push.stdout + push.stderr
    assert step_cached(out, "pip install -r requirements.txt")
    assert "Collecting flask" not in out
    assert body(app) == "flask v2"

    # builder null: no build, the existing image is deployed again.
    dokku("builder:set", app, "selected", "null")
    commit(repo, {"app.py": flask_app("v3")["app.py"]})
    out = git_push(repo, app).stderr
    assert "Skipping the build (builder null)" in out
    assert body(app) == "flask v2"


def test_node_app_with_an_npm_dependency(dokku, app_name, make_repo, git_push) -> None:
    app = created(dokku, app_name())
    push = git_push(make_repo(node_app("v1", tag=app)), app)  # no cached install step
    assert "auto builder: node 18 (package.json, package-lock.json, npm)" in push.stderr
    assert "added 1 package" in push.stderr
    assert body(app) == "node v1 86400000"


def test_go_app(dokku, app_name, make_repo, git_push) -> None:
    app = created(dokku, app_name())
    push = git_push(make_repo(go_app("v1")), app)
    assert "auto builder: go 1.23 (go.mod, no dependencies)" in push.stderr
    assert body(app) == "go v1"


def test_ruby_app(dokku, app_name, make_repo, git_push) -> None:
    app = created(dokku, app_name())
    push = git_push(make_repo(ruby_app()), app)
    assert "auto builder: ruby 3.1 (Gemfile, Gemfile.lock, bundler)" in push.stderr
    assert "No default web process" not in push.stderr
    assert body(app) == "ruby 3.1.2"


def test_static_site(dokku, app_name, make_repo, git_push) -> None:
    app = created(dokku, app_name())
    git_push(make_repo(static_site("static v1")), app)
    assert body(app) == "<h1>static v1</h1>"
    assert http_get(host(app), "/.env")[0] == 404


def test_nothing_detectable_rejects_the_push(dokku, app_name, make_repo, git_push) -> None:
    app = created(dokku, app_name())
    push = git_push(make_repo({"README.md": "nothing to run\n"}), app, expect_ok=False)
    assert "No builder detected for this app: looked for a Dockerfile; requirements.txt" in (
        push.stderr
    )
    assert "pre-receive hook declined" in push.stderr
    assert dokku("ps:report", app, "--ps-deployed").stdout.strip() == "false"


def test_procfile_web_and_worker(dokku, app_name, make_repo, git_push) -> None:
    app = created(dokku, app_name())
    files = stdlib_app(
        Procfile="web: python server.py from-procfile\nworker: python worker.py\n",
        **{"worker.py": "import time\nwhile True:\n    time.sleep(1)\n"},
        **{"app.json": json.dumps({"formation": {"worker": {"quantity": 1}}})},
    )
    git_push(make_repo(files), app)
    assert body(app) == "stdlib from-procfile"
    names = subprocess.run(
        ["docker", "ps", "--filter", f"label=com.dokku.app-name={app}", "--format", "{{.Names}}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert sorted(names) == [f"{app}.web.1", f"{app}.worker.1"]


def test_build_dir_monorepo(dokku, app_name, make_repo, git_push) -> None:
    app = created(dokku, app_name())
    dokku("builder:set", app, "build-dir", "services/api")
    files = {f"services/api/{name}": text for name, text in stdlib_app().items()}
    files["services/api/Procfile"] = "web: python server.py monorepo\n"
    files["package.json"] = "{}"  # the root would be a Node.js app
    git_push(make_repo(files), app)
    assert body(app) == "stdlib monorepo"
    printed = dokku("builder-auto:dockerfile", app).stdout
    assert printed.startswith("# Generated by pydokku's auto builder: python 3.11")
