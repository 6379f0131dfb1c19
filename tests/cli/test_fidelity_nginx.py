"""nginx properties as Dokku 0.38 names, defaults and reports them.

Rows come from Dokku's plugins/nginx-vhosts: `subcommands/set` (VALID_KEYS),
`nginx_vhosts.go` (the Computed* defaults) and `report.go` (report keys).
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import Dokku

# Dokku's computed default of each property this file pins.
DEFAULTS = [
    ("client-body-timeout", "60s"),
    ("client-header-timeout", "60s"),
    ("lingering-timeout", "5s"),
    ("send-timeout", "60s"),
    ("proxy-keepalive", ""),
    ("disable-custom-config", "false"),
    ("nginx-conf-sigil-path", "nginx.conf.sigil"),
]


def line(value: str) -> str:
    """A single report flag prints the bare value and a newline (nothing when empty)."""
    return value + "\n" if value else ""


@pytest.mark.parametrize(("key", "default"), DEFAULTS)
def test_computed_defaults(dokku: Dokku, app: str, key: str, default: str) -> None:
    assert dokku.ok("nginx:report", app, f"--nginx-computed-{key}").stdout == line(default)
    report = json.loads(dokku.ok("nginx:report", app, "--format", "json").stdout)
    assert (report[key], report[f"global-{key}"], report[f"computed-{key}"]) == ("", "", default)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("client-body-timeout", "30s"),
        ("client-header-timeout", "2m"),
        ("lingering-timeout", "10s"),
        ("send-timeout", "90s"),
        ("proxy-keepalive", "64"),
        ("disable-custom-config", "true"),
        ("nginx-conf-sigil-path", "deploy/nginx.conf.sigil"),
    ],
)
def test_set_app_over_global(dokku: Dokku, app: str, key: str, value: str) -> None:
    dokku.ok("nginx:set", "--global", key, value)
    assert dokku.ok("nginx:report", app, f"--nginx-computed-{key}").stdout == value + "\n"
    assert dokku.ok("nginx:report", "--global", f"--nginx-global-{key}").stdout == value + "\n"
    out = dokku.ok("nginx:set", app, key, value)
    assert out.stdout == f"-----> Setting {key} to {value}\n"
    dokku.ok("nginx:set", app, key)  # no value: unset, back to the global one
    assert dokku.ok("nginx:report", app, f"--nginx-{key}").stdout == ""


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        ("client-body-timeout", "60s;", "expected a duration such as 60s or 2m"),
        ("client-header-timeout", "soon", "expected a duration such as 60s or 2m"),
        ("lingering-timeout", "5 s", "expected a duration such as 60s or 2m"),
        ("send-timeout", "-1", "expected a duration such as 60s or 2m"),
        ("proxy-keepalive", "0", "expected a number of connections from 1 to 100000"),
        ("proxy-keepalive", "32;", "expected a number of connections from 1 to 100000"),
        ("disable-custom-config", "yes", "expected true or false"),
        ("nginx-conf-sigil-path", "../nginx.conf.sigil", "must not contain '..'"),
        ("nginx-conf-sigil-path", "/etc/nginx/nginx.conf", "must be a relative path"),
    ],
)
def test_bad_values_are_refused_and_change_nothing(
    dokku: Dokku, app: str, key: str, value: str, problem: str
) -> None:
    before = dokku.ok("nginx:report", app, "--format", "json").stdout
    result = dokku("nginx:set", app, key, value)
    assert result.rc == 1
    assert result.stderr.startswith(f" !     Invalid value for {key}: {problem}")
    assert len(result.stderr.splitlines()) == 1
    assert dokku.ok("nginx:report", app, "--format", "json").stdout == before
