"""The one nginx renderer: app configs (Jinja2 template) and the host-wide include files.

`app_context` gathers what an app's config needs (domains, port map, upstream
addresses, nginx:set properties), re-checking each value; `render_app` turns it
into text. Jinja2 is imported only when a config is rendered.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Any

from pydokku import paths
from pydokku.errors import DokkuError
from pydokku.plugins.nginx import settings

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from pydokku.plugins.ports.logic import PortMapping

TEMPLATES = Path(__file__).parent / "templates"
APP_TEMPLATE = "app.conf.j2"
PROXIED_SCHEMES = ("http", "grpc")
TLS_SCHEMES = ("https", "grpcs")
HTTP_PORT = 80
HTTPS_PORT = 443
# Mozilla's "intermediate" ciphers for TLSv1.2 (TLSv1.3 suites need no configuration).
TLS_CIPHERS = ":".join(
    (
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305",
        "ECDHE-RSA-CHACHA20-POLY1305",
    )
)
# Idle connections kept open to each upstream when `nginx:set proxy-keepalive` is unset.
# Dokku then renders none; pydokku keeps some, since a new connection per request halves
# throughput through Docker's port publishing (see bench/).
UPSTREAM_KEEPALIVE = 32
# Paths written into nginx syntax unquoted: refuse anything that could end a directive.
SAFE_PATH_RE = re.compile(r"^/[A-Za-z0-9._/@%+=,:~-]*\Z")

# Connection header for upstreams: `upgrade` for websockets, else empty so that
# upstream keepalive connections are reused (a `close` here would defeat them).
WEBSOCKET_MAP = """map $http_upgrade $connection_upgrade {
  default upgrade;
  '' '';
}"""


def config_path(app: str) -> Path:
    """Return the path of an app's generated nginx config (`$DOKKU_ROOT/APP/nginx.conf`)."""
    return paths.app_dir(app) / "nginx.conf"


def include_dir(app: str) -> Path:
    """Return the directory of extra per-app server snippets (`$DOKKU_ROOT/APP/nginx.conf.d`)."""
    return paths.app_dir(app) / "nginx.conf.d"


def safe_path(path: Path) -> str:
    """Return `path` as text if it can stand unquoted in nginx syntax, else raise."""
    text = str(path)
    if not SAFE_PATH_RE.match(text):
        raise DokkuError(f"Path {text!r} cannot be written into an nginx config")
    return text


def host_has_ipv6() -> bool:
    """Tell whether this host has IPv6 (else `listen [::]:PORT` would fail)."""
    import socket

    try:
        return socket.has_ipv6 and bool(Path("/proc/net/if_inet6").read_text().strip())
    except OSError:
        return False


def upstream_hosts(entries: list[str]) -> list[str]:
    """Return the IPs of scheduler entries (`IP` or `IP:PORT`), deduplicated, in order."""
    hosts: dict[str, None] = {}
    for entry in entries:
        text = entry.strip()
        if text.startswith("["):
            text = text[1:].split("]", 1)[0]
        elif text.count(":") == 1:
            text = text.split(":", 1)[0]
        try:
            address = ipaddress.ip_address(text)
        except ValueError as exc:
            raise DokkuError(f"The scheduler gave an invalid web address {entry!r}") from exc
        hosts.setdefault(f"[{address}]" if address.version == 6 else str(address), None)
    return list(hosts)


def app_context(
    app: str, web: list[str], *, ipv6: bool | None = None, static: str = ""
) -> dict[str, Any]:
    """Return the template context of an app whose web processes are at `web` (`IP[:PORT]`).

    `static` (`network:set APP static-web-listener HOST:PORT`) replaces every upstream
    server: traffic goes there instead of to containers.
    """
    from pydokku.plugins.domains.logic import app_vhosts, vhost_enabled
    from pydokku.plugins.domains.names import normalize_domains
    from pydokku.plugins.ports.logic import port_map

    hosts = upstream_hosts(web)
    values = settings.computed(app)
    mappings = port_map(app)
    tls = tls_context(app, values)
    proxied = [m for m in mappings if m.scheme in PROXIED_SCHEMES]
    secured = [m for m in mappings if m.scheme in TLS_SCHEMES] if tls else []
    ports = list(dict.fromkeys(m.container_port for m in proxied + secured))
    listen6 = _ipv6_bind(values["bind-address-ipv6"], host_has_ipv6() if ipv6 is None else ipv6)
    bind4 = values["bind-address-ipv4"]

    def server(m: PortMapping) -> dict[str, Any]:
        return {
            "scheme": m.scheme,
            "grpc": m.scheme in ("grpc", "grpcs"),
            "host_port": m.host_port,
            "container_port": m.container_port,
            "upstream": f"{app}-{m.container_port}",
            "listen": [f"{bind4}:{m.host_port}" if bind4 else str(m.host_port)]
            + ([f"[{listen6}]:{m.host_port}"] if listen6 else []),
            "redirect": https_redirect(m, secured),
            "hsts": bool(tls and tls["hsts"] and m.host_port == HTTPS_PORT),
        }

    return {
        "app": app,
        "include_dir": safe_path(include_dir(app)),
        "vhost_enabled": vhost_enabled(app),
        "server_names": normalize_domains(app_vhosts(app)),
        "upstreams": [
            {
                "name": f"{app}-{port}",
                "port": port,
                "servers": [static] if static else [f"{host}:{port}" for host in hosts],
            }
            for port in (ports if hosts or static else [])
        ],
        "servers": [server(m) for m in proxied],
        "keepalive": int(values["proxy-keepalive"] or UPSTREAM_KEEPALIVE),
        "tls_mappings": [m for m in mappings if m.scheme in TLS_SCHEMES],
        "tls_servers": [server(m) for m in secured],
        "tls": tls,
        "s": {key.replace("-", "_"): value for key, value in values.items()},
    }


def tls_context(app: str, values: dict[str, str]) -> dict[str, Any] | None:
    """Return the app's certificate paths and HSTS header, or None without a certificate."""
    from pydokku.plugins.certs.logic import tls_files

    files = tls_files(app)
    if files is None:
        return None
    return {
        "certificate": safe_path(files[0]),
        "key": safe_path(files[1]),
        "ciphers": TLS_CIPHERS,
        "hsts": hsts_header(values) if values["hsts"] == "true" else None,
    }


def hsts_header(values: dict[str, str]) -> str:
    """Return the Strict-Transport-Security value the `hsts-*` properties describe."""
    header = f"max-age={int(values['hsts-max-age'])}"
    if values["hsts-include-subdomains"] == "true":
        header += "; includeSubDomains"
    if values["hsts-preload"] == "true":
        header += "; preload"
    return header


def https_redirect(mapping: PortMapping, secured: list[PortMapping]) -> str | None:
    """Return where plain HTTP on port 80 is redirected once HTTPS is served, or None."""
    https = next((m.host_port for m in secured if m.scheme == "https"), None)
    if https is None or mapping.scheme != "http" or mapping.host_port != HTTP_PORT:
        return None
    port = "" if https == HTTPS_PORT else f":{https}"
    return f"https://$host{port}$request_uri"


def _ipv6_bind(value: str, host_ipv6: bool) -> str | None:
    if not value:
        return None
    if value == "::" and not host_ipv6:
        return None  # the default: listen on IPv6 only where the host has it
    return value


def render_app(context: dict[str, Any]) -> str:
    """Render an app's nginx config from its context."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=False,  # noqa: S701 (nginx syntax, not HTML; values are validated)
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    text = env.get_template(APP_TEMPLATE).render(context)
    return re.sub(r"\n{3,}", "\n\n", text).lstrip("\n")


def dokku_conf(dokku_root: Path) -> str:
    """Return `conf.d/dokku.conf`: the websocket map and the include of every app config."""
    root = safe_path(dokku_root)
    return (
        "# Generated by pydokku: app configs live in "
        f"{root}/APP/nginx.conf\n"
        "server_names_hash_bucket_size 128;\n"
        "server_tokens off;\n\n"
        f"{WEBSOCKET_MAP}\n\n"
        f"include {root}/*/nginx.conf;\n"
    )


UNKNOWN_HOST_PAGE = (
    "404 Not Found: no app on this server answers to this host name and port. "
    "On the server, dokku domains:report and dokku ports:report show what is served."
)


def default_vhost_conf(*, ipv6: bool | None = None) -> str:
    """Return `conf.d/00-default-vhost.conf`: a plain 404 page and no TLS for unknown hosts."""
    with_ipv6 = host_has_ipv6() if ipv6 is None else ipv6
    return (
        "# Generated by pydokku: hosts no app serves get a short plain-text 404 page.\n"
        "server {\n"
        "  listen 80 default_server;\n"
        + ("  listen [::]:80 default_server;\n" if with_ipv6 else "")
        + "  server_name _;\n"
        "  access_log off;\n"
        "  default_type text/plain;\n"
        f'  return 404 "{UNKNOWN_HOST_PAGE}\\n";\n'
        "}\n"
        "# TLS for unknown names: refuse the handshake rather than show some app's cert.\n"
        "server {\n"
        "  listen 443 ssl default_server;\n"
        + ("  listen [::]:443 ssl default_server;\n" if with_ipv6 else "")
        + "  server_name _;\n"
        "  access_log off;\n"
        "  ssl_reject_handshake on;\n"
        "}\n"
    )
