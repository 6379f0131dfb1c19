"""git:initialize, git:set and git:report, the repo's life with the app, and SSH refusals."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Dokku, Result


def over_ssh(dokku: Dokku, command: str) -> Result:
    return dokku(env={"SSH_ORIGINAL_COMMAND": command})


def hook_text(dokku: Dokku, app: str) -> str:
    return (dokku.root / app / "hooks" / "pre-receive").read_text()


def test_a_new_app_gets_a_bare_repo_with_the_hook(dokku: Dokku, app: str) -> None:
    assert (dokku.root / app / "HEAD").is_file()
    assert hook_text(dokku, app).endswith(f" git-hook {app}\n")
    assert f"export DOKKU_ROOT={dokku.root}\n" in hook_text(dokku, app)


def test_initialize_rewrites_the_hook(dokku: Dokku, app: str) -> None:
    (dokku.root / app / "hooks" / "pre-receive").write_text("#!/bin/sh\n")
    result = dokku.ok("git:initialize", app)
    assert result.stdout == f"-----> Initializing git repository for {app}\n"
    assert hook_text(dokku, app).endswith(f" git-hook {app}\n")
    result = dokku("git:initialize", "nope")
    assert (result.rc, result.stderr) == (1, " !     App nope does not exist\n")


@pytest.mark.integration  # destroy/rename ask the Docker engine for the app's containers
def test_rename_and_clone_rewrite_the_hook(dokku: Dokku, app: str) -> None:
    dokku.ok("apps:rename", app, "renamed")
    assert hook_text(dokku, "renamed").endswith(" git-hook renamed\n")
    dokku.ok("apps:clone", "renamed", "copy")
    assert hook_text(dokku, "copy").endswith(" git-hook copy\n")


def test_report_defaults(dokku: Dokku, app: str) -> None:
    data = json.loads(dokku.ok("git:report", app, "--format", "json").stdout)
    assert data == {
        "sha": "",
        "last-updated-at": "",
        "deploy-branch": "",
        "global-deploy-branch": "",
        "computed-deploy-branch": "master",
        "keep-git-dir": "",
        "global-keep-git-dir": "",
        "computed-keep-git-dir": "false",
        "rev-env-var": "",
        "global-rev-env-var": "",
        "computed-rev-env-var": "GIT_REV",
        "archive-max-size": "",
        "global-archive-max-size": "",
        "computed-archive-max-size": "1073741824",
        "archive-max-files": "",
        "global-archive-max-files": "",
        "computed-archive-max-files": "10000",
        "source-image": "",
    }
    assert "=====> myapp git information" in dokku.ok("git:report").stdout
    assert dokku.ok("git:report", app, "--git-computed-deploy-branch").stdout == "master\n"


def test_set_app_and_global_values(dokku: Dokku, app: str) -> None:
    dokku.ok("git:set", "--global", "deploy-branch", "main")
    assert dokku.ok("git:report", app, "--git-computed-deploy-branch").stdout == "main\n"
    result = dokku.ok("git:set", app, "deploy-branch", "release/v2")
    assert result.stdout == "-----> Setting deploy-branch to release/v2\n"
    assert dokku.ok("git:report", app, "--git-computed-deploy-branch").stdout == "release/v2\n"
    dokku.ok("git:set", app, "keep-git-dir", "true")
    dokku.ok("git:set", app, "rev-env-var", "SOURCE_REV")
    data = json.loads(dokku.ok("git:report", app, "--format", "json").stdout)
    assert (data["computed-keep-git-dir"], data["computed-rev-env-var"]) == ("true", "SOURCE_REV")
    dokku.ok("git:set", app, "deploy-branch")
    assert dokku.ok("git:report", app, "--git-computed-deploy-branch").stdout == "main\n"
    global_data = json.loads(dokku.ok("git:report", "--global", "--format", "json").stdout)
    assert global_data["global-deploy-branch"] == "main"
    assert "sha" not in global_data


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("deploy-branch", "a..b", "a branch name must not contain '..'"),
        ("deploy-branch", "-x", "Unrecognized arguments: -x"),
        ("deploy-branch", "a b", "must not contain spaces"),
        ("keep-git-dir", "yes", "expected true or false"),
        ("rev-env-var", "MY-REV", "expected a name like GIT_REV"),
        ("source-image", "x y", "expected an image reference"),
    ],
)
def test_set_refuses_bad_values(dokku: Dokku, app: str, key: str, value: str, message: str) -> None:
    result = dokku("git:set", app, key, value)
    assert result.rc == 1
    assert message in result.stderr
    data = json.loads(dokku.ok("git:report", app, "--format", "json").stdout)
    assert data["computed-deploy-branch"] == "master"
    assert data["computed-keep-git-dir"] == "false"


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("bash -c id", "`bash` is not a dokku command."),
        ("scp -t /tmp", "`scp` is not a dokku command."),
        ("git-receive-pack '../etc'", "App name must begin with a lowercase"),
        ("git-receive-pack '/etc/passwd'", "App name must begin with a lowercase"),
        ("git-upload-pack 'nope'", "App nope does not exist"),
        ("git-upload-archive '/nope.git'", "App nope does not exist"),
        ("git-hook myapp", "git-hook runs from an app's pre-receive hook, not over SSH"),
        ("git-shell -c 'git-receive-pack myapp'", "`git-shell` is not a dokku command."),
    ],
)
def test_ssh_commands_that_are_refused(dokku: Dokku, app: str, command: str, message: str) -> None:
    result = over_ssh(dokku, command)
    assert result.rc == 1
    assert result.stdout == ""
    assert message in result.stderr
    assert sorted(p.name for p in dokku.root.iterdir()) == [app]


def test_hidden_entry_points_are_not_in_namespace_help(dokku: Dokku) -> None:
    text = dokku.ok("git:help").stdout
    assert "git:report" in text
    assert "git:set" in text
    assert "git-hook" not in text
