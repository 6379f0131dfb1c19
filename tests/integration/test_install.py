"""The installation `./install.sh` made: idempotent, SSH-only-dokku, and it deploys the example."""

from __future__ import annotations

import os
import pwd
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.integration.conftest import (
    DOKKU_BIN,
    DOKKU_USER,
    PREFIX,
    REPO_ROOT,
    SOURCE_STAMP,
    SSH_HOST,
    DokkuRunner,
    GitPush,
    SshKey,
    SshRunner,
    http_get,
    source_digest,
    wait_for,
)

pytestmark = pytest.mark.integration

SUDOERS = Path("/etc/sudoers.d/dokku-nginx")
NGINX_CONF_D = Path("/etc/nginx/conf.d")
RESTORE_UNIT = Path("/etc/systemd/system/pydokku-restore.service")
EXAMPLE = REPO_ROOT / "examples" / "hello"


def _file_state(path: Path) -> tuple[str, int, str, str] | None:
    try:
        info = path.lstat()
    except FileNotFoundError:
        return None
    owner = pwd.getpwuid(info.st_uid).pw_name
    if stat.S_ISLNK(info.st_mode):
        body = "-> " + os.readlink(path)
    elif stat.S_ISDIR(info.st_mode):
        body = "<dir>"
    else:
        body = path.read_text(errors="replace")
    return owner, stat.S_IMODE(info.st_mode), stat.filemode(info.st_mode), body


def _shadow_password(user: str) -> str:
    for line in Path("/etc/shadow").read_text().splitlines():
        fields = line.split(":")
        if fields[0] == user:
            return fields[1]
    return "<no entry>"


def host_state() -> dict[str, object]:
    """What install.sh sets up on the host, as comparable values."""
    paths = [
        SUDOERS,
        DOKKU_BIN,
        SOURCE_STAMP,
        RESTORE_UNIT,
        Path("/home/dokku"),
        Path("/home/dokku/.ssh"),
        Path("/home/dokku/.ssh/authorized_keys"),
        Path("/var/lib/dokku"),
        Path("/var/log/dokku"),
        *sorted(NGINX_CONF_D.glob("*.conf")),
    ]
    hosts_lines = [
        line
        for line in Path("/etc/nsswitch.conf").read_text().splitlines()
        if line.startswith("hosts:")
    ]
    groups = subprocess.run(["id", "-nG", "dokku"], capture_output=True, text=True, check=True)
    return {
        "files": {str(p): _file_state(p) for p in paths},
        "passwd": pwd.getpwnam("dokku")[:],
        "shadow": _shadow_password("dokku"),
        "groups": sorted(groups.stdout.split()),
        "nsswitch hosts": hosts_lines,
    }


def run_installer(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOKKU_")}
    return subprocess.run(
        [str(REPO_ROOT / "install.sh"), *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )


def test_a_second_run_succeeds_and_changes_nothing() -> None:
    before = host_state()
    result = run_installer("--no-example")
    assert result.returncode == 0, result.stdout + result.stderr
    assert host_state() == before
    out = result.stdout
    assert "-----> Debian packages: all present" in out
    assert f"pydokku in {PREFIX} is up to date" in out
    for first_run_only in ("created user", "unlocked dokku", "linked /usr/local/bin/dokku"):
        assert first_run_only not in out


def test_the_venv_holds_this_checkout() -> None:
    assert SOURCE_STAMP.read_text().strip() == source_digest()
    assert os.readlink(DOKKU_BIN) == str(PREFIX / "bin" / "dokku")


def test_the_dokku_user_can_log_in_with_a_key_but_gets_no_shell() -> None:
    entry = pwd.getpwnam("dokku")
    assert (entry.pw_dir, entry.pw_shell) == ("/home/dokku", "/bin/bash")
    assert _shadow_password("dokku") == "*"  # not "!": a locked account
    ssh_dir = Path("/home/dokku/.ssh")
    assert ssh_dir.stat().st_uid == entry.pw_uid
    assert stat.S_IMODE(ssh_dir.stat().st_mode) == 0o700


def test_ssh_runs_dokku_commands(
    ssh_dokku: SshRunner, dokku: DokkuRunner, app_name: Callable[[], str]
) -> None:
    app = app_name()
    dokku("apps:create", app)
    result = ssh_dokku("apps:list", check=True)
    assert result.stdout.startswith("=====> My Apps\n")
    assert app in result.stdout.splitlines()


@pytest.mark.parametrize(
    "command", ["bash", "sh -c id", "echo pwned", ""], ids=["bash", "sh", "echo", "none"]
)
def test_ssh_refuses_a_shell(ssh_key: SshKey, command: str) -> None:
    argv = ["ssh", *ssh_key.options(), "-T", f"{DOKKU_USER}@{SSH_HOST}"]
    if command:
        argv.append(command)
    result = subprocess.run(
        argv,
        input="id\necho pwned\nexit 0\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if command:
        assert result.returncode != 0
        assert "is not a dokku command" in result.stderr
    # No shell read what came on stdin either (without a command, dokku prints help).
    assert "pwned" not in result.stdout
    assert "uid=" not in result.stdout


def test_sudo_allows_exactly_nginx_test_and_reload() -> None:
    info = SUDOERS.stat()
    assert (info.st_uid, stat.S_IMODE(info.st_mode)) == (0, 0o440)
    assert subprocess.run(["visudo", "-cqf", str(SUDOERS)], check=False).returncode == 0

    def allowed(*command: str) -> bool:
        # `sudo -l COMMAND` only checks whether the rule allows it; nothing runs.
        argv = ["runuser", "-u", "dokku", "--", "sudo", "-n", "-l", *command]
        return subprocess.run(argv, capture_output=True, check=False).returncode == 0

    assert allowed("/usr/sbin/nginx", "-t")
    assert allowed("/usr/sbin/nginx", "-s", "reload")
    assert not allowed("/usr/sbin/nginx", "-s", "stop")
    assert not allowed("/usr/sbin/nginx")
    assert not allowed("/bin/sh")


def test_app_hostnames_under_localhost_resolve_to_loopback() -> None:
    for name in ("hello.localhost", "t-0123abcd.localhost"):
        result = subprocess.run(
            ["getent", "ahosts", name], capture_output=True, text=True, check=False
        )
        addresses = {line.split()[0] for line in result.stdout.splitlines()}
        assert addresses, name
        assert addresses <= {"127.0.0.1", "::1"}, (name, result.stdout)


def test_nginx_includes_the_app_configs() -> None:
    text = (NGINX_CONF_D / "dokku.conf").read_text()
    assert "include /home/dokku/*/nginx.conf;" in text
    assert subprocess.run(["nginx", "-t", "-q"], check=False).returncode == 0
    # A host no app serves gets no app's page: a plain 404 saying what to check.
    status, body = http_get("no-such-app.localhost")
    assert status == 404
    assert "no app on this server answers to this host name" in body


def test_the_dokku_user_runs_the_installed_cli() -> None:
    result = subprocess.run(
        ["runuser", "-u", "dokku", "--", str(DOKKU_BIN), "version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "pydokku" in result.stdout


def test_apps_come_back_at_boot() -> None:
    if Path("/run/systemd/system").is_dir():
        text = RESTORE_UNIT.read_text()
        assert "ExecStart=/usr/local/bin/dokku ps:restore" in text
        enabled = subprocess.run(
            ["systemctl", "is-enabled", "pydokku-restore.service"], check=False
        )
        assert enabled.returncode == 0
    else:
        result = subprocess.run(
            [str(REPO_ROOT / "scripts" / "start-services")],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "-----> Restoring apps (dokku ps:restore)" in result.stdout


def test_the_example_app_deploys_by_git_push(
    make_repo: Callable[[dict[str, str]], Path],
    git_push: GitPush,
    app_name: Callable[[], str],
    dokku: DokkuRunner,
) -> None:
    files = {p.name: p.read_text() for p in EXAMPLE.iterdir() if p.is_file()}
    app = app_name()
    push = git_push(make_repo(files), app)
    assert "-----> " in push.stderr  # the deploy's progress, streamed back as remote: lines
    assert dokku("url", app).stdout.strip() == f"http://{app}.localhost"
    seen: list[tuple[int, str]] = []

    def page() -> str | None:
        seen.append(http_get(f"{app}.localhost"))
        return seen[-1][1] if seen[-1][0] == 200 else None

    body = wait_for(page, timeout=30, what=lambda: f"last answer {seen[-1:]}")
    assert body == "Hello from pydokku\n"
