"""ps:set properties, ps:restart arguments and --parallel (no daemon needed)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Dokku


def test_every_dokku_property_is_settable(dokku: Dokku, app: str) -> None:
    dokku.ok("ps:set", app, "skip-deploy", "true")
    dokku.ok("ps:set", app, "start-cmd", "bin/start --fast")
    dokku.ok("ps:set", app, "dockerfile-start-cmd", "--harmony server.js")
    dokku.ok("ps:set", app, "procfile-path", ".dokku/Procfile")
    dokku.ok("ps:set", "--global", "stop-timeout-seconds", "60")
    data = json.loads(dokku.ok("ps:report", app, "--format", "json").stdout)
    assert data["computed-skip-deploy"] == "true"
    assert data["start-cmd"] == "bin/start --fast"
    assert data["computed-dockerfile-start-cmd"] == "--harmony server.js"
    assert data["computed-procfile-path"] == ".dokku/Procfile"
    assert data["computed-stop-timeout-seconds"] == "60"
    assert data["computed-restart-policy"] == "on-failure:10"
    assert data["computed-restore"] == "true"
    assert "global-start-cmd" not in data


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("myapp", "procfile-path", "/etc/Procfile"), "relative path inside the app's source"),
        (("myapp", "procfile-path", "../Procfile"), "must not contain '..'"),
        (("myapp", "skip-deploy", "yes"), "expected true or false"),
        (("myapp", "dockerfile-start-cmd", "'open"), "cannot split it into words"),
        (("--global", "restore", "false"), "cannot be set with --global"),
        (("--global", "start-cmd", "x"), "cannot be set with --global"),
        (("myapp", "restart-policy", "sometimes"), "expected no, always"),
    ],
)
def test_bad_values_are_refused(
    dokku: Dokku, app: str, args: tuple[str, ...], message: str
) -> None:
    before = dokku.ok("ps:report", app, "--format", "json").stdout
    result = dokku("ps:set", *args)
    assert result.rc == 1
    assert message in result.stderr
    assert dokku.ok("ps:report", app, "--format", "json").stdout == before


def test_restart_argument_errors(dokku: Dokku, app: str) -> None:
    both = dokku("ps:restart", "--all", "web")
    assert both.rc != 0
    assert "A process type cannot be given with --all" in both.stderr
    undeployed = dokku("ps:restart", app, "web")
    assert undeployed.rc == 1
    assert "App myapp has not been deployed" in undeployed.stderr
    bad = dokku("ps:stop", "--all", "--parallel", "-2")
    assert "--parallel must be -1" in bad.stderr


def test_build_config_all_in_parallel(dokku: Dokku) -> None:
    for name in ("one", "two", "three"):
        dokku.ok("apps:create", name)
        dokku.ok("domains:add", name, f"{name}.example.com")
    result = dokku.ok("proxy:build-config", "--all", "--parallel", "2")
    for name in ("one", "two", "three"):
        assert f"-----> Configuring {name}.example.com..." in result.stdout
    dokku.ok("proxy:set", "two", "type", "caddy")
    failed = dokku("proxy:build-config", "--all", "--parallel", "-1")
    assert failed.rc == 1
    assert "Unknown proxy 'caddy'" in failed.stderr
    assert "Failed for 1 of 3 apps: proxy:build-config two" in failed.stderr
