"""The URLs an app answers on (`url` / `urls`): its vhosts, else this host and a port."""

from __future__ import annotations

from pathlib import Path

from pydokku import paths
from pydokku.plugins.domains.logic import app_vhosts
from pydokku.plugins.domains.names import domain_problem, is_wildcard

DEFAULT_PORTS = {"http": 80, "https": 443}
SIOCGIFADDR = 0x8915  # Linux ioctl: the IPv4 address of a network interface


def app_urls(app: str) -> list[str]:
    """Return every URL of an app, its primary one first."""
    from pydokku.plugins.ports.logic import port_map

    web = [m for m in port_map(app) if m.scheme in DEFAULT_PORTS]
    chosen = next((m for m in web if m.scheme == "https"), web[0] if web else None)
    scheme = chosen.scheme if chosen else "http"
    port = chosen.host_port if chosen else DEFAULT_PORTS["http"]
    hosts = [d for d in app_vhosts(app) if not is_wildcard(d)]
    if not hosts:
        return [f"{scheme}://{host_address()}:{port}"]
    suffix = "" if port == DEFAULT_PORTS[scheme] else f":{port}"
    return [f"{scheme}://{host}{suffix}" for host in hosts]


def host_address() -> str:
    """Return this server's name for URLs: `$DOKKU_ROOT/HOSTNAME`, its IPv4, or localhost."""
    name = _hostname_file()
    return name or _default_route_ipv4() or "localhost"


def _hostname_file() -> str | None:
    try:
        name = (paths.dokku_root() / "HOSTNAME").read_text().strip().lower()
    except OSError:
        return None
    return name if name and domain_problem(name) is None else None


def _default_route_ipv4() -> str | None:
    """Return the address of the interface holding the default route (no traffic sent)."""
    try:
        lines = Path("/proc/net/route").read_text().splitlines()[1:]
    except OSError:
        return None
    iface = next((f[0] for f in (line.split() for line in lines) if f[1:2] == ["00000000"]), None)
    if not iface:
        return None
    import fcntl
    import socket
    import struct

    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            packed = fcntl.ioctl(
                sock.fileno(), SIOCGIFADDR, struct.pack("256s", iface.encode()[:15])
            )
    except OSError:
        return None
    return socket.inet_ntoa(packed[20:24])
