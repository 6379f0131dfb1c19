"""storage and network on real containers: data outliving deploys, apps reaching each other."""

from __future__ import annotations

import json
import secrets
import shutil
import subprocess
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


def tcp(q):
    import socket

    with socket.create_connection((q["host"], int(q["port"])), timeout=3) as conn:
        conn.sendall(b"PING\\r\\n")
        return conn.recv(200).decode().strip()


ROUTES = {{"/": lambda q: VERSION, "/write": write, "/read": read, "/fetch": fetch, "/tcp": tcp}}


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


def networks_of(container: str) -> dict[str, dict[str, object]]:
    out = subprocess.run(
        ["docker", "inspect", "-f", "{{json .NetworkSettings.Networks}}", container],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found: dict[str, dict[str, object]] = json.loads(out)
    return found


def test_apps_reach_each_other_on_a_created_network(
    dokku, app_name, make_repo, git_push, http_get, wait_for
):
    api, front = app_name(), app_name()
    net = f"t-net-{secrets.token_hex(3)}"
    service = f"t{secrets.token_hex(3)}"
    dokku("network:create", net)
    try:
        listed = json.loads(dokku("network:list", "--dokku-managed", "--format", "json").stdout)
        assert net in [n["Name"] for n in listed]
        assert json.loads(dokku("network:info", net, "--format", "json").stdout)["DokkuManaged"]
        for app, version, key in (
            (api, "api-v1", "attach-post-create"),
            (front, "front-v1", "attach-post-deploy"),
        ):
            dokku("apps:create", app)
            dokku("network:set", app, key, net)
            git_push(make_repo(files(version)), app)
        url = f"http://{api}.web:5000/"
        assert body(http_get, front, f"/fetch?url={url}") == "fetched api-v1"
        attached = networks_of(f"{front}.web.1")
        assert f"{front}.web" in attached[net]["Aliases"]
        assert f"{front}.web" not in (attached["pydokku"].get("Aliases") or [])

        refused = dokku("network:destroy", "--force", net, check=False)
        assert refused.returncode == 1
        assert "is in use by containers" in refused.stderr

        dokku("network:set", front, "attach-post-deploy", "")
        dokku("ps:rebuild", front)
        assert body(http_get, front, f"/fetch?url={url}").startswith("unreachable")
        dokku("network:set", front, "attach-post-deploy", net)
        dokku("network:rebuild", front)
        assert body(http_get, front, f"/fetch?url={url}") == "fetched api-v1"
        dokku("network:set", api, "tld", "svc.test")
        dokku("network:rebuild", api)
        tld_url = f"http://{api}.web.svc.test:5000/"
        assert body(http_get, front, f"/fetch?url={tld_url}") == "fetched api-v1"

        dokku("redis:create", service, "-P", net)
        dokku("redis:link", service, front)
        svc = networks_of(f"dokku.redis.{service}")
        assert f"dokku-redis-{service}" in svc[net]["Aliases"]
        ip = svc[net]["IPAddress"]
        answer = wait_for(lambda: body(http_get, front, f"/tcp?host={ip}&port=6379"))
        assert "NOAUTH" in answer or "PONG" in answer
        env = dokku("config:get", front, "REDIS_URL").stdout
        assert f"dokku-redis-{service}:6379" in env
    finally:
        if dokku("redis:exists", service, check=False).returncode == 0:
            dokku("redis:unlink", service, front, check=False)
            dokku("redis:destroy", service, "-f", check=False)
        for app in (api, front):
            dokku("--force", "apps:destroy", app, check=False)
        dokku("network:destroy", "--force", net, check=False)
    assert dokku("network:exists", net, check=False).returncode == 1
