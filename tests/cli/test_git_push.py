"""`git push` / `git clone` end to end without sshd: a fake ssh runs `dokku` as sshd would.

Docker is pointed at a socket that does not exist, so a push of the deploy branch
always reaches the real deploy and fails there: the push must then be rejected.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Dokku

# git runs `$GIT_SSH [options] HOST COMMAND`; sshd would set SSH_ORIGINAL_COMMAND and run
# the forced command from authorized_keys, which is `dokku` with no arguments.
FAKE_SSH = """#!{python}
import os, sys
os.environ["SSH_ORIGINAL_COMMAND"] = sys.argv[-1]
os.execv(sys.executable, [sys.executable, "-m", "pydokku"])
"""
# The pre-receive hook must run the code under test, not a `dokku` found on PATH.
DOKKU_BIN = """#!{python}
import sys
from pydokku.cli import main
sys.exit(main())
"""
IDENTITY = ["-c", "user.name=Test", "-c", "user.email=test@example.com"]
NO_DOCKER = "unix:///nonexistent/pydokku-test/docker.sock"


class Pusher:
    """A local work repo with `main` and `feature`, and git wired to the fake ssh."""

    def __init__(self, dokku: Dokku, base: Path) -> None:
        self.dokku = dokku
        self.work = base / "work"
        ssh, program = base / "fake-ssh", base / "dokku"
        for path, text in ((ssh, FAKE_SSH), (program, DOKKU_BIN)):
            path.write_text(text.format(python=sys.executable))
            path.chmod(0o755)
        self.env = dokku.env(
            {"GIT_SSH": str(ssh), "GIT_SSH_VARIANT": "simple", "DOKKU_BIN": str(program)}
        )
        self.env["DOCKER_HOST"] = NO_DOCKER
        self.work.mkdir()
        self.git("init", "-q", "-b", "main")
        (self.work / "app.py").write_text("print('hi')\n")
        self.git("add", ".")
        self.git("commit", "-qm", "one")
        self.git("checkout", "-qb", "feature")
        (self.work / "feature.txt").write_text("new\n")
        self.git("add", ".")
        self.git("commit", "-qm", "two")

    def git(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", *IDENTITY, *args],
            cwd=cwd or self.work,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def push(self, app: str, *refspecs: str) -> subprocess.CompletedProcess[str]:
        return self.git("push", f"dokku@dokku.test:{app}", *refspecs)

    def rev(self, ref: str) -> str:
        return self.git("rev-parse", ref).stdout.strip()

    def remote_refs(self, app: str) -> dict[str, str]:
        listed = self.git("for-each-ref", "--format=%(refname) %(objectname)", cwd=self.bare(app))
        return dict(line.split() for line in listed.stdout.splitlines())

    def bare(self, app: str) -> Path:
        return self.dokku.root / app


@pytest.fixture
def pusher(dokku: Dokku, tmp_path: Path) -> Pusher:
    return Pusher(dokku, tmp_path)


def deploy_branch(dokku: Dokku, app: str) -> str:
    return dokku.ok("git:report", app, "--git-deploy-branch").stdout.strip()


def test_a_push_to_another_branch_is_accepted_without_deploying(
    dokku: Dokku, app: str, pusher: Pusher
) -> None:
    dokku.ok("git:set", app, "deploy-branch", "main")
    result = pusher.push(app, "feature")
    assert result.returncode == 0, result.stderr
    assert (
        "remote: -----> Pushed to the non-deploy branch feature; "
        "not deploying (deploy branch: main)"
    ) in result.stderr
    assert f"To deploy feature from now on: dokku git:set {app} deploy-branch feature" in (
        result.stderr
    )
    assert pusher.remote_refs(app) == {"refs/heads/feature": pusher.rev("feature")}
    assert dokku.ok("git:report", app, "--git-sha").stdout == ""


def test_first_push_creates_the_app_and_picks_the_deploy_branch(
    dokku: Dokku, pusher: Pusher
) -> None:
    result = pusher.push("newapp", "main")
    assert "Creating newapp..." in result.stderr
    assert dokku.ok("apps:list", "--format", "json").stdout == '["newapp"]\n'
    assert "remote: -----> Setting the deploy branch of newapp to main" in result.stderr
    assert "Change it with: dokku git:set newapp deploy-branch BRANCH" in result.stderr
    assert deploy_branch(dokku, "newapp") == "main"
    # The deploy itself fails (no Docker here): the pusher sees why and nothing lands.
    assert result.returncode != 0
    assert "remote: -----> Deploying newapp from main at " in result.stderr
    assert "remote:  !     " in result.stderr
    assert "[remote rejected] main -> main (pre-receive hook declined)" in result.stderr
    assert pusher.remote_refs("newapp") == {}
    assert "Traceback" not in result.stderr


def test_master_wins_when_the_first_push_has_it(dokku: Dokku, pusher: Pusher) -> None:
    pusher.git("branch", "master", "main")
    result = pusher.push("newapp", "feature", "master")
    assert result.returncode != 0
    assert deploy_branch(dokku, "newapp") == "master"
    assert pusher.remote_refs("newapp") == {}


def test_the_set_deploy_branch_is_respected(dokku: Dokku, app: str, pusher: Pusher) -> None:
    dokku.ok("git:set", "--global", "deploy-branch", "release")
    result = pusher.push(app, "main", "feature")
    assert result.returncode == 0, result.stderr
    assert "non-deploy branch main; not deploying (deploy branch: release)" in result.stderr
    assert "non-deploy branch feature; not deploying (deploy branch: release)" in result.stderr
    assert deploy_branch(dokku, app) == ""  # the global setting was used, nothing stored
    dokku.ok("git:set", app, "deploy-branch", "feature")
    result = pusher.push(app, "feature:refs/heads/x")
    assert "(deploy branch: feature)" in result.stderr


def test_tags_and_deletions_do_not_deploy(dokku: Dokku, app: str, pusher: Pusher) -> None:
    dokku.ok("git:set", app, "deploy-branch", "other")
    assert pusher.push(app, "main", "feature").returncode == 0
    pusher.git("tag", "v1", "main")
    result = pusher.push(app, "v1")
    assert result.returncode == 0, result.stderr
    assert "remote: -----> Pushed refs/tags/v1; not deploying (deploy branch: other)" in (
        result.stderr
    )
    result = pusher.push(app, ":feature", ":refs/tags/v1")
    assert "remote: -----> Deleted the non-deploy branch feature" in result.stderr
    assert "remote: -----> Deleted refs/tags/v1" in result.stderr
    dokku.ok("git:set", app, "deploy-branch", "main")
    result = pusher.push(app, ":main")
    assert result.returncode == 0, result.stderr
    assert "remote:  !     Deleting the deploy branch main: nothing deployed" in result.stderr
    assert pusher.remote_refs(app) == {}


def test_autocreation_can_be_disabled(dokku: Dokku, pusher: Pusher) -> None:
    dokku.ok("apps:set", "--global", "disable-autocreation", "true")
    result = pusher.push("newapp", "main")
    assert result.returncode != 0
    assert (
        " !     App newapp does not exist and app autocreation is disabled; "
        "create it first with `dokku apps:create newapp`"
    ) in result.stderr
    assert dokku.ok("apps:list", "--format", "json").stdout == "[]\n"
    assert not pusher.bare("newapp").exists()


def test_clone_and_fetch_after_a_push(
    dokku: Dokku, app: str, pusher: Pusher, tmp_path: Path
) -> None:
    dokku.ok("git:set", app, "deploy-branch", "main")
    assert pusher.push(app, "feature").returncode == 0
    clone = pusher.git("clone", "-q", "-b", "feature", f"dokku@dokku.test:{app}", "copy")
    assert clone.returncode == 0, clone.stderr
    copy = pusher.work / "copy"
    assert (copy / "feature.txt").read_text() == "new\n"
    assert pusher.git("rev-parse", "HEAD", cwd=copy).stdout.strip() == pusher.rev("feature")
    listed = pusher.git("ls-remote", f"dokku@dokku.test:{app}")
    assert f"{pusher.rev('feature')}\trefs/heads/feature" in listed.stdout
    result = pusher.git("clone", "-q", "dokku@dokku.test:nope", "other")
    assert result.returncode != 0
    assert " !     App nope does not exist" in result.stderr


def test_bad_repo_paths_are_refused(dokku: Dokku, pusher: Pusher) -> None:
    for path in ("../etc", "/etc/passwd", "Bad_Name"):
        result = pusher.push(path, "main")
        assert result.returncode != 0
        assert " !     App name must " in result.stderr
    assert dokku.ok("apps:list", "--format", "json").stdout == "[]\n"
