"""docs/getting-started.md, run as written: every command in order, every "You should see".

The laptop is a temp HOME with its own key; `HOST` is an ssh alias for this machine.
`ssh root@HOST CMD` runs CMD here directly (the tests already run as root on the server).
Let's Encrypt is Pebble (set as the global ACME server first); names are made unique.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
from pathlib import Path

from tests.integration.conftest import SSH_HOST, commit, git, http_get, run_dokku
from tests.integration.pebble import Pebble, pebble_fixture  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "getting-started.md"
BLOCK_RE = re.compile(r"```(sh|text)\n(.*?)```", re.S)

SSH_SHIM = """#!/bin/sh
# `ssh root@HOST CMD` is the server's root: run CMD here; anything else goes to sshd.
if [ "$1" = "root@HOST" ]; then shift; exec /bin/sh -c "$*"; fi
exec /usr/bin/ssh -F {config} "$@"
"""


def steps(text: str) -> list[tuple[list[str], list[str]]]:
    """Return the guide's (commands, expected lines) pairs, in order."""
    found: list[tuple[list[str], list[str]]] = []
    for lang, body in BLOCK_RE.findall(text):
        lines = [line.strip() for line in body.splitlines() if line.strip()]
        if lang == "sh":
            found.append((lines, []))
        elif found:
            found[-1][1].extend(lines)
    return found


def laptop(tmp_path: Path) -> dict[str, str]:
    """Make the laptop: HOME with a key, an ssh alias `HOST`, and an ssh shim on PATH."""
    home, bin_dir = tmp_path / "home", tmp_path / "bin"
    (home / ".ssh").mkdir(parents=True, mode=0o700)
    bin_dir.mkdir()
    key = home / ".ssh" / "id_ed25519"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    config = home / ".ssh" / "config"
    config.write_text(
        f"Host HOST\n  HostName {SSH_HOST}\n  IdentityFile {key}\n  IdentitiesOnly yes\n"
        f"  UserKnownHostsFile {home / '.ssh' / 'known_hosts'}\n"
        "  StrictHostKeyChecking accept-new\n  BatchMode yes\n"
    )
    shim = bin_dir / "ssh"
    shim.write_text(SSH_SHIM.format(config=config))
    shim.chmod(0o755)
    return {
        **os.environ,
        "HOME": str(home),
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "GIT_SSH_COMMAND": f"/usr/bin/ssh -F {config}",
        "GIT_AUTHOR_NAME": "me",
        "GIT_AUTHOR_EMAIL": "me@pydokku.invalid",
        "GIT_COMMITTER_NAME": "me",
        "GIT_COMMITTER_EMAIL": "me@pydokku.invalid",
    }


def test_the_guide_runs_as_written(app_name, pebble: Pebble, tmp_path: Path) -> None:
    app, db, key = app_name(), f"t-{secrets.token_hex(4)}", f"pytest-{secrets.token_hex(4)}"
    names = {"myapp": app, "mydb": db, "ssh-keys:add me": f"ssh-keys:add {key}"}
    names["example.com"] = "pydokku.test"  # Pebble's DNS answers loopback for every name
    env = laptop(tmp_path)
    repo = tmp_path / "myapp"
    shutil.copytree(ROOT / "examples" / "hello", repo)
    git(repo, "init", "-q", "-b", "main")
    commit(repo, {}, "my app")
    run_dokku("letsencrypt:set", "--global", "server", pebble.directory)
    run_dokku("letsencrypt:set", "--global", "ca-bundle", str(pebble.ca_bundle))
    try:
        for commands, expected in steps(GUIDE.read_text()):
            said = ""
            for command in commands:
                for old, new in names.items():
                    command = command.replace(old, new)
                proc = subprocess.run(
                    ["/bin/sh", "-c", command],
                    cwd=repo,
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=600,
                    check=False,
                )
                said += proc.stdout + proc.stderr
                assert proc.returncode == 0, f"{command}\n{proc.stdout}{proc.stderr}"
            for line in expected:
                for old, new in names.items():
                    line = line.replace(old, new)
                assert line in said, f"{commands}: expected {line!r} in:\n{said}"
        status, _ = http_get(f"{app}.pydokku.test")
        assert status == 301  # HTTPS is on: plain HTTP redirects
    finally:
        run_dokku("postgres:unlink", db, app, "-n", check=False)
        run_dokku("--force", "postgres:destroy", db, check=False)
        run_dokku("ssh-keys:remove", key, check=False)
        run_dokku("letsencrypt:set", "--global", "server", check=False)
        run_dokku("letsencrypt:set", "--global", "ca-bundle", check=False)
