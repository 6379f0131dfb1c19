"""A real nginx, started on a loopback port, proxying to a real HTTP server via our config.

The "app" is a Python HTTP server on 127.0.0.1 that echoes the request headers
it gets; its nginx config is rendered and activated by the nginx plugin, then
curl requests go through nginx with the app's Host header.
"""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pydokku import properties, state
from pydokku.errors import DokkuError
from pydokku.plugins.apps.logic import create_app
from pydokku.plugins.domains.logic import add_domains
from pydokku.plugins.nginx import control, install, logic, render, settings
from pydokku.validation import GLOBAL_SCOPE
from tests.cli.test_proxy_nginx import NGINX, write_main_conf

pytestmark = pytest.mark.integration

APP = "myapp"
HOST = "myapp.test"

ECHO_SERVER = """
import http.server, json, sys

class Echo(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = json.dumps({"headers": dict(self.headers), "peer_port": self.client_address[1]})
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass

http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Echo).serve_forever()
"""


@pytest.fixture(scope="module", autouse=True)
def installation() -> None:
    """Replace the harness check: these tests start their own nginx and need no install."""
    missing = [tool for tool in (NGINX, "curl") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"needs {' and '.join(missing)} (apt-get install nginx curl)", pytrace=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listens on 127.0.0.1:{port}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a process we started, by its PID."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def curl(port: int, *headers: str) -> tuple[int, str]:
    argv = ["curl", "-sS", "-m", "5", "-o", "-", "-w", "\n%{http_code}"]
    for header in headers:
        argv += ["-H", header]
    proc = subprocess.run(
        [*argv, f"http://127.0.0.1:{port}/"], capture_output=True, text=True, check=False
    )
    body, _, code = proc.stdout.rpartition("\n")
    return int(code or 0), body


def curl_until(port: int, status: int, timeout: float = 10.0) -> str:
    """Request through nginx until it steadily answers `status`.

    A reload starts new workers before the old ones stop accepting, so one answer
    from the new config does not yet mean that every answer comes from it.
    """
    deadline = time.monotonic() + timeout
    last, streak = (0, ""), 0
    while time.monotonic() < deadline:
        last = curl(port, f"Host: {HOST}")
        streak = streak + 1 if last[0] == status else 0
        if streak == 5:
            return last[1]
        time.sleep(0.05)
    raise AssertionError(f"expected {status}, last answer: {last}")


class Site:
    """The running pieces: nginx's port, the app's port, the app's config file."""

    def __init__(self, base: Path, proxy_port: int, app_port: int) -> None:
        self.base = base
        self.proxy_port = proxy_port
        self.app_port = app_port
        self.config = render.config_path(APP)
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, argv: list[str], port: int) -> None:
        self.processes.append(subprocess.Popen(argv, stdin=subprocess.DEVNULL))
        wait_for_port(port)

    def start_app(self) -> None:
        script = self.base / "echo.py"
        script.write_text(ECHO_SERVER)
        self.start([sys.executable, str(script), str(self.app_port)], self.app_port)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    """An app with a domain and a loopback port map, and a temp nginx serving its config."""
    conf_d = tmp_path / "conf.d"
    main_conf = write_main_conf(tmp_path, [conf_d / install.DOKKU_CONF])
    monkeypatch.setenv("DOKKU_ROOT", str(tmp_path / "home-dokku"))
    monkeypatch.setenv("DOKKU_LIB_ROOT", str(tmp_path / "lib"))
    monkeypatch.setenv("PYDOKKU_NGINX", NGINX)
    monkeypatch.setenv("PYDOKKU_NGINX_CONF_DIR", str(conf_d))
    monkeypatch.setenv("PYDOKKU_NGINX_MAIN_CONF", str(main_conf))
    monkeypatch.setenv("PYDOKKU_NGINX_LOG_DIR", str(tmp_path))  # the app's logs go there
    state.close_all()
    site = Site(tmp_path, free_port(), free_port())
    _prepare_app(tmp_path, site)
    install.install_host_config()
    try:
        logic.build_config(APP, web=[])
        site.start([NGINX, "-c", str(main_conf), "-g", "daemon off;"], site.proxy_port)
        yield site
    finally:
        for proc in reversed(site.processes):
            stop(proc)
        state.close_all()


def _prepare_app(base: Path, site: Site) -> None:
    create_app(APP)
    add_domains(APP, [HOST])
    with state.transaction() as conn:
        conn.execute(
            "INSERT INTO ports (app, scheme, host_port, container_port) VALUES (?, 'http', ?, ?)",
            (APP, site.proxy_port, site.app_port),
        )
    values = {
        "bind-address-ipv4": "127.0.0.1",
        "access-log-path": str(base / "app-access.log"),
        "error-log-path": str(base / "app-error.log"),
    }
    if render.host_has_ipv6():
        values["bind-address-ipv6"] = "::1"
    for key, value in values.items():
        properties.set_value(settings.SPECS, "nginx", GLOBAL_SCOPE, key, value)


def test_requests_reach_the_app_through_nginx(site: Site) -> None:
    assert curl_until(site.proxy_port, 502) == f"{APP} is not running\n"
    site.start_app()
    logic.build_config(APP, web=["127.0.0.1"])
    seen = json.loads(curl_until(site.proxy_port, 200))
    headers = seen["headers"]
    assert headers["Host"] == HOST
    assert headers["X-Forwarded-For"] == "127.0.0.1"
    assert headers["X-Forwarded-Port"] == str(site.proxy_port)
    assert headers["X-Forwarded-Proto"] == "http"
    assert headers["X-Request-Start"].startswith("t=")
    again = json.loads(curl(site.proxy_port, f"Host: {HOST}")[1])
    assert again["peer_port"] == seen["peer_port"], "upstream keepalive reuses the connection"


def test_websocket_upgrade_headers_are_passed(site: Site) -> None:
    site.start_app()
    logic.build_config(APP, web=["127.0.0.1"])
    curl_until(site.proxy_port, 200)
    code, body = curl(site.proxy_port, f"Host: {HOST}", "Upgrade: websocket", "Connection: Upgrade")
    headers = json.loads(body)["headers"]
    assert code == 200
    assert headers["Upgrade"] == "websocket"
    assert headers["Connection"] == "upgrade"


def test_a_broken_config_is_refused_and_the_old_one_keeps_serving(site: Site) -> None:
    site.start_app()
    logic.build_config(APP, web=["127.0.0.1"])
    curl_until(site.proxy_port, 200)
    good = site.config.read_text()

    with pytest.raises(DokkuError, match="previous config was kept"):
        control.apply(site.config, good.replace("keepalive 32;", "keepalive thirty;"), "test")
    assert site.config.read_text() == good

    other = render.config_path("other")
    other.parent.mkdir(parents=True)
    other.write_text("server { listen 127.0.0.1:1; bogus_directive on; }\n")
    with pytest.raises(DokkuError, match="bogus_directive"):
        logic.build_config(APP, web=[])
    assert site.config.read_text() == good
    assert curl(site.proxy_port, f"Host: {HOST}")[0] == 200

    other.unlink()
    logic.build_config(APP, web=[])
    assert curl_until(site.proxy_port, 502) == f"{APP} is not running\n"
