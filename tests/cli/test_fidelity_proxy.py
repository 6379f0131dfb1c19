"""proxy:set proxy-port|proxy-ssl-port as Dokku 0.38 stores, reports and applies them.

From Dokku's plugins/proxy (proxy.go DefaultProperties/GlobalProperties, report.go)
and plugins/ports/functions.go (getDetectedPortMaps: the default `http:PORT:5000`
and the `https:SSL-PORT:P` mapping a certificate adds).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_certs import write_pair
from tests.cli.test_domains import IsolatedDokku
from tests.conftest import Dokku
from tests.tls_helpers import make_leaf


@pytest.fixture
def dokku(tmp_path: Path) -> Dokku:
    """A `dokku` runner on temp roots, with nginx pointed nowhere."""
    return IsolatedDokku(tmp_path)


def detected(dokku: Dokku, app: str) -> str:
    return dokku.ok("ports:report", app, "--ports-map-detected").stdout


@pytest.mark.parametrize(
    ("settings", "with_cert", "expected"),
    [
        ([], False, "http:80:5000\n"),
        ([("myapp", "proxy-port", "8080")], False, "http:8080:5000\n"),
        ([("--global", "proxy-port", "8081")], False, "http:8081:5000\n"),
        (
            [("--global", "proxy-port", "8081"), ("myapp", "proxy-port", "8082")],
            False,
            "http:8082:5000\n",
        ),
        ([], True, "http:80:5000 https:443:5000\n"),
        ([("myapp", "proxy-ssl-port", "8443")], True, "http:80:5000 https:8443:5000\n"),
        ([("--global", "proxy-ssl-port", "9443")], True, "http:80:5000 https:9443:5000\n"),
        # Dokku adds HTTPS next to an http:80 mapping only.
        ([("myapp", "proxy-port", "8080")], True, "http:8080:5000\n"),
    ],
)
def test_ports_follow_proxy_ports(
    dokku: Dokku,
    app: str,
    tmp_path: Path,
    settings: list[tuple[str, str, str]],
    with_cert: bool,
    expected: str,
) -> None:
    for target, key, value in settings:
        assert (
            dokku.ok("proxy:set", target, key, value).stdout == f"-----> Setting {key} to {value}\n"
        )
    if with_cert:
        dokku.ok("certs:add", app, *write_pair(tmp_path, make_leaf(["myapp.example.com"])))
    assert detected(dokku, app) == expected


@pytest.mark.parametrize(
    ("flag", "value"),
    [
        ("--proxy-proxy-port", "8080"),
        ("--proxy-computed-proxy-port", "8080"),
        ("--proxy-global-proxy-port", ""),
        ("--proxy-proxy-ssl-port", ""),
        ("--proxy-global-proxy-ssl-port", "8443"),
        ("--proxy-computed-proxy-ssl-port", "8443"),
    ],
)
def test_report_flags(dokku: Dokku, app: str, flag: str, value: str) -> None:
    dokku.ok("proxy:set", app, "proxy-port", "8080")
    dokku.ok("proxy:set", "--global", "proxy-ssl-port", "8443")
    assert dokku.ok("proxy:report", app, flag).stdout == (value + "\n" if value else "")


def test_report_json_and_unset(dokku: Dokku, app: str) -> None:
    dokku.ok("proxy:set", app, "proxy-port", "8080")
    data = json.loads(dokku.ok("proxy:report", app, "--format", "json").stdout)
    assert (data["proxy-port"], data["global-proxy-port"], data["computed-proxy-port"]) == (
        "8080",
        "",
        "8080",
    )
    assert dokku.ok("proxy:set", app, "proxy-port").stdout == "-----> Unsetting proxy-port\n"
    assert detected(dokku, app) == "http:80:5000\n"


@pytest.mark.parametrize("value", ["0", "65536", "80;", "eighty", "-1", "8080 443"])
@pytest.mark.parametrize("key", ["proxy-port", "proxy-ssl-port"])
def test_bad_ports_are_refused_and_change_nothing(
    dokku: Dokku, app: str, key: str, value: str
) -> None:
    before = dokku.ok("proxy:report", app, "--format", "json").stdout
    result = dokku("proxy:set", app, key, value)
    assert (result.rc, result.stderr) == (
        1,
        f" !     Invalid value for {key}: expected a port from 1 to 65535\n",
    )
    assert dokku.ok("proxy:report", app, "--format", "json").stdout == before
