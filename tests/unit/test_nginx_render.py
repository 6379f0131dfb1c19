"""The nginx renderer: server names, upstreams, headers, properties, 502 placeholder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pydokku import properties, state
from pydokku.errors import DokkuError
from pydokku.plugins.domains import logic as domains
from pydokku.plugins.nginx import render, settings
from pydokku.validation import GLOBAL_SCOPE


def make_app(name: str, *vhosts: str) -> str:
    with state.transaction() as conn:
        conn.execute("INSERT INTO apps (name, created_at) VALUES (?, ?)", (name, state.now()))
    if vhosts:
        domains.add_domains(name, list(vhosts))
    return name


def set_ports(app: str, *mappings: tuple[str, int, int]) -> None:
    with state.transaction() as conn:
        conn.executemany(
            "INSERT INTO ports (app, scheme, host_port, container_port) VALUES (?, ?, ?, ?)",
            [(app, *m) for m in mappings],
        )


def nginx_set(scope: str, key: str, value: str) -> None:
    properties.set_value(settings.SPECS, "nginx", scope, key, value)


def rendered(app: str, web: list[str], ipv6: bool = False) -> str:
    return render.render_app(render.app_context(app, web, ipv6=ipv6))


def block(text: str, start: str) -> str:
    """Return the `{ ... }` block opening with the line `start` (no nested braces inside)."""
    found = re.search(re.escape(start) + r" \{\n(.*?)\n\}", text, re.S)
    assert found, f"no block {start!r} in:\n{text}"
    return found.group(1)


def directives(text: str, name: str) -> list[str]:
    return [m.group(1) for m in re.finditer(rf"^\s*{re.escape(name)} (.*);$", text, re.M)]


def test_server_names_are_exactly_the_app_vhosts(store: Path) -> None:
    make_app("web", "web.example.com", "WWW.Shop.io", "*.shop.io")
    text = rendered("web", ["172.18.0.2"])
    assert directives(text, "server_name") == ["web.example.com www.shop.io *.shop.io"]


def test_upstream_lists_every_web_container_on_the_mapped_port(store: Path) -> None:
    make_app("web", "web.example.com")
    text = rendered("web", ["172.18.0.2", "172.18.0.3:5000", "172.18.0.2"])
    upstream = block(text, "upstream web-5000")
    assert directives(upstream, "server") == ["172.18.0.2:5000", "172.18.0.3:5000"]
    assert directives(upstream, "keepalive") == ["32"]


def test_one_upstream_per_container_port(store: Path) -> None:
    make_app("web", "web.example.com")
    set_ports("web", ("http", 80, 5000), ("http", 8080, 5000), ("http", 8081, 6000))
    text = rendered("web", ["172.18.0.2"])
    assert re.findall(r"^upstream (\S+) \{", text, re.M) == ["web-5000", "web-6000"]
    assert directives(text, "proxy_pass") == [
        "http://web-5000",
        "http://web-5000",
        "http://web-6000",
    ]
    assert directives(text, "listen") == ["80", "8080", "8081"]


def test_location_headers_and_websockets(store: Path) -> None:
    make_app("web", "web.example.com")
    text = rendered("web", ["172.18.0.2"])
    location = block(text, "  location /")
    headers = dict(h.split(" ", 1) for h in directives(location, "proxy_set_header"))
    assert headers == {
        "Upgrade": "$http_upgrade",
        "Connection": "$connection_upgrade",
        "Host": "$http_host",
        "X-Forwarded-For": "$remote_addr",
        "X-Forwarded-Port": "$server_port",
        "X-Forwarded-Proto": "$scheme",
        "X-Request-Start": '"t=${msec}"',
    }
    assert directives(location, "proxy_http_version") == ["1.1"]
    assert directives(location, "proxy_pass") == ["http://web-5000"]


def test_defaults_are_rendered(store: Path) -> None:
    make_app("web", "web.example.com")
    text = rendered("web", ["172.18.0.2"])
    assert directives(text, "client_max_body_size") == ["1m"]
    assert directives(text, "proxy_read_timeout") == ["60s"]
    assert directives(text, "proxy_buffers") == ["8 4k"]
    assert directives(text, "keepalive_timeout") == ["75s"]
    assert directives(text, "access_log") == ["/var/log/nginx/web-access.log"]
    assert directives(text, "error_log") == ["/var/log/nginx/web-error.log"]
    assert directives(text, "underscores_in_headers") == ["off"]


def test_properties_are_applied_app_over_global(store: Path) -> None:
    make_app("web", "web.example.com")
    nginx_set(GLOBAL_SCOPE, "client-max-body-size", "20m")
    nginx_set("web", "client-max-body-size", "100m")
    nginx_set("web", "proxy-read-timeout", "5m")
    nginx_set("web", "proxy-buffering", "off")
    nginx_set("web", "x-forwarded-for-value", "$proxy_add_x_forwarded_for")
    nginx_set("web", "x-forwarded-ssl", "on")
    nginx_set("web", "access-log-path", "/var/log/nginx/web.log")
    nginx_set("web", "access-log-format", "timed")
    nginx_set("web", "error-log-path", "off")
    nginx_set("web", "underscore-in-headers", "on")
    text = rendered("web", ["172.18.0.2"])
    assert directives(text, "client_max_body_size") == ["100m"]
    assert directives(text, "proxy_read_timeout") == ["5m"]
    assert directives(text, "proxy_buffering") == ["off"]
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in text
    assert "proxy_set_header X-Forwarded-Ssl on;" in text
    assert directives(text, "access_log") == ["/var/log/nginx/web.log timed"]
    assert directives(text, "error_log") == ["/dev/null"]
    assert directives(text, "underscores_in_headers") == ["on"]


def test_access_log_off(store: Path) -> None:
    make_app("web", "web.example.com")
    nginx_set("web", "access-log-path", "off")
    assert directives(rendered("web", ["172.18.0.2"]), "access_log") == ["off"]


def test_no_running_process_renders_a_502_server(store: Path) -> None:
    make_app("web", "web.example.com")
    text = rendered("web", [])
    assert "upstream" not in text
    assert "proxy_pass" not in text
    location = block(text, "  location /")
    assert directives(location, "return") == ['502 "web is not running\\n"']
    assert directives(text, "server_name") == ["web.example.com"]


def test_vhost_disabled_listens_without_server_name(store: Path) -> None:
    make_app("web", "web.example.com")
    set_ports("web", ("http", 8080, 5000))
    domains.set_vhost_enabled("web", False)
    text = rendered("web", ["172.18.0.2"])
    assert directives(text, "server_name") == []
    assert directives(text, "listen") == ["8080"]


def test_bind_addresses_and_ipv6(store: Path) -> None:
    make_app("web", "web.example.com")
    assert directives(rendered("web", [], ipv6=True), "listen") == ["80", "[::]:80"]
    assert directives(rendered("web", [], ipv6=False), "listen") == ["80"]
    nginx_set("web", "bind-address-ipv4", "127.0.0.1")
    nginx_set("web", "bind-address-ipv6", "::1")
    assert directives(rendered("web", [], ipv6=False), "listen") == ["127.0.0.1:80", "[::1]:80"]


def test_grpc_mapping_uses_grpc_pass_over_http2(store: Path) -> None:
    make_app("web", "web.example.com")
    set_ports("web", ("grpc", 50051, 50051))
    text = rendered("web", ["172.18.0.2"])
    assert directives(text, "listen") == ["50051 http2"]
    assert directives(text, "grpc_pass") == ["grpc://web-50051"]
    assert "proxy_pass" not in text


def test_https_mappings_are_left_for_tls(store: Path) -> None:
    make_app("web", "web.example.com")
    set_ports("web", ("http", 80, 5000), ("https", 443, 5000))
    context = render.app_context("web", ["172.18.0.2"], ipv6=False)
    assert [str(m) for m in context["tls_mappings"]] == ["https:443:5000"]
    assert context["tls"] is None
    assert directives(render.render_app(context), "listen") == ["80"]


def test_ipv6_upstream_is_bracketed(store: Path) -> None:
    make_app("web", "web.example.com")
    text = rendered("web", ["fd00::5", "[fd00::6]:5000"])
    assert directives(block(text, "upstream web-5000"), "server") == [
        "[fd00::5]:5000",
        "[fd00::6]:5000",
    ]


@pytest.mark.parametrize("entry", ["172.18.0.2; include /etc/passwd", "host.docker", "", "1.2.3"])
def test_bad_upstream_addresses_are_refused(store: Path, entry: str) -> None:
    make_app("web", "web.example.com")
    with pytest.raises(DokkuError, match="invalid web address"):
        render.app_context("web", [entry])


def test_app_include_dir_is_in_each_server(store: Path) -> None:
    make_app("web", "web.example.com")
    include = render.include_dir("web")
    assert directives(rendered("web", []), "include") == [f"{include}/*.conf"]


def test_unsafe_dokku_root_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DokkuError, match="cannot be written"):
        render.dokku_conf(tmp_path / "with space")


def test_dokku_conf() -> None:
    text = render.dokku_conf(Path("/home/dokku"))
    assert "include /home/dokku/*/nginx.conf;" in text
    assert "server_names_hash_bucket_size 128;" in text
    assert "map $http_upgrade $connection_upgrade {" in text


def test_default_vhost() -> None:
    text = render.default_vhost_conf(ipv6=False)
    assert directives(text, "listen") == ["80 default_server", "443 ssl default_server"]
    assert directives(text, "return") == [f'404 "{render.UNKNOWN_HOST_PAGE}\\n"']
    assert directives(text, "default_type") == ["text/plain"]
    assert directives(text, "ssl_reject_handshake") == ["on"]
    assert "[::]:80 default_server" in render.default_vhost_conf(ipv6=True)


def test_dokku_timeouts_are_rendered_with_dokku_defaults(store: Path) -> None:
    make_app("web", "web.example.com")
    text = rendered("web", ["172.18.0.2"])
    assert directives(text, "client_body_timeout") == ["60s"]
    assert directives(text, "client_header_timeout") == ["60s"]
    assert directives(text, "lingering_timeout") == ["5s"]
    assert directives(text, "send_timeout") == ["60s"]
    assert directives(text, "keepalive") == [str(render.UPSTREAM_KEEPALIVE)]


def test_timeouts_and_proxy_keepalive_follow_nginx_set(store: Path) -> None:
    make_app("web", "web.example.com")
    nginx_set(GLOBAL_SCOPE, "send-timeout", "2m")
    nginx_set("web", "client-body-timeout", "10s")
    nginx_set("web", "client-header-timeout", "11s")
    nginx_set("web", "lingering-timeout", "12s")
    nginx_set("web", "proxy-keepalive", "8")
    text = rendered("web", ["172.18.0.2"])
    assert directives(text, "client_body_timeout") == ["10s"]
    assert directives(text, "client_header_timeout") == ["11s"]
    assert directives(text, "lingering_timeout") == ["12s"]
    assert directives(text, "send_timeout") == ["2m"]
    assert directives(text, "keepalive") == ["8"]


def test_custom_template_in_the_source_is_named_not_rendered(store: Path, tmp_path: Path) -> None:
    from pydokku.plugins.nginx.logic import custom_template_notice

    make_app("web", "web.example.com")
    source = tmp_path / "src"
    (source / "deploy").mkdir(parents=True)
    assert custom_template_notice("web", str(source)) is None
    (source / "nginx.conf.sigil").write_text("server { }\n")
    notice = custom_template_notice("web", str(source)) or ""
    assert notice.startswith("nginx.conf.sigil found in web's source")
    nginx_set("web", "nginx-conf-sigil-path", "deploy/custom.sigil")
    assert custom_template_notice("web", str(source)) is None
    (source / "deploy" / "custom.sigil").write_text("server { }\n")
    assert "deploy/custom.sigil found" in (custom_template_notice("web", str(source)) or "")
    nginx_set(GLOBAL_SCOPE, "disable-custom-config", "true")
    assert custom_template_notice("web", str(source)) is None
