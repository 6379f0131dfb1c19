"""Access lists over the real SSH entry, with two keys: `ssh dokku@127.0.0.1` and git push.

Key A is the session key (`ssh_key`); key B is added for this module and removed after.
Every grant and the super-user setting are cleared whatever happens, so the other
integration tests (one key, no lists) run as before.
"""

from __future__ import annotations

import os
import secrets
import shlex
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.apps import web_app
from tests.integration.conftest import DOKKU_USER, SSH_HOST, SshKey, run_dokku


@pytest.fixture(scope="module")
def key_b(installation: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SshKey]:
    """A second key, `pytest-b-<random>`, removed after the module."""
    directory = tmp_path_factory.mktemp("ssh-b")
    private = directory / "id_ed25519"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "pytest-b", "-f", str(private)],
        check=True,
    )
    public = private.with_name("id_ed25519.pub")
    name = f"pytest-b-{secrets.token_hex(4)}"
    fingerprint = run_dokku("ssh-keys:add", name, "-", input=public.read_text()).stdout.strip()
    try:
        yield SshKey(name, private, public, directory / "known_hosts", fingerprint)
    finally:
        run_dokku("ssh-keys:remove", name, check=False)


@pytest.fixture
def clean_lists() -> Iterator[None]:
    """Make sure no super user is left set, whatever the test did."""
    assert run_dokku("acl:report", "--global", "--acl-global-super-user").stdout.strip() == ""
    try:
        yield
    finally:
        run_dokku("acl:set", "--global", "super-user", check=False)


def ssh(key: SshKey, *words: str) -> subprocess.CompletedProcess[str]:
    argv = ["ssh", *key.options(), f"{DOKKU_USER}@{SSH_HOST}", shlex.join(words)]
    return subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False)


def push(key: SshKey, repo: Path, app: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_SSH_COMMAND": key.git_ssh_command()}
    argv = ["git", "-C", str(repo), "push", f"{DOKKU_USER}@{SSH_HOST}:{app}", "main"]
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=900, check=False)


def refusal(key: SshKey, command: str, app: str) -> str:
    return (
        f"User {key.name} does not have permissions to run {command} on {app}, "
        f"or {app} does not exist"
    )


def test_a_grant_keeps_other_keys_out_until_they_are_super_users(
    dokku, app_name, make_repo, ssh_key: SshKey, key_b: SshKey, clean_lists: None
) -> None:
    a, b = ssh_key, key_b
    app = app_name()
    dokku("apps:create", app)
    # No lists yet: every key may act on every app.
    assert ssh(b, "config:set", "--no-restart", app, "FROM_B=1").returncode == 0

    dokku("acl:add", app, a.name)
    assert dokku("acl:list", app).stdout == f"{a.name}\n"
    assert ssh(a, "config:set", "--no-restart", app, "FROM_A=1").returncode == 0
    assert app in ssh(a, "apps:list").stdout.split()

    for words, command in (
        (("config:get", app, "FROM_A"), "config:get"),
        (("config:set", "--no-restart", app, "X=1"), "config:set"),
        (("ps:report", app), "ps:report"),
    ):
        result = ssh(b, *words)
        assert result.returncode == 1, words
        assert result.stdout == ""
        assert result.stderr.strip() == f"!     {refusal(b, command, app)}", words
    assert app not in ssh(b, "apps:list").stdout.split()
    refused = push(b, make_repo(web_app("from-b")), app)
    assert refused.returncode != 0
    assert refusal(b, "git-receive-pack", app) in refused.stderr
    assert dokku("releases:list", app, "--format", "json").stdout.strip() == "[]"
    # B may not change the list, nor make itself a super user, over SSH.
    for words in (("acl:add", app, b.name), ("acl:set", "--global", "super-user", b.name)):
        result = ssh(b, *words)
        assert result.returncode == 1, words
        assert "access lists are changed by a super user" in result.stderr
    assert dokku("acl:list", app).stdout == f"{a.name}\n"
    # Host-wide commands need a super user once lists are in use: A (listed) is refused.
    assert "does not have permissions to run ssh-keys:list" in ssh(a, "ssh-keys:list").stderr

    dokku("acl:set", "--global", "super-user", b.name)
    assert ssh(b, "config:get", app, "FROM_A").stdout == "1\n"
    assert app in ssh(b, "apps:list").stdout.split()
    assert a.name in ssh(b, "ssh-keys:list").stdout
    assert ssh(b, "acl:list", app).stdout == f"{a.name}\n"
    deployed = push(b, make_repo(web_app("from-b")), app)
    assert deployed.returncode == 0, deployed.stderr[-2000:]
    # A stays on its list; an app with an empty list is now the super user's only.
    assert ssh(a, "ps:report", app, "--ps-running").stdout.strip() == "true"
    other = app_name()
    created = ssh(a, "apps:create", other)
    assert created.returncode == 1
    assert refusal(a, "apps:create", other) in created.stderr
    assert run_dokku("apps:exists", other, check=False).returncode != 0
