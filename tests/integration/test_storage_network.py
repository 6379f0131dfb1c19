"""storage and network on real containers: data outliving deploys, apps reaching each other."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.integration.apps import DOCKERFILE, host
from tests.integration.conftest import commit
from tests.integration.service_app import SERVER

STORAGE_ROOT = Path("/var/lib/dokku/data/storage")
# /write stores a line in the mounted /data; /read shows it; /fetch?url=URL gets another body.
APP_PY = """\
import os, signal, sys, urllib.parse, urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VERSION = {version!r}


def write(q):
    with open("/data/note", "a") as f:
        f.write("written by " + VERSION + "\\n")
    return "ok"


def read(q):
    try:
        return open("/data/note").read().strip()
    except OSError as exc:
        return "missing: " + exc.__class__.__name__


def fetch(q):
    try:
        with urllib.request.urlopen(q["url"], timeout=3) as r:
            return "fetched " + r.read().decode().strip()
    except Exception as exc:
        return "unreachable: " + exc.__class__.__name__


ROUTES = {{"/": lambda q: VERSION, "/write": write, "/read": read, "/fetch": fetch}}


""" + SERVER.replace("{", "{{").replace("}", "}}")


def files(version: str, **extra: str) -> dict[str, str]:
    return {"Dockerfile": DOCKERFILE, "app.py": APP_PY.format(version=version), **extra}


def body(http_get, app: str, path: str) -> str:
    status, text = http_get(host(app), path)
    assert status == 200, (status, text)
    return str(text.strip())


def test_mounted_data_survives_redeploy_rollback_and_rebuild(
    dokku, app_name, make_repo, git_push, http_get
):
    app = app_name()
    directory = STORAGE_ROOT / app
    try:
        dokku("apps:create", app)
        made = dokku("storage:ensure-directory", app).stdout
        assert "Setting directory ownership to 32767:32767" in made
        assert directory.stat().st_uid == 32767
        dokku("storage:mount", app, f"{directory}:/data")
        release = "release: sh -c '! test -d /data || echo release-phase >> /data/release.log'\n"
        procfile = f"web: python3 app.py\n{release}"
        repo = make_repo(files("v1", Procfile=procfile))
        git_push(repo, app)
        assert body(http_get, app, "/write") == "ok"
        assert (directory / "note").read_text() == "written by v1\n"

        commit(repo, files("v2", Procfile=procfile))
        git_push(repo, app)
        assert body(http_get, app, "/") == "v2"
        assert body(http_get, app, "/read") == "written by v1"
        dokku("releases:rollback", app, "v1")
        assert body(http_get, app, "/") == "v1"
        assert body(http_get, app, "/read") == "written by v1"
        dokku("ps:rebuild", app)
        assert body(http_get, app, "/write") == "ok"
        assert body(http_get, app, "/read").splitlines()[-1] == "written by v2"
        assert dokku("run", app, "cat", "/data/note").stdout.count("written by") == 2
        assert (directory / "release.log").read_text().count("release-phase") >= 2

        listed = json.loads(dokku("storage:list", app, "--format", "json").stdout)
        assert listed == [{"host_path": str(directory), "container_path": "/data"}]
        dokku("storage:unmount", app, f"{directory}:/data")
        dokku("ps:rebuild", app)
        assert body(http_get, app, "/read") == "missing: FileNotFoundError"
        dokku("--force", "apps:destroy", app)
        assert (directory / "note").exists(), "apps:destroy must keep mounted data"
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def test_refused_mounts_change_nothing(dokku, app_name):
    app = app_name()
    dokku("apps:create", app)
    before = dokku("storage:report", app, "--format", "json").stdout
    for spec in ("/var/lib/dokku/data/pydokku:/x", "/home/dokku:/x", "data/x:/x", "/srv:x"):
        result = dokku("storage:mount", app, spec, check=False)
        assert result.returncode == 1, spec
        assert len(result.stderr.splitlines()) == 1, result.stderr
    assert dokku("storage:report", app, "--format", "json").stdout == before
