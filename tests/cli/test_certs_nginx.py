"""TLS configs judged by the real nginx binary (`nginx -t -c TEMP`), no daemon needed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_proxy_nginx import NGINX, RealNginxDokku
from tests.conftest import Dokku
from tests.tls_helpers import make_leaf

pytestmark = pytest.mark.integration


@pytest.fixture
def dokku(tmp_path: Path) -> RealNginxDokku:
    """A runner with real nginx (`nginx -t` only), dokku.conf installed, logs in the temp dir."""
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed")
    runner = RealNginxDokku(tmp_path)
    runner.run_python("from pydokku.plugins.nginx.install import install_host_config as i; i()")
    runner.ok("nginx:set", "--global", "access-log-path", str(tmp_path / "access.log"))
    runner.ok("nginx:set", "--global", "error-log-path", str(tmp_path / "error.log"))
    return runner


def add_cert(dokku: Dokku, app: str, base: Path, *names: str) -> None:
    leaf = make_leaf(list(names))
    crt, key = base / f"{app}.crt", base / f"{app}.key"
    crt.write_bytes(leaf.cert_pem)
    key.write_bytes(leaf.key_pem)
    dokku.ok("certs:add", app, str(crt), str(key))


def test_https_configs_of_several_apps_pass_nginx_t(dokku: Dokku, tmp_path: Path) -> None:
    for app in ("one", "two"):
        dokku.ok("apps:create", app)
        dokku.ok("domains:add", app, f"{app}.example.com")
        dokku.ok("proxy:build-config", app)
        add_cert(dokku, app, tmp_path, f"{app}.example.com")
    dokku.ok("nginx:set", "two", "hsts-preload", "true")
    result = dokku.ok("proxy:build-config", "two")
    assert "nginx config is valid" in result.stdout
    config = dokku.ok("nginx:show-config", "two").stdout
    assert "listen 443 ssl http2;" in config
    assert "preload" in config
    dokku.ok("nginx:validate-config")


def test_grpcs_and_the_challenge_include_pass_nginx_t(dokku: Dokku, tmp_path: Path) -> None:
    dokku.ok("apps:create", "web")
    dokku.ok("domains:add", "web", "web.example.com")
    dokku.ok("ports:set", "web", "http:80:5000", "grpcs:50443:50051")
    add_cert(dokku, "web", tmp_path, "web.example.com")
    dokku.ok("proxy:build-config", "web")
    dokku.run_python(
        "from pydokku.plugins.letsencrypt import challenge as c\n"
        "from pydokku.plugins.nginx import control\n"
        "control.apply(c.include_path('web'), c.include_text('web'), 'include')\n"
    )
    assert (dokku.root / "web" / "nginx.conf.d" / "letsencrypt.conf").exists()
    dokku.ok("nginx:validate-config")


def test_a_refused_certificate_leaves_nginx_valid(dokku: Dokku, tmp_path: Path) -> None:
    for app in ("good", "bad"):
        dokku.ok("apps:create", app)
        dokku.ok("domains:add", app, f"{app}.example.com")
        dokku.ok("proxy:build-config", app)
    add_cert(dokku, "good", tmp_path, "good.example.com")
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("nope\n")
    result = dokku("certs:add", "bad", str(garbage), str(garbage))
    assert result.rc == 1
    assert not (dokku.root / "bad" / "tls").exists()
    dokku.ok("nginx:validate-config")
    dokku.ok("certs:remove", "good")
    dokku.ok("nginx:validate-config")
    assert "ssl" not in dokku.ok("nginx:show-config", "good").stdout
