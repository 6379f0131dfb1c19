"""nginx rendering with a certificate: HTTPS servers, the redirect, HSTS, TLS settings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pydokku import properties, state
from pydokku.plugins.certs import logic as certs
from pydokku.plugins.nginx import render, settings
from pydokku.validation import GLOBAL_SCOPE
from tests.tls_helpers import make_leaf
from tests.unit.test_nginx_render import directives, make_app, rendered, set_ports


@pytest.fixture(autouse=True)
def no_nginx(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the host's nginx out of these tests."""
    monkeypatch.setenv("PYDOKKU_NGINX", str(store / "no-nginx"))


def with_cert(app: str, *names: str) -> None:
    leaf = make_leaf(list(names) or [f"{app}.example.com"])
    certs.install(app, leaf.cert_pem, leaf.key_pem)


def server_blocks(text: str) -> list[str]:
    """Return the bodies of every `server { ... }` block (locations nest one level)."""
    blocks, depth, current = [], 0, []
    for line in text.splitlines():
        if line == "server {":
            depth, current = 1, []
            continue
        if depth:
            if line == "}":
                blocks.append("\n".join(current))
                depth = 0
            else:
                current.append(line)
    return blocks


def location(server: str, path: str) -> str:
    """Return the body of `location PATH { ... }` inside a server block."""
    found = re.search(rf"^  location {re.escape(path)} \{{\n(.*?)\n  \}}", server, re.S | re.M)
    assert found, f"no location {path} in:\n{server}"
    return found.group(1)


def nginx_set(scope: str, key: str, value: str) -> None:
    properties.set_value(settings.SPECS, "nginx", scope, key, value)


def test_no_certificate_means_no_tls(store: Path) -> None:
    make_app("web", "web.example.com")
    text = rendered("web", ["172.18.0.2"])
    assert "ssl" not in text
    assert "return 301" not in text


def test_certificate_adds_an_https_server_and_redirects_http(store: Path) -> None:
    make_app("web", "web.example.com")
    with_cert("web", "web.example.com")
    text = rendered("web", ["172.18.0.2"], ipv6=True)
    http, https = server_blocks(text)
    assert directives(http, "listen") == ["80", "[::]:80"]
    assert directives(location(http, "/"), "return") == ["301 https://$host$request_uri"]
    challenge = location(http, "/.well-known/acme-challenge")
    assert directives(challenge, "proxy_pass") == ["http://web-5000"]
    assert directives(https, "listen") == ["443 ssl http2", "[::]:443 ssl http2"]
    assert directives(https, "server_name") == ["web.example.com"]
    assert directives(https, "ssl_certificate") == [str(certs.cert_path("web"))]
    assert directives(https, "ssl_certificate_key") == [str(certs.key_path("web"))]
    assert directives(https, "ssl_protocols") == ["TLSv1.2 TLSv1.3"]
    assert directives(https, "ssl_prefer_server_ciphers") == ["off"]
    assert directives(https, "ssl_session_cache") == ["shared:pydokku_tls:10m"]
    assert directives(https, "ssl_session_tickets") == ["off"]
    assert "RC4" not in text
    assert "3DES" not in text
    assert directives(location(https, "/"), "proxy_pass") == ["http://web-5000"]
    assert directives(https, "include") == [f"{render.include_dir('web')}/*.conf"]
    assert directives(text, "upstream") == []  # one upstream block, shared
    assert text.count("upstream web-5000 {") == 1


def test_hsts_defaults_follow_dokku(store: Path) -> None:
    make_app("web", "web.example.com")
    with_cert("web")
    https = server_blocks(rendered("web", ["172.18.0.2"]))[1]
    assert directives(https, "add_header") == [
        'Strict-Transport-Security "max-age=15724800; includeSubDomains" always'
    ]


def test_hsts_settings(store: Path) -> None:
    make_app("web", "web.example.com")
    with_cert("web")
    nginx_set(GLOBAL_SCOPE, "hsts-max-age", "31536000")
    nginx_set("web", "hsts-include-subdomains", "false")
    nginx_set("web", "hsts-preload", "true")
    https = server_blocks(rendered("web", ["172.18.0.2"]))[1]
    assert directives(https, "add_header") == [
        'Strict-Transport-Security "max-age=31536000; preload" always'
    ]
    nginx_set("web", "hsts", "false")
    https = server_blocks(rendered("web", ["172.18.0.2"]))[1]
    assert directives(https, "add_header") == []


def test_hsts_only_on_port_443(store: Path) -> None:
    make_app("web", "web.example.com")
    with_cert("web")  # first: installing it would add https:443 next to http:80, as Dokku
    set_ports("web", ("http", 80, 5000), ("https", 8443, 5000))
    http, https = server_blocks(rendered("web", ["172.18.0.2"]))
    assert directives(https, "listen") == ["8443 ssl http2"]
    assert directives(https, "add_header") == []
    assert directives(location(http, "/"), "return") == ["301 https://$host:8443$request_uri"]


def test_only_port_80_redirects(store: Path) -> None:
    make_app("web", "web.example.com")
    set_ports("web", ("http", 80, 5000), ("http", 8080, 5000))
    with_cert("web")
    http80, http8080, https = server_blocks(rendered("web", ["172.18.0.2"]))
    assert "return 301" in http80
    assert "return 301" not in http8080
    assert directives(https, "listen") == ["443 ssl http2"]


def test_https_to_its_own_container_port_gets_an_upstream(store: Path) -> None:
    make_app("web", "web.example.com")
    set_ports("web", ("http", 80, 5000), ("https", 443, 5443))
    with_cert("web")
    text = rendered("web", ["172.18.0.2"])
    assert "upstream web-5000 {" in text
    assert "upstream web-5443 {" in text
    https = server_blocks(text)[1]
    assert directives(location(https, "/"), "proxy_pass") == ["http://web-5443"]


def test_grpcs_uses_grpc_pass_over_tls(store: Path) -> None:
    make_app("web", "web.example.com")
    set_ports("web", ("grpcs", 50443, 50051))
    with_cert("web")
    (grpcs,) = server_blocks(rendered("web", ["172.18.0.2"]))
    assert directives(grpcs, "listen") == ["50443 ssl http2"]
    assert directives(grpcs, "grpc_pass") == ["grpc://web-50051"]


def test_not_running_app_answers_502_over_https_too(store: Path) -> None:
    make_app("web", "web.example.com")
    with_cert("web")
    http, https = server_blocks(rendered("web", []))
    assert "return 502" in https
    assert directives(location(http, "/"), "return") == ["301 https://$host$request_uri"]


def test_tls_files_with_unsafe_paths_are_refused(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_app("web", "web.example.com")
    with_cert("web")
    monkeypatch.setattr(certs, "tls_files", lambda app: (Path("/tmp/x y/server.crt"), Path("/k")))
    from pydokku.errors import DokkuError

    with pytest.raises(DokkuError, match="cannot be written"):
        rendered("web", [])


def test_removing_renders_without_tls_first(store: Path) -> None:
    make_app("web", "web.example.com")
    with_cert("web")
    render.config_path("web").parent.mkdir(parents=True, exist_ok=True)
    render.config_path("web").write_text("old")  # a loaded config: remove rebuilds it
    certs.remove("web")
    text = render.config_path("web").read_text()
    assert "ssl_certificate" not in text
    assert "return 301" not in text
    assert not certs.tls_dir("web").exists()
    rows = state.query("SELECT action FROM events WHERE target = 'web' ORDER BY id")
    assert [r["action"] for r in rows][-2:] == ["certs:add", "certs:remove"]


def test_a_certificate_nginx_refuses_is_rolled_back(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pydokku.errors import DokkuError

    make_app("web", "web.example.com")
    with_cert("web")
    before = {p.name: p.read_bytes() for p in certs.tls_dir("web").iterdir()}

    def refuse(app: str) -> None:
        raise DokkuError("nginx rejected the nginx config of web")

    monkeypatch.setattr(certs, "_refresh_proxy", refuse)
    newer = make_leaf(["web.example.com"])
    with pytest.raises(DokkuError, match="previous certificate state was restored"):
        certs.install("web", newer.cert_pem, newer.key_pem)
    assert {p.name: p.read_bytes() for p in certs.tls_dir("web").iterdir()} == before
    make_app("fresh", "fresh.example.com")
    with pytest.raises(DokkuError):
        certs.install("fresh", newer.cert_pem, newer.key_pem)
    assert not certs.has_cert("fresh")
