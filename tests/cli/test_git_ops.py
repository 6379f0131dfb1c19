"""git:sync (without --build), git:status, git:auth, deploy keys, and plugin:* refusals."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Dokku

GIT_ID = ["-c", "user.name=t", "-c", "user.email=t@example.com"]


def commit(repo: Path, name: str, text: str, message: str) -> str:
    (repo / name).write_text(text)
    subprocess.run(["git", "-C", str(repo), "add", name], check=True)
    subprocess.run(["git", "-C", str(repo), *GIT_ID, "commit", "-qm", message], check=True)
    out = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True)
    return out.stdout.decode().strip()


@pytest.fixture
def source(tmp_path: Path) -> Path:
    repo = tmp_path / "source"
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    commit(repo, "a.txt", "one\n", "one")
    subprocess.run(["git", "-C", str(repo), "tag", "v1"], check=True)
    return repo


def head(dokku: Dokku, app: str, branch: str) -> str:
    out = subprocess.run(
        ["git", f"--git-dir={dokku.root / app}", "rev-parse", f"refs/heads/{branch}"],
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def test_sync_clones_then_fetches_and_follows_refs(dokku: Dokku, app: str, source: Path) -> None:
    first = dokku.ok("git:sync", app, str(source))
    assert "Detected branch, setting deploy-branch to main" in first.stdout
    v1 = head(dokku, app, "main")
    assert dokku.ok("git:report", app, "--git-deploy-branch").stdout.strip() == "main"
    second = commit(source, "a.txt", "two\n", "two")
    dokku.ok("git:sync", app, f"file://{source}")
    assert head(dokku, app, "main") == second
    status = dokku.ok("git:status", app).stdout
    assert f"Last commit {second}" in status
    dokku.ok("git:sync", app, str(source), "v1")
    assert head(dokku, app, "main") == v1
    refs = subprocess.run(
        ["git", f"--git-dir={dokku.root / app}", "for-each-ref", "--format=%(refname)"],
        capture_output=True,
        text=True,
    ).stdout.split()
    assert refs == ["refs/heads/main"]  # the fetched namespace is gone


def test_sync_bad_input_changes_nothing(dokku: Dokku, app: str, source: Path) -> None:
    dokku.ok("git:sync", app, str(source))
    before = head(dokku, app, "main")
    for args, message in [
        ((app, str(source), "no-such-ref"), "no-such-ref is not a branch, tag or commit"),
        ((app, "ext::sh -c id"), "Invalid repository URL"),
        ((app, "ext::sh"), "Unsupported repository URL"),
        ((app, "ftp://example.com/x"), "Unsupported repository URL"),
        ((app, str(source), "--", "-x"), "Invalid git ref"),
        (("nope", str(source)), "App nope does not exist"),
        ((app, str(source), "a..b"), "Invalid git ref"),
        (("--build", "--build-if-changes", app, str(source)), "not both"),
    ]:
        result = dokku("git:sync", *args)
        assert result.rc != 0, args
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert head(dokku, app, "main") == before
    over_ssh = dokku("git:sync", app, str(source), env={"SSH_ORIGINAL_COMMAND": "git:sync"})
    assert over_ssh.rc == 1
    assert "cannot be synced over SSH" in over_ssh.stderr


def test_netrc_auth(dokku: Dokku) -> None:
    netrc = dokku.root / ".netrc"
    dokku.ok("git:auth", "github.com", "bob", "s3cret")
    dokku.ok("git:auth", "gitlab.com", "ann", stdin="from-stdin\n")
    assert oct(netrc.stat().st_mode & 0o777) == "0o600"
    assert netrc.read_text() == (
        "machine github.com login bob password s3cret\n"
        "machine gitlab.com login ann password from-stdin\n"
    )
    assert dokku("git:auth-status", "github.com", "bob", "s3cret").rc == 0
    assert dokku("git:auth-status", "github.com", "bob", "wrong").rc == 1
    bad = dokku("git:auth", "github.com", "bob", "two words")
    assert bad.rc == 1
    assert bad.stdout == ""
    assert "Invalid password" in bad.stderr
    dokku.ok("git:auth", "github.com")
    assert netrc.read_text() == "machine gitlab.com login ann password from-stdin\n"
    assert dokku("git:auth-status", "github.com").rc == 0


def test_deploy_key(dokku: Dokku) -> None:
    missing = dokku("git:public-key")
    assert missing.rc == 1
    assert "git:generate-deploy-key" in missing.stderr
    dokku.ok("git:generate-deploy-key")
    key = dokku.ok("git:public-key").stdout.strip()
    assert key.startswith("ssh-ed25519 ")
    again = dokku.ok("git:generate-deploy-key")
    assert "already exists" in again.stderr
    assert dokku.ok("git:public-key").stdout.strip() == key
    assert oct((dokku.root / ".ssh" / "id_ed25519").stat().st_mode & 0o777) == "0o600"


def test_allow_host_refuses_option_like_hosts(dokku: Dokku) -> None:
    result = dokku("git:allow-host", "-oProxyCommand=touch")
    assert result.rc != 0
    assert not (dokku.root / ".ssh" / "known_hosts").exists()


def test_from_image_refuses_bad_authors_and_remote_build_dirs(dokku: Dokku, app: str) -> None:
    bad = dokku("git:from-image", app, "img:1", "Ann")
    assert bad.rc == 1
    assert "Invalid git email" in bad.stderr
    remote = dokku(
        "git:from-image", "--build-dir", "/etc", app, "img:1", env={"SSH_ORIGINAL_COMMAND": "x"}
    )
    assert remote.rc == 1
    assert "refused over SSH" in remote.stderr
    relative = dokku("git:from-image", "--build-dir", "etc", app, "img:1")
    assert "not an absolute directory" in relative.stderr


@pytest.mark.parametrize(
    "command",
    [
        ("plugin:install", "pydokku-foo"),
        ("plugin:uninstall", "foo"),
        ("plugin:update",),
        ("plugin:trigger", "install"),
        ("plugin:disable", "foo"),
    ],
)
def test_plugin_changes_need_root_not_ssh(dokku: Dokku, command: tuple[str, ...]) -> None:
    result = dokku(env={"SSH_ORIGINAL_COMMAND": " ".join(command)})
    assert result.rc == 1
    assert result.stderr.strip() == f"!     {command[0]} must be run as root on the server"


def test_plugin_trigger_runs_a_hook(dokku: Dokku, app: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("plugin:trigger needs root")
    out = dokku.ok("plugin:trigger", "schedulers").stdout
    assert "docker-local" in out
    report = dokku.ok("plugin:trigger", "report", app).stdout
    assert f"=====> {app} git information" in report
    bad = dokku("plugin:trigger", "post-deploy", app)
    assert bad.rc == 1
    assert "cannot be triggered" in bad.stderr


def test_image_deploys_are_recorded_as_commits(
    dokku: Dokku, app: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pydokku import state
    from pydokku.plugins.git.commit import commit_files

    monkeypatch.setenv("DOKKU_ROOT", str(dokku.root))
    monkeypatch.setenv("DOKKU_LIB_ROOT", str(dokku.lib_root))
    state.close_all()
    try:
        files = {"Dockerfile": "FROM img:1\n", "Procfile": "web: run\n", "sub/skip": "x"}
        first = commit_files(app, files, ("Ann", "ann@example.com"), "Deploy image img:1")
        second = commit_files(app, {"Dockerfile": "FROM img:2\n"}, ("Dokku", "a@b"), "again")
    finally:
        state.close_all()
    git_dir = f"--git-dir={dokku.root / app}"

    def git(*args: str) -> str:
        return subprocess.run(["git", git_dir, *args], capture_output=True, text=True).stdout

    assert git("rev-parse", "refs/heads/master").strip() == second
    assert git("log", "--format=%an <%ae>|%s|%P", first, "-1").strip() == (
        "Ann <ann@example.com>|Deploy image img:1|"
    )
    assert git("log", "--format=%P", second, "-1").strip() == first
    assert git("ls-tree", "--name-only", first).split() == ["Dockerfile", "Procfile"]
    assert git("show", f"{second}:Dockerfile") == "FROM img:2\n"
