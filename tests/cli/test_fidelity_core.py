"""Dokku 0.38 behaviour scripts depend on: version, --quiet tables, --app as its client sends it.

Each row pins what Dokku prints or accepts (from Dokku's source: `dokku`, plugins/apps,
plugins/ps/functions.go, plugins/ssh-keys, contrib/dokku_client.sh).
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import Dokku


@pytest.mark.parametrize(
    ("argv", "stdout"),
    [
        # ps:scale's table: `proctype: qty` and names padded to 5 (common.RightPad).
        (
            ["ps:scale", "myapp"],
            "-----> Scaling for myapp\nproctype: qty\n--------: ---\nweb:  1\n",
        ),
        # --quiet drops the step line and the table header, keeping the rows.
        (["--quiet", "ps:scale", "myapp"], "web:  1\n"),
        (["ps:scale", "myapp", "--format", "json"], '[{"process_type": "web", "quantity": 1}]\n'),
        (["--quiet", "apps:list"], "myapp\n"),
        # Dokku's client: `--app APP CMD ...` for every command.
        (["--app", "myapp", "apps:list"], "=====> My Apps\nmyapp\n"),
        (["--app", "myapp", "apps:exists", "myapp"], ""),
        (["--app", "myapp", "config:keys"], "A\n"),
        (["--app", "myapp", "--quiet", "config:get", "A"], "1\n"),
    ],
)
def test_output_as_dokku_prints_it(dokku: Dokku, app: str, argv: list[str], stdout: str) -> None:
    dokku.ok("config:set", "--no-restart", app, "A=1")
    assert dokku.ok(*argv).stdout == stdout


def test_the_client_s_repeated_app_name_creates_one_app(dokku: Dokku) -> None:
    dokku.ok("--app", "fresh", "apps:create", "fresh")
    assert dokku.ok("apps:list", "--format", "json").stdout == '["fresh"]\n'
    dokku.ok("--app", "fresh", "config:set", "--no-restart", "K=v")
    assert dokku.ok("config:get", "fresh", "K").stdout == "v\n"
    dokku.ok("--app", "fresh", "--force", "apps:destroy")
    assert dokku.ok("apps:list", "--format", "json").stdout == "[]\n"


@pytest.mark.parametrize(
    ("report", "short", "legacy"),
    [
        ("proxy:report", "computed-type", "proxy-computed-type"),
        ("ps:report", "computed-restart-policy", "ps-computed-restart-policy"),
        ("ports:report", "map-detected", "ports-map-detected"),
        ("apps:report", "dir", "app-dir"),
    ],
)
def test_report_json_has_dokku_s_legacy_prefixed_keys(
    dokku: Dokku, app: str, report: str, short: str, legacy: str
) -> None:
    data = json.loads(dokku.ok(report, app, "--format", "json").stdout)
    assert data[legacy] == data[short]


@pytest.mark.parametrize("report", ["domains:report", "nginx:report", "git:report"])
def test_reports_dokku_keeps_short_have_no_prefixed_keys(
    dokku: Dokku, app: str, report: str
) -> None:
    prefix = report.split(":")[0] + "-"
    data = json.loads(dokku.ok(report, app, "--format", "json").stdout)
    assert data
    # A prefixed copy of a short key; nginx-conf-sigil-path is Dokku's own key name.
    assert not [k for k in data if k.startswith(prefix) and k.removeprefix(prefix) in data]


@pytest.mark.parametrize(
    ("report", "prefix"), [("ps:report", "ps"), ("proxy:report", "proxy"), ("apps:report", "app")]
)
def test_global_reports_hold_only_global_keys(dokku: Dokku, report: str, prefix: str) -> None:
    data = json.loads(dokku.ok(report, "--global", "--format", "json").stdout)
    short = {k for k in data if not k.startswith(f"{prefix}-")}
    assert short
    assert all(k.startswith(("global-", "computed-")) for k in short), data


def test_quiet_reports_drop_the_header_only(dokku: Dokku, app: str) -> None:
    loud = dokku.ok("checks:report", app).lines
    quiet = dokku.ok("--quiet", "checks:report", app).lines
    assert loud[0] == "=====> myapp checks information"
    assert quiet == loud[1:]
    assert quiet[0].split(":", 1)[0].strip() == "Checks disabled list"


def test_quiet_resource_listing_keeps_its_rows(dokku: Dokku, app: str) -> None:
    dokku.ok("resource:limit", "--memory", "256", app)
    lines = dokku.ok("--quiet", "resource:limit", app).lines
    assert [line.split(":")[0].strip() for line in lines][:2] == ["cpu", "memory"]
    assert lines[1].split() == ["memory:", "256"]
