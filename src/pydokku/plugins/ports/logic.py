"""Port mappings `scheme:host-port:container-port` of an app.

An app's map is what `ports:set/add` stored, else what its last deploy detected
(Dockerfile EXPOSE), else `http:80:5000`.
"""

from __future__ import annotations

from pydokku import properties, state
from pydokku.errors import DokkuError

PLUGIN = "ports"
SCHEMES = ("http", "https", "grpc", "grpcs")
DEFAULT_CONTAINER_PORT = 5000


class PortMapping:
    """One `scheme:host-port:container-port` mapping."""

    def __init__(self, scheme: str, host_port: int, container_port: int) -> None:
        self.scheme = scheme
        self.host_port = host_port
        self.container_port = container_port

    def __str__(self) -> str:
        return f"{self.scheme}:{self.host_port}:{self.container_port}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PortMapping) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __repr__(self) -> str:
        return f"PortMapping({str(self)!r})"


def parse_mapping(text: str) -> PortMapping:
    """Parse `scheme:host-port:container-port`, refusing unknown schemes and bad ports."""
    parts = text.split(":")
    if len(parts) != 3:
        raise DokkuError(f"Invalid port mapping {text!r}: expected scheme:host-port:container-port")
    scheme, host, container = parts
    if scheme not in SCHEMES:
        raise DokkuError(f"Invalid scheme {scheme!r} in {text!r}: use one of {', '.join(SCHEMES)}")
    return PortMapping(scheme, _port(host, text), _port(container, text))


def _port(value: str, text: str) -> int:
    # isascii: str.isdigit() also accepts digits such as "²" that int() refuses.
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= 65535:
        raise DokkuError(f"Invalid port {value!r} in {text!r}: expected 1-65535")
    return int(value)


def configured(app: str) -> list[PortMapping]:
    """Return the mappings set by `ports:set` / `ports:add`."""
    rows = state.query(
        "SELECT scheme, host_port, container_port FROM ports WHERE app = ? "
        "ORDER BY scheme, host_port",
        (app,),
    )
    return [PortMapping(r["scheme"], r["host_port"], r["container_port"]) for r in rows]


def detected(app: str) -> list[PortMapping]:
    """Return the mappings derived from the last deployed image."""
    value = properties.get(PLUGIN, app, "map-detected") or ""
    return [parse_mapping(item) for item in value.split()]


def default_map(exposed: list[int]) -> list[PortMapping]:
    """Dokku's defaults: `http:P:P` per EXPOSEd TCP port, else `http:80:5000`."""
    if exposed:
        return [PortMapping("http", port, port) for port in exposed]
    return [PortMapping("http", 80, DEFAULT_CONTAINER_PORT)]


def port_map(app: str) -> list[PortMapping]:
    """Return the app's effective mappings."""
    return configured(app) or detected(app) or default_map([])


def web_container_port(app: str) -> int:
    """Return the port web containers listen on (`PORT`): the first mapping's container port."""
    mappings = port_map(app)
    http = [m for m in mappings if m.scheme in ("http", "https")] or mappings
    return http[0].container_port if http else DEFAULT_CONTAINER_PORT


def store_detected(app: str, exposed: list[int]) -> None:
    """Record the mappings a deployed image implies (from its EXPOSEd TCP ports)."""
    value = " ".join(str(m) for m in default_map(exposed))
    if properties.get(PLUGIN, app, "map-detected") == value:
        return
    with state.transaction() as conn:
        properties.store(conn, PLUGIN, app, "map-detected", value)


def exposed_tcp_ports(image_config: dict[str, object]) -> list[int]:
    """Return the TCP ports an image EXPOSEs, sorted."""
    exposed = image_config.get("ExposedPorts") or {}
    ports = []
    for spec in exposed if isinstance(exposed, dict) else []:
        number, _, proto = str(spec).partition("/")
        if (proto or "tcp") == "tcp" and number.isdigit():
            ports.append(int(number))
    return sorted(ports)
