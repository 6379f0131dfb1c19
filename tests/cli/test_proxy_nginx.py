"""nginx:* and proxy:* commands judged by the real nginx binary (`nginx -t -c TEMP`)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Dokku

pytestmark = pytest.mark.integration

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def write_main_conf(base: Path, includes: list[Path]) -> Path:
    """Write a self-contained nginx main config under `base` including `includes` (globs)."""
    temp = base / "nginx-temp"
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (temp / name).mkdir(parents=True, exist_ok=True)
    lines = [
        "worker_processes 1;",
        f"pid {base}/nginx.pid;",
        f"error_log {base}/nginx-error.log;",
        "events { worker_connections 64; }",
        "http {",
        f"  access_log {base}/nginx-access.log;",
        *(f"  {kind}_temp_path {temp / name};" for kind, name in _TEMP_PATHS),
        *(f"  include {path};" for path in includes),
        "}",
    ]
    main = base / "nginx-main.conf"
    main.write_text("\n".join(lines) + "\n")
    return main


_TEMP_PATHS = (
    ("client_body", "body"),
    ("proxy", "proxy"),
    ("fastcgi", "fastcgi"),
    ("uwsgi", "uwsgi"),
    ("scgi", "scgi"),
)


class RealNginxDokku(Dokku):
    """A `dokku` runner whose nginx is the real binary, on a main config of its own."""

    def __init__(self, base: Path) -> None:
        super().__init__(base)
        self.conf_d = base / "conf.d"
        self.conf_d.mkdir()
        self.main_conf = write_main_conf(base, [self.conf_d / "*.conf"])

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        own = {
            "PYDOKKU_NGINX": NGINX,
            "PYDOKKU_NGINX_CONF_DIR": str(self.conf_d),
            "PYDOKKU_NGINX_MAIN_CONF": str(self.main_conf),
            "PYDOKKU_NGINX_LOG_DIR": str(self.root.parent),  # the app logs in the temp dir
        }
        return super().env({**own, **(extra or {})})

    def run_python(self, code: str) -> None:
        """Run Python code with this runner's environment; fail the test if it fails."""
        argv = [sys.executable, "-c", code]
        proc = subprocess.run(argv, env=self.env(), capture_output=True, text=True, check=False)
        assert proc.returncode == 0, proc.stderr


@pytest.fixture
def dokku(tmp_path: Path) -> RealNginxDokku:
    """A runner with real nginx, dokku.conf installed, and logs kept under the temp dir."""
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed")
    runner = RealNginxDokku(tmp_path)
    code = "from pydokku.plugins.nginx.install import install_host_config as i; i()"
    runner.run_python(code)
    runner.ok("nginx:set", "--global", "access-log-path", str(tmp_path / "app-access.log"))
    runner.ok("nginx:set", "--global", "error-log-path", str(tmp_path / "app-error.log"))
    return runner


def test_rendered_config_passes_nginx_t(dokku: Dokku, app: str) -> None:
    dokku.ok("domains:add", app, "web.example.com", "*.web.example.com")
    dokku.ok("nginx:set", app, "client-max-body-size", "20m")
    dokku.ok("nginx:set", app, "x-forwarded-ssl", "on")
    result = dokku.ok("proxy:build-config", app)
    assert "nginx config is valid" in result.stdout
    assert "nginx is not running" in result.stderr
    dokku.ok("nginx:validate-config", app)
    assert dokku.ok("nginx:validate-config").stdout.endswith("nginx config is valid\n")


def test_grpc_and_vhost_disabled_configs_pass_nginx_t(dokku: Dokku, app: str) -> None:
    import sqlite3

    with sqlite3.connect(dokku.db) as conn:
        conn.execute("INSERT INTO ports VALUES (?, 'grpc', 50051, 50051)", (app,))
        conn.execute("INSERT INTO ports VALUES (?, 'http', 8080, 5000)", (app,))
    dokku.ok("domains:disable", app)
    assert "nginx config is valid" in dokku.ok("proxy:build-config", app).stdout


def test_a_broken_app_config_is_found_and_cleaned(dokku: Dokku, app: str) -> None:
    dokku.ok("apps:create", "other")
    dokku.ok("proxy:build-config", app)
    broken = dokku.root / "other" / "nginx.conf"
    broken.write_text("server { this is not nginx; }\n")
    result = dokku("nginx:validate-config")
    assert result.rc == 1
    assert "The nginx config of other is invalid" in result.stderr
    result = dokku("nginx:validate-config", app)
    assert result.rc == 1
    assert f"(not {app}'s config)" in result.stderr
    result = dokku("proxy:build-config", app)
    assert result.rc == 1
    assert "previous config was kept" in result.stderr
    cleaned = dokku.ok("nginx:validate-config", "--clean")
    assert "Set aside the invalid nginx config of other" in cleaned.stdout
    assert not broken.exists()
    assert (broken.parent / "nginx.conf.invalid").exists()
    dokku.ok("nginx:validate-config")


def test_reload_and_stop_when_nginx_is_not_running(dokku: Dokku) -> None:
    result = dokku("nginx:reload")
    assert result.rc == 1
    assert "nginx is not running" in result.stderr
    result = dokku("nginx:stop")
    assert result.rc == 1
    assert "nginx is not running" in result.stderr


def test_default_vhost_passes_nginx_t(dokku: Dokku) -> None:
    conf_d = dokku.root.parent / "conf.d"
    assert (conf_d / "00-default-vhost.conf").exists()
    dokku.ok("nginx:validate-config")
