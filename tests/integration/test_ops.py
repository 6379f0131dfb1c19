"""Day-two operations against the installation: git:sync, plugin packages, cleanup."""

from __future__ import annotations

import fcntl
import json
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.apps import web_app
from tests.integration.conftest import PREFIX, commit, git, wait_for
from tests.integration.test_deploy import body

BASE_IMAGE = "pydokku/base:bookworm"
LOCKS = Path("/var/lib/dokku/data/pydokku/locks")


# --- git:sync from a git daemon on 127.0.0.1 --------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def git_daemon(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A `git daemon` on 127.0.0.1 serving tmp_path/srv; yields (srv dir, base URL)."""
    srv = tmp_path / "srv"
    srv.mkdir()
    port = free_port()
    argv = ["git", "daemon", "--listen=127.0.0.1", f"--port={port}", "--export-all"]
    argv += ["--reuseaddr", f"--base-path={srv}", str(srv)]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:

        def answers() -> bool:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
            except OSError:
                return False
            return True

        wait_for(answers, 10)
        yield srv, f"git://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_git_sync_builds_from_a_served_repo(dokku, app_name, make_repo, ssh_dokku, git_daemon):
    srv, base_url = git_daemon
    repo = make_repo(web_app("v1"))
    bare = srv / "app.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo), str(bare)], check=True)
    app = app_name()
    dokku("apps:create", app)

    synced = ssh_dokku("git:sync", "--build", app, f"{base_url}/app.git")
    assert synced.returncode == 0, synced.stderr
    assert body(app) == "v1"
    report = dokku("apps:report", app, "--format", "json").stdout
    assert "git-sync" in report
    assert dokku("git:report", app, "--git-deploy-branch").stdout.strip() == "main"

    local = ssh_dokku("git:sync", app, str(bare))
    assert local.returncode != 0
    assert "cannot be synced over SSH" in local.stderr

    commit(repo, web_app("v2"), "v2")
    git(repo, "push", "-q", str(bare), "main")
    dokku("git:sync", "--build-if-changes", app, f"{base_url}/app.git")
    assert body(app) == "v2"
    again = dokku("git:sync", "--build-if-changes", app, f"{base_url}/app.git")
    assert "Skipping build as no changes were detected" in again.stdout

    # The image just built, with the Procfile of a server directory, by a named author.
    build_dir = Path(tempfile.mkdtemp(prefix="pydokku-build-dir-"))
    try:
        build_dir.chmod(0o755)
        procfile = build_dir / "Procfile"
        procfile.write_text("web: env GREETING=from-build-dir python3 /app/app.py\n")
        procfile.chmod(0o644)
        image = f"dokku/{app}:latest"
        dokku("git:from-image", "--build-dir", str(build_dir), app, image, "Ann", "ann@example.com")
    finally:
        shutil.rmtree(build_dir)
    assert body(app) == "v2 from-build-dir"
    status = dokku("git:status", app).stdout
    assert "Ann, " in status
    assert f"Deploy image {image}" in status


# --- plugin:install / plugin:uninstall of a package ----------------------------------------

PLUGIN_MODULE = '''
"""A test plugin: one command and two hooks."""

from pydokku import output
from pydokku.cli.registry import Namespace, arg
from pydokku.hookspecs import hookimpl

MARKER = {marker!r}
probe = Namespace({namespace!r}, "Test probe")


@probe.command("hello", "<name>")
@arg("name")
def hello(ctx, name):
    """Say hello."""
    output.echo(f"probe says hello to {{name}}")


@hookimpl
def commands():
    return [probe]


@hookimpl
def install():
    with open(MARKER, "a") as handle:
        handle.write("install\\n")


@hookimpl
def uninstall(plugin):
    with open(MARKER, "a") as handle:
        handle.write(f"uninstall {{plugin}}\\n")
'''


def build_wheel(directory: Path, dist: str, files: dict[str, str], entry_points: str) -> Path:
    """Write a minimal wheel (no build backend needed) and return its path."""
    info = f"{dist}-0.1.dist-info"
    contents = {
        **files,
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.1\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: pytest\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n",
    }
    if entry_points:
        contents[f"{info}/entry_points.txt"] = entry_points
    contents[f"{info}/RECORD"] = "".join(f"{name},,\n" for name in [*contents, f"{info}/RECORD"])
    path = directory / f"{dist}-0.1-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in contents.items():
            archive.writestr(name, text)
    return path


def pip_has(dist: str) -> bool:
    argv = [str(PREFIX / "bin" / "python"), "-m", "pip", "show", "-q", dist]
    return subprocess.run(argv, capture_output=True, check=False).returncode == 0


@pytest.fixture
def probe_plugin(tmp_path: Path) -> Iterator[tuple[str, str, Path, Path]]:
    """A plugin wheel (name, namespace, wheel, marker file); uninstalled afterwards."""
    token = secrets.token_hex(3)
    dist, namespace = f"pydokku_probe_{token}", f"probe{token}"
    marker = Path(f"/tmp/pydokku-probe-{token}")
    marker.touch()
    marker.chmod(0o666)  # plugin:trigger runs hooks as the dokku user
    module = PLUGIN_MODULE.format(marker=str(marker), namespace=namespace)
    entry = f"[pydokku.plugins]\n{namespace} = {dist}\n"
    wheel = build_wheel(tmp_path, dist, {f"{dist}.py": module}, entry)
    try:
        yield namespace, dist, wheel, marker
    finally:
        if pip_has(dist):
            argv = [str(PREFIX / "bin" / "python"), "-m", "pip", "uninstall", "-y", dist]
            subprocess.run(argv, capture_output=True, check=False)
        marker.unlink(missing_ok=True)


def test_plugin_install_adds_a_command_and_a_hook(dokku, ssh_dokku, probe_plugin):
    namespace, dist, wheel, marker = probe_plugin
    refused = ssh_dokku("plugin:install", str(wheel))
    assert refused.returncode != 0
    assert "must be run as root" in refused.stderr
    assert not pip_has(dist)

    dokku("plugin:install", str(wheel))
    assert marker.read_text() == "install\n"  # its install hook ran
    listed = json.loads(dokku("plugin:list", "--format", "json").stdout)
    assert namespace in [p["name"] for p in listed]
    assert dokku("plugin:installed", namespace, check=False).returncode == 0
    assert dokku(f"{namespace}:hello", "bob").stdout.strip() == "probe says hello to bob"
    dokku("plugin:trigger", "install")
    assert marker.read_text().count("install\n") == 2

    dokku("plugin:uninstall", namespace)
    assert marker.read_text().endswith(f"uninstall {namespace}\n")
    assert not pip_has(dist)
    gone = dokku(f"{namespace}:hello", "bob", check=False)
    assert gone.returncode != 0
    assert "is not a dokku command" in gone.stderr
    assert dokku("plugin:installed", namespace, check=False).returncode == 1
    dokku("plugin:trigger", "install")
    assert marker.read_text().count("install\n") == 2  # its hook no longer runs


def test_plugin_install_refuses_a_package_without_a_plugin(dokku, tmp_path):
    dist = f"pydokku_notaplugin_{secrets.token_hex(3)}"
    wheel = build_wheel(tmp_path, dist, {f"{dist}.py": "X = 1\n"}, "")
    result = dokku("plugin:install", str(wheel), check=False)
    assert result.returncode == 1
    assert "is not a pydokku plugin" in result.stderr
    assert not pip_has(dist)


# --- cleanup ---------------------------------------------------------------------------


def docker(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["docker", *args], capture_output=True, text=True, check=False)


def exists(name: str) -> bool:
    return docker("container", "inspect", name).returncode == 0


def labelled(app: str, kind: str, release: str = "") -> list[str]:
    labels = ["dokku", f"com.dokku.app-name={app}", f"com.dokku.container-type={kind}"]
    labels += [f"com.dokku.release={release}"] if release else []
    return [arg for label in labels for arg in ("--label", label)]


def hold_deploy_lock(app: str) -> int:
    """Take the app's deploy lock as a deploy would (the file stays the dokku user's)."""
    dokku_user = pwd.getpwnam("dokku")
    path = LOCKS / f"{app}.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o664)
    os.chown(path, dokku_user.pw_uid, dokku_user.pw_gid)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def test_cleanup_removes_only_what_pydokku_no_longer_uses(dokku, app_name):
    app = app_name()
    dokku("apps:create", app)
    stranger = f"pytest-stranger-{secrets.token_hex(3)}"
    exited_run = f"{app}.run.4242"
    staging = f"{app}.web.1.v7"
    dokku("cleanup", app)  # nothing to remove; creates the lock directory if needed
    try:
        assert docker("create", "--name", stranger, BASE_IMAGE, "true").returncode == 0
        docker("run", "--name", exited_run, *labelled(app, "run"), BASE_IMAGE, "true")
        deploy_labels = labelled(app, "deploy", "7")
        started = docker("run", "-d", "--name", staging, *deploy_labels, BASE_IMAGE, "sleep", "300")
        assert started.returncode == 0, started.stderr
        fd = hold_deploy_lock(app)
        try:
            busy = dokku("cleanup", app)
            assert "in progress" in busy.stderr
            assert exists(exited_run)
            assert exists(staging)
        finally:
            os.close(fd)
        dokku("cleanup", app)
        assert not exists(exited_run)
        assert not exists(staging)
        assert exists(stranger)
        started_at = time.monotonic()
        dokku("cleanup")
        assert time.monotonic() - started_at < 60
        assert exists(stranger)
    finally:
        for name in (stranger, exited_run, staging):
            docker("rm", "-f", name)
