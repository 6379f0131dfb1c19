"""pydokku through Dokku's own laptop client (tests/vendor/dokku_client.sh), over real SSH.

The client finds the host and app from the `dokku` git remote and sends
`ssh dokku@HOST -- --app APP CMD ARGS`; users install it as `dokku` on their laptop.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

from tests.integration.apps import web_app
from tests.integration.conftest import SSH_HOST, SshKey, http_get, run_dokku

CLIENT = Path(__file__).resolve().parents[1] / "vendor" / "dokku_client.sh"


def client_env(ssh_key: SshKey, tmp_path: Path) -> dict[str, str]:
    """PATH with an `ssh` that logs in with the test key, as the user's own ssh would."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "ssh"
    shim.write_text(f'#!/bin/sh\nexec /usr/bin/ssh {shlex.join(ssh_key.options())} "$@"\n')
    shim.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "DOKKU_HOST": SSH_HOST}


def test_common_flows_through_dokku_s_client(
    ssh_key: SshKey, app_name, make_repo, git_push, tmp_path: Path
) -> None:
    app = app_name()
    repo = make_repo(web_app("v1"))
    env = client_env(ssh_key, tmp_path)

    def client(*args: str) -> str:
        proc = subprocess.run(
            ["bash", str(CLIENT), *args],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert proc.returncode == 0, (args, proc.stdout, proc.stderr)
        return proc.stdout + proc.stderr

    # No remote yet: the client adds it and sends `--app APP apps:create APP`.
    created = client("apps:create", app)
    assert "-----> Dokku remote added at 127.0.0.1 called dokku" in created
    assert run_dokku("apps:exists", app).returncode == 0
    remote = subprocess.run(
        ["git", "-C", str(repo), "remote", "get-url", "dokku"], capture_output=True, text=True
    )
    assert remote.stdout.strip() == f"dokku@{SSH_HOST}:{app}"

    # From now on the app comes from the remote.
    assert "GREETING" in client("config:set", "GREETING=hi")
    git_push(repo, app)
    assert "GREETING:  hi" in client("config")
    assert http_get(f"{app}.localhost")[1].strip() == "v1 hi"
    client("ps:scale", "web=2")
    assert "web:  2" in client("ps:scale")
    assert "listening on" in client("logs")
    assert "hello from run" in client("run", "echo", "hello", "from", "run")
    assert f"http://{app}.localhost" in client("urls")
    assert "My Apps" in client("apps:list")  # --app sent to a command without an app

    client("--force", "apps:destroy")
    assert run_dokku("apps:exists", app, check=False).returncode != 0
