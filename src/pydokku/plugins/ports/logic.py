"""Port mappings `scheme:host-port:container-port` of an app.

An app's map is what `ports:set/add` stored, else what its last deploy detected
(Dockerfile EXPOSE), else `http:80:5000`. Once the app has a TLS certificate,
`https:443:<container port of http:80>` joins the effective map (it is not stored).
As in Dokku, `proxy:set APP proxy-port P` moves the default `http:80:5000` to host
port P, and `proxy:set APP proxy-ssl-port P` moves that added HTTPS mapping off 443.
"""

from __future__ import annotations

from pydokku import properties, state
from pydokku.errors import DokkuError

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable

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
    """Return the app's effective mappings (HTTPS added once it has a certificate)."""
    return with_tls(app, configured(app) or detected_or_default(app))


def detected_or_default(app: str) -> list[PortMapping]:
    """Return what the last deploy detected, else Dokku's default `http:80:5000`.

    The default mapping listens on the app's `proxy-port` when one is set.
    """
    found = detected(app)
    if found and found != default_map([]):
        return found
    return [PortMapping("http", proxy_port(app, "proxy-port", 80), DEFAULT_CONTAINER_PORT)]


def proxy_port(app: str, key: str, default: int) -> int:
    """Return the app's `proxy:set` port (`proxy-port`/`proxy-ssl-port`), else `default`."""
    value = properties.resolve("proxy", app, key, "")
    return int(value) if value.isascii() and value.isdigit() and 0 < int(value) < 65536 else default


def with_tls(app: str, mappings: list[PortMapping]) -> list[PortMapping]:
    """Add `https:S:P` (P: the container port of `http:80`) when the app has a cert.

    S is the app's `proxy-ssl-port`, else 443. Nothing is added when the map already has
    an https mapping or uses port S.
    """
    if not any(m.scheme == "http" and m.host_port == 80 for m in mappings):
        return mappings
    ssl_port = proxy_port(app, "proxy-ssl-port", 443)
    if any(m.scheme == "https" or m.host_port == ssl_port for m in mappings):
        return mappings
    http80 = next(m for m in mappings if m.scheme == "http" and m.host_port == 80)
    if not _has_cert(app):
        return mappings
    return [*mappings, PortMapping("https", ssl_port, http80.container_port)]


def _has_cert(app: str) -> bool:
    from pydokku.plugins.certs.logic import has_cert

    return has_cert(app)


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


def exposed_notice(app: str) -> str:
    """Say where an app that EXPOSEs ports is served when nothing maps port 80 to it.

    Dokku maps each EXPOSEd port to the same host port, so `EXPOSE 8080` serves the app
    on :8080 only; users expect port 80, so the deploy says how to get it.
    """
    if configured(app):
        return ""
    mappings = detected(app)
    if not mappings or any(m.host_port in (80, 443) for m in mappings):
        return ""
    served = ", ".join(f"{m.scheme}:{m.host_port}" for m in mappings)
    first = mappings[0].container_port
    return (
        f"{app} EXPOSEs port {first}, so it is served on {served} (not on port 80). "
        f"To serve it on port 80: dokku ports:set {app} http:80:{first}"
    )


def exposed_tcp_ports(image_config: dict[str, object]) -> list[int]:
    """Return the TCP ports an image EXPOSEs, sorted."""
    exposed = image_config.get("ExposedPorts") or {}
    ports = []
    for spec in exposed if isinstance(exposed, dict) else []:
        number, _, proto = str(spec).partition("/")
        if (proto or "tcp") == "tcp" and number.isdigit():
            ports.append(int(number))
    return sorted(ports)


def parse_mappings(texts: list[str]) -> list[PortMapping]:
    """Parse mappings given on the command line, refusing two for one scheme and host port."""
    found: dict[tuple[str, int], PortMapping] = {}
    for text in texts:
        mapping = parse_mapping(text)
        key = (mapping.scheme, mapping.host_port)
        if key in found and found[key] != mapping:
            raise reused_error(mapping)
        found[key] = mapping
    return list(found.values())


def reused_error(mapping: PortMapping) -> DokkuError:
    """Dokku's refusal of two mappings for one scheme and host port."""
    return DokkuError(
        "Error validating port mappings: The same scheme:host-port is being reused: "
        f"{mapping.scheme}:{mapping.host_port}"
    )


def refuse_held_ports(mappings: list[PortMapping]) -> None:
    """Refuse host ports another program (sshd, a database, ...) already listens on."""
    from pydokku.plugins.ports.listeners import held_by_others

    held = held_by_others({m.host_port for m in mappings})
    if held:
        taken = ", ".join(str(port) for port in held)
        raise DokkuError(
            f"Host port {taken} is in use by another program; nginx could not listen there"
        )


def set_mappings(app: str, mappings: list[PortMapping]) -> None:
    """Replace the app's configured mappings (`ports:set`)."""
    refuse_held_ports(mappings)
    with state.transaction() as conn:
        conn.execute("DELETE FROM ports WHERE app = ?", (app,))
        _insert(conn, app, mappings)
        state.record_event(conn, app, "ports:set", _joined(mappings))


def add_mappings(app: str, mappings: list[PortMapping]) -> None:
    """Add mappings to the app's configured ones (`ports:add`).

    As in Dokku, a scheme and host port already mapped to another container port is
    refused (remove it first, or use ports:set); adding an existing mapping changes nothing.
    """
    current = configured(app) or detected_or_default(app)
    for mapping in mappings:
        if any(_same_entry(m, mapping) and m != mapping for m in current):
            raise reused_error(mapping)
    refuse_held_ports(mappings)
    with state.transaction() as conn:
        if not conn.execute("SELECT 1 FROM ports WHERE app = ?", (app,)).fetchone():
            # The first add starts from what the app serves today, as Dokku does.
            _insert(conn, app, detected_or_default(app))
        _insert(conn, app, mappings)
        state.record_event(conn, app, "ports:add", _joined(mappings))


def add_tls_mappings(app: str) -> list[PortMapping]:
    """Add `https:443:P` next to each configured `http:80:P` (Dokku's post-certs-update).

    Nothing changes without a configured map (the computed one gets HTTPS from the
    certificate) or when it already has `https:443`. Returns what was added.
    """
    current = configured(app)
    if any(m.scheme == "https" and m.host_port == 443 for m in current):
        return []
    added = [
        PortMapping("https", 443, m.container_port)
        for m in current
        if m.scheme == "http" and m.host_port == 80
    ]
    if added:
        with state.transaction() as conn:
            _insert(conn, app, added)
            state.record_event(conn, app, "ports:add", _joined(added))
    return added


def drop_tls_mappings(app: str, only: list[PortMapping] | None = None) -> None:
    """Remove the configured `https:443` mappings (`only`: just these), as certs:remove does."""
    gone = [
        m
        for m in configured(app)
        if m.scheme == "https" and m.host_port == 443 and (only is None or m in only)
    ]
    if not gone:
        return
    with state.transaction() as conn:
        for m in gone:
            conn.execute(
                "DELETE FROM ports WHERE app = ? AND scheme = ? AND host_port = ? "
                "AND container_port = ?",
                (app, m.scheme, m.host_port, m.container_port),
            )
        state.record_event(conn, app, "ports:remove", _joined(gone))


def _same_entry(a: PortMapping, b: PortMapping) -> bool:
    return (a.scheme, a.host_port) == (b.scheme, b.host_port)


def remove_mappings(app: str, specs: list[str]) -> list[PortMapping]:
    """Remove mappings given as `HOST-PORT`, `SCHEME:HOST-PORT` or a full mapping."""
    matchers = [_matcher(spec) for spec in specs]
    current = configured(app) or detected_or_default(app)
    removed = [m for m in current if any(match(m) for match in matchers)]
    kept = [m for m in current if m not in removed]
    with state.transaction() as conn:
        conn.execute("DELETE FROM ports WHERE app = ?", (app,))
        _insert(conn, app, kept)
        state.record_event(conn, app, "ports:remove", _joined(removed))
    return removed


def clear_mappings(app: str) -> None:
    """Forget the app's configured mappings (`ports:clear`): detection applies again."""
    with state.transaction() as conn:
        conn.execute("DELETE FROM ports WHERE app = ?", (app,))
        state.record_event(conn, app, "ports:clear")


def copy_mappings(old_app: str, new_app: str) -> None:
    """Give a cloned app the configured mappings of the original."""
    with state.transaction() as conn:
        _insert(conn, new_app, configured(old_app))


def as_json(mappings: list[PortMapping]) -> str:
    """Return mappings as Dokku's `--ports-map-json` list of objects."""
    import json

    return json.dumps(
        [
            {"container_port": m.container_port, "host_port": m.host_port, "scheme": m.scheme}
            for m in mappings
        ],
        separators=(",", ":"),
    )


def report_rows(app: str) -> list[tuple[str, str]]:
    """Return the `ports:report` rows: the configured and the detected maps, text and JSON."""
    from pydokku.validation import GLOBAL_SCOPE

    if app == GLOBAL_SCOPE:
        return []
    stored = configured(app)
    found = with_tls(app, detected_or_default(app))
    return [
        ("map", _joined(stored)),
        ("map-detected", _joined(found)),
        ("map-json", as_json(stored)),
        ("map-detected-json", as_json(found)),
    ]


def _insert(conn: sqlite3.Connection, app: str, mappings: list[PortMapping]) -> None:
    conn.executemany(
        "INSERT INTO ports (app, scheme, host_port, container_port) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (app, scheme, host_port) "
        "DO UPDATE SET container_port = excluded.container_port",
        [(app, m.scheme, m.host_port, m.container_port) for m in mappings],
    )


def _joined(mappings: list[PortMapping]) -> str:
    return " ".join(str(m) for m in mappings)


def _matcher(spec: str) -> Callable[[PortMapping], bool]:
    """Return a test for the mappings a `ports:remove` argument names."""
    parts = spec.split(":")
    if len(parts) == 3:
        wanted = parse_mapping(spec)
        return lambda m: m == wanted
    if len(parts) == 2:
        scheme = parse_mapping(f"{spec}:1").scheme
        port = _port(parts[1], spec)
        return lambda m: m.scheme == scheme and m.host_port == port
    port = _port(spec, spec)
    return lambda m: m.host_port == port
