"""certs as Dokku 0.38: hostnames (CN and SANs, sorted), expired certificates accepted with
a warning, and `https:443:PORT` joining the configured port map (plugins/certs/report.go
sslHostnames; plugins/ports TriggerPostCertsUpdate / TriggerPostCertsRemove).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_certs import write_pair
from tests.cli.test_domains import IsolatedDokku
from tests.conftest import Dokku
from tests.tls_helpers import expired, make_leaf


@pytest.fixture
def dokku(tmp_path: Path) -> Dokku:
    """A `dokku` runner on temp roots, with nginx pointed nowhere."""
    return IsolatedDokku(tmp_path)


@pytest.mark.parametrize(
    ("names", "hostnames"),
    [
        (["myapp.example.com"], "myapp.example.com"),
        (["www.example.com", "api.example.com"], "api.example.com www.example.com"),
        (["b.example.com", "a.example.com", "b.example.com"], "a.example.com b.example.com"),
        (["z.example.com", "*.example.com"], "*.example.com z.example.com"),
    ],
)
def test_ssl_hostnames_are_cn_and_sans_sorted(
    dokku: Dokku, app: str, tmp_path: Path, names: list[str], hostnames: str
) -> None:
    dokku.ok("certs:add", app, *write_pair(tmp_path, make_leaf(names)))
    assert dokku.ok("certs:report", app, "--ssl-hostnames").stdout == hostnames + "\n"


@pytest.mark.parametrize(
    ("days", "start_days_ago", "warning"),
    [
        (9, 10, " !     The certificate expired on 20"),
        (30, -5, " !     The certificate is not valid before 20"),
    ],
)
def test_expired_or_future_certificates_are_installed_with_a_warning(
    dokku: Dokku, app: str, tmp_path: Path, days: int, start_days_ago: int, warning: str
) -> None:
    leaf = make_leaf(["myapp.example.com"], days=days, start_days_ago=start_days_ago)
    result = dokku.ok("certs:add", app, *write_pair(tmp_path, leaf))
    assert result.stderr.startswith(warning)
    assert dokku.ok("certs:report", app, "--ssl-enabled").stdout == "true\n"


def test_expired_helper_still_expired() -> None:
    assert expired(["x.example.com"]).cert.not_valid_after_utc.year >= 2000


@pytest.mark.parametrize(
    ("configured", "after_add"),
    [
        ([], ""),
        (["http:80:5000"], "http:80:5000 https:443:5000"),
        (["http:80:3000", "http:8080:3000"], "http:80:3000 http:8080:3000 https:443:3000"),
        (["http:8080:5000"], "http:8080:5000"),
        (["http:80:5000", "https:443:5001"], "http:80:5000 https:443:5001"),
    ],
)
def test_certs_add_adds_https_443_to_the_configured_map(
    dokku: Dokku, app: str, tmp_path: Path, configured: list[str], after_add: str
) -> None:
    if configured:
        dokku.ok("ports:set", app, *configured)
    dokku.ok("certs:add", app, *write_pair(tmp_path, make_leaf(["myapp.example.com"])))
    assert dokku.ok("ports:report", app, "--ports-map").stdout == (
        after_add + "\n" if after_add else ""
    )
    dokku.ok("certs:remove", app)
    without = " ".join(m for m in configured if not m.startswith("https:443:"))
    assert dokku.ok("ports:report", app, "--ports-map").stdout == (
        without + "\n" if without else ""
    )
