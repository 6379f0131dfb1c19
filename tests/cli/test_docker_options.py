"""docker-options:* end to end (state only; tests/integration checks the containers)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Dokku
from tests.report_json import short_keys


def report(dokku: Dokku, app: str) -> dict[str, object]:
    data = json.loads(dokku.ok("docker-options:report", app, "--format", "json").stdout)
    return short_keys(data, "docker-options")


def test_each_phase_gets_only_its_options(dokku: Dokku, app: str) -> None:
    dokku.ok("docker-options:add", app, "deploy", "--label a=b")
    dokku.ok("docker-options:add", app, "build", "--build-arg X=1")
    dokku.ok("docker-options:add", app, "run", "--env Y=2")
    assert report(dokku, app) == {
        "build": "--build-arg X=1",
        "build-list": ["--build-arg X=1"],
        "deploy": "--label a=b",
        "deploy-list": ["--label a=b"],
        "run": "--env Y=2",
        "run-list": ["--env Y=2"],
    }
    listed = dokku.ok("docker-options:list", app, "--phase", "deploy").stdout
    assert listed == "--label a=b\n"


def test_report_text_and_single_flag(dokku: Dokku, app: str) -> None:
    dokku.ok("docker-options:add", app, "deploy,run", "--ulimit nofile=12", "--shm-size 256m")
    text = dokku.ok("docker-options:report", app).stdout
    assert "=====> myapp docker-options information" in text
    assert "Docker options deploy: --shm-size 256m --ulimit nofile=12" in text
    flag = dokku.ok("docker-options:report", app, "--docker-options-run").stdout
    assert flag == "--shm-size 256m --ulimit nofile=12\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("deploy", "--frobnicate 1"), "Unsupported docker option --frobnicate"),
        (("deploy,run", "--restart always"), "Docker option --restart is not allowed"),
        (("build", "-v /a:/b"), "Unsupported docker option -v"),
        (("deploy", "--memory lots"), "Invalid value for docker option --memory"),
        (("deploy", "--name other"), "Docker option --name is not allowed"),
        (("deploy", "'unclosed"), "Unable to parse docker option"),
        (("nowhere", "--init"), "Phase(s) must be one of [build deploy run]"),
        (("deploy",), "Please specify docker options"),
    ],
)
def test_add_refuses_what_cannot_be_applied(
    dokku: Dokku, app: str, args: tuple[str, ...], message: str
) -> None:
    dokku.ok("docker-options:add", app, "deploy", "--init")
    before = report(dokku, app)
    result = dokku("docker-options:add", app, *args)
    assert result.rc == 1
    assert result.stderr.startswith(" !     ")
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert report(dokku, app) == before


def test_add_of_an_unknown_app_fails(dokku: Dokku) -> None:
    result = dokku("docker-options:add", "ghost", "deploy", "--init")
    assert result.rc != 0
    assert "App ghost does not exist" in result.stderr


def test_process_scoped_options(dokku: Dokku, app: str) -> None:
    dokku.ok("docker-options:add", "--process", "web", app, "deploy", "-p 6789:5000")
    dokku.ok("docker-options:add", app, "deploy", "--shm-size 1g", "--process", "worker")
    data = report(dokku, app)
    assert data["deploy"] == ""
    assert data["deploy.web-list"] == ["-p 6789:5000"]
    assert data["deploy.worker"] == "--shm-size 1g"
    assert dokku.ok("docker-options:list", app, "--process", "web", "--phase", "deploy").lines == [
        "-p 6789:5000"
    ]
    refused = dokku("docker-options:add", "--process", "web", app, "build", "--no-cache")
    assert "--process is only supported for the deploy phase" in refused.stderr
    reserved = dokku("docker-options:add", "--process", "_default_", app, "deploy", "--init")
    assert "reserved" in reserved.stderr
    dokku.ok("docker-options:clear", "--process", "worker", app)
    assert "deploy.worker" not in report(dokku, app)


def test_remove_matches_words_not_quoting(dokku: Dokku, app: str) -> None:
    dokku.ok("docker-options:add", app, "deploy", "--label 'com.example.owner=platform team'")
    dokku.ok("docker-options:add", app, "deploy", "--init")
    dokku.ok("docker-options:remove", app, "deploy", '--label "com.example.owner=platform team"')
    assert report(dokku, app)["deploy-list"] == ["--init"]


def test_add_twice_stores_once(dokku: Dokku, app: str) -> None:
    dokku.ok("docker-options:add", app, "deploy", "--init")
    dokku.ok("docker-options:add", app, "deploy", "--init")
    assert report(dokku, app)["deploy-list"] == ["--init"]


def test_clear(dokku: Dokku, app: str) -> None:
    dokku.ok("docker-options:add", app, "build,deploy,run", "--label a=b")
    out = dokku.ok("docker-options:clear", app, "build,run").stdout
    assert out == (
        "-----> Clearing docker-options for myapp on phase build\n"
        "-----> Clearing docker-options for myapp on phase run\n"
    )
    assert report(dokku, app)["deploy-list"] == ["--label a=b"]
    out = dokku.ok("docker-options:clear", app).stdout
    assert out == "-----> Clearing docker-options for myapp on all phases\n"
    assert report(dokku, app)["deploy-list"] == []
    bad = dokku("docker-options:clear", app, "deploy,nope")
    assert bad.rc == 1
    assert "Phase(s) must be one of" in bad.stderr


def test_list_needs_a_valid_phase(dokku: Dokku, app: str) -> None:
    assert "--phase is required" in dokku("docker-options:list", app).stderr
    assert "Phase must be one of" in dokku("docker-options:list", app, "--phase", "x").stderr
