"""proxy:* and nginx:* commands without a real nginx: files, properties, reports, refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_domains import IsolatedDokku
from tests.conftest import Dokku
from tests.report_json import short_keys


@pytest.fixture
def dokku(tmp_path: Path) -> Dokku:
    """A `dokku` runner on temp roots, with nginx pointed nowhere."""
    return IsolatedDokku(tmp_path)


def config_of(dokku: Dokku, app: str) -> Path:
    return dokku.root / app / "nginx.conf"


def test_report_defaults(dokku: Dokku, app: str) -> None:
    data = short_keys(json.loads(dokku.ok("proxy:report", app, "--format", "json").stdout), "proxy")
    assert data == {
        "enabled": "true",
        **{
            f"{kind}proxy-{port}": ""
            for port in ("port", "ssl-port")
            for kind in ("", "global-", "computed-")
        },
        "type": "",
        "global-type": "",
        "computed-type": "nginx",
    }


def test_set_type(dokku: Dokku, app: str) -> None:
    dokku.ok("proxy:set", "--global", "type", "caddy")
    assert dokku.ok("proxy:report", app, "--proxy-computed-type").stdout == "caddy\n"
    dokku.ok("proxy:set", app, "type", "nginx")
    assert dokku.ok("proxy:report", app, "--proxy-computed-type").stdout == "nginx\n"
    result = dokku("proxy:set", app, "type", "nginx;rm")
    assert result.rc == 1
    assert "Invalid value for type" in result.stderr


def test_unknown_proxy_type_is_reported(dokku: Dokku, app: str) -> None:
    dokku.ok("proxy:set", app, "type", "caddy")
    result = dokku("proxy:build-config", app)
    assert result.rc == 1
    assert "Unknown proxy 'caddy'; available: nginx" in result.stderr


def test_build_config_of_an_undeployed_app_answers_502(dokku: Dokku, app: str) -> None:
    dokku.ok("domains:add", app, "web.example.com")
    result = dokku.ok("proxy:build-config", app)
    assert "-----> Configuring web.example.com..." in result.stdout
    assert "nginx is not installed" in result.stderr
    assert "neither validated nor loaded" in result.stderr
    text = config_of(dokku, app).read_text()
    assert "server_name web.example.com;" in text
    assert 'return 502 "myapp is not running\\n";' in text
    assert dokku.ok("nginx:show-config", app).stdout == text.rstrip("\n") + "\n"


def test_disable_removes_the_config_and_build_respects_it(dokku: Dokku, app: str) -> None:
    dokku.ok("proxy:build-config", app)
    assert config_of(dokku, app).exists()
    dokku.ok("proxy:disable", app)
    assert not config_of(dokku, app).exists()
    assert dokku.ok("proxy:report", app, "--proxy-enabled").stdout == "false\n"
    result = dokku.ok("proxy:build-config", app)
    assert "Proxy is disabled" in result.stdout
    assert not config_of(dokku, app).exists()
    dokku.ok("proxy:enable", app)
    assert dokku.ok("proxy:report", app, "--proxy-enabled").stdout == "true\n"


def test_all_apps_and_clear_config(dokku: Dokku) -> None:
    dokku.ok("apps:create", "one")
    dokku.ok("apps:create", "two")
    dokku.ok("proxy:build-config", "--all")
    assert config_of(dokku, "one").exists()
    assert config_of(dokku, "two").exists()
    dokku.ok("proxy:clear-config", "two")
    assert not config_of(dokku, "two").exists()
    dokku.ok("proxy:clear-config", "--all")
    assert not config_of(dokku, "one").exists()
    assert dokku("proxy:build-config").rc == 1
    assert dokku("proxy:build-config", "one", "--all").rc == 1


def test_show_config_without_one(dokku: Dokku, app: str) -> None:
    result = dokku("nginx:show-config", app)
    assert result.rc == 1
    assert "No nginx.conf exists for myapp" in result.stderr


def test_nginx_set_applies_at_next_build(dokku: Dokku, app: str) -> None:
    dokku.ok("nginx:set", app, "client-max-body-size", "50m")
    dokku.ok("nginx:set", "--global", "proxy-read-timeout", "5m")
    assert dokku.ok("nginx:report", app, "--nginx-computed-client-max-body-size").stdout == "50m\n"
    assert dokku.ok("nginx:report", app, "--nginx-global-proxy-read-timeout").stdout == "5m\n"
    access = dokku.ok("nginx:report", app, "--nginx-computed-access-log-path").stdout
    assert access == "/var/log/nginx/myapp-access.log\n"
    dokku.ok("proxy:build-config", app)
    text = config_of(dokku, app).read_text()
    assert "client_max_body_size 50m;" in text
    dokku.ok("nginx:set", app, "client-max-body-size")
    dokku.ok("proxy:build-config", app)
    assert "client_max_body_size 1m;" in config_of(dokku, app).read_text()


def test_nginx_set_refuses_injection(dokku: Dokku, app: str) -> None:
    result = dokku("nginx:set", app, "client-max-body-size", "1m; include /etc/passwd")
    assert result.rc == 1
    assert "Invalid value for client-max-body-size" in result.stderr
    result = dokku("nginx:set", app, "nope", "1")
    assert result.rc == 1
    assert "Invalid property 'nope'" in result.stderr
    data = json.loads(dokku.ok("nginx:report", app, "--format", "json").stdout)
    assert data["client-max-body-size"] == ""


def test_validate_without_nginx_says_so(dokku: Dokku) -> None:
    result = dokku("nginx:validate-config")
    assert result.rc == 1
    assert "nginx is not installed" in result.stderr
    assert dokku("nginx:reload").rc == 1
