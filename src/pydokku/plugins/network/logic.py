"""Network properties of apps and what they mean for containers (no engine calls here).

`attach-post-create` networks are joined after a container is created and before it
starts (deploy and one-off containers), `attach-post-deploy` ones once new deploy
containers passed their checks and before the proxy points at them, and
`initial-network` is the network a container is created on (pydokku's own network is
joined next, without aliases, so nginx still reaches it). On every network but
pydokku's, a deploy container answers to `APP.PROCESS[.TLD]`.
"""

from __future__ import annotations

from pydokku import properties, state
from pydokku.errors import DokkuError
from pydokku.properties import PropertySpec, validate_bool
from pydokku.validation import GLOBAL_SCOPE

PLUGIN = "network"
MANAGED_LABEL = "com.dokku.network-name"  # set by network:create: the network is Dokku's
ATTACH_KEYS = ("attach-post-create", "attach-post-deploy")
NAME_MAX = 64
_NAME_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_NAME_CHARS = _NAME_START | frozenset("_.-")
_DNS_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")
# Networks a container cannot join besides pydokku's: it would lose the proxy, or
# (`pydokku`) it is on it already.
_NOT_ATTACHABLE = ("host", "bridge", "none", "pydokku")
_NOT_INITIAL = ("host", "none", "pydokku")


def network_name_problem(name: str) -> str | None:
    """Return why `name` cannot name a Docker network, or None."""
    if not name:
        return "No network name specified"
    if len(name) > NAME_MAX or name[0] not in _NAME_START or not _NAME_CHARS.issuperset(name):
        return (
            f"Invalid network name {name!r}: use up to {NAME_MAX} letters, digits and ._- "
            "starting with a letter or digit"
        )
    return None


def validate_network_name(name: str) -> str:
    """Return `name` if it can name a Docker network, else raise."""
    problem = network_name_problem(name)
    if problem:
        raise DokkuError(problem)
    return name


def _initial_problem(value: str) -> str | None:
    if value in _NOT_INITIAL or value.startswith("container:"):
        return f"{value!r} cannot be the initial network: containers must reach pydokku's proxy"
    return network_name_problem(value)


def _tld_problem(value: str) -> str | None:
    labels = value.split(".")
    if len(value) > 200 or any(not p or not _DNS_CHARS.issuperset(p) for p in labels):
        return "expected a DNS suffix such as svc.cluster.local (lowercase letters, digits, -)"
    if any(p.startswith("-") or p.endswith("-") for p in labels):
        return "a DNS label cannot begin or end with '-'"
    return None


def listener_problem(value: str) -> str | None:
    """Return why `value` is not a `HOST:PORT` nginx can proxy to, or None."""
    host, sep, port = value.rpartition(":")
    if not sep or not port.isascii() or not port.isdigit() or not 0 < int(port) < 65536:
        return "expected HOST:PORT, e.g. 127.0.0.1:8080"
    import ipaddress

    bare = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    try:
        version = ipaddress.ip_address(bare).version
    except ValueError:
        return _tld_problem(host) and "expected an IP address or a host name before the port"
    if (version == 6) != (bare != host):
        return "IPv6 addresses, and only they, go in brackets: [::1]:8080"
    return None


SPECS = [
    PropertySpec("attach-post-create"),
    PropertySpec("attach-post-deploy"),
    PropertySpec("bind-all-interfaces", "false", validate_bool),
    PropertySpec("initial-network", validate=_initial_problem),
    PropertySpec("static-web-listener", validate=listener_problem, app_only=True),
    PropertySpec("tld", validate=_tld_problem),
]


def set_property(scope: str, key: str, values: list[str]) -> str:
    """Store `network:set SCOPE KEY VALUES...`; attach keys take several networks. Return it."""
    if key in ATTACH_KEYS:
        value = ",".join(check_attach(scope, key, values))
    elif len(values) > 1:
        raise DokkuError(f"Property {key!r} takes one value")
    else:
        value = values[0] if values else ""
    properties.set_value(SPECS, PLUGIN, scope, key, value)
    return value


def check_attach(scope: str, key: str, values: list[str]) -> list[str]:
    """Return the networks of an attach property, refusing unjoinable or doubled ones."""
    names = [n for v in values for n in v.split(",") if n]
    other = "attach-post-deploy" if key == "attach-post-create" else "attach-post-create"
    taken = set(_split(computed(scope, other))) if scope != GLOBAL_SCOPE else set()
    for name in names:
        if name in _NOT_ATTACHABLE:
            raise DokkuError(f"Invalid network name specified for attach: {name}")
        validate_network_name(name)
        if name in taken:
            raise DokkuError(f"Network name already associated with this app: {name}")
    return list(dict.fromkeys(names))


def computed(app: str, key: str) -> str:
    """Return an app's effective value of a property (app, else global, else default)."""
    spec = next(s for s in SPECS if s.key == key)
    if spec.app_only:
        return properties.get(PLUGIN, app, key) or spec.default
    return properties.resolve(PLUGIN, app, key, spec.default)


def _split(value: str) -> list[str]:
    return [n for n in value.split(",") if n]


def attach_networks(app: str, key: str) -> list[str]:
    """Return the networks of an attach property for an app."""
    return _split(computed(app, key))


def aliases(app: str, process: str) -> list[str]:
    """Return the DNS aliases of an app's process on custom networks: `APP.PROCESS[.TLD]`."""
    tld = computed(app, "tld")
    return [f"{app}.{process}.{tld}" if tld else f"{app}.{process}"]


def container_options(app: str, process: str, phase: str) -> dict[str, object]:
    """Return the network options of a deploy or one-off container (for `dockerargs`)."""
    options: dict[str, object] = {}
    initial = computed(app, "initial-network")
    if initial:
        options["network"] = initial
    joined = attach_networks(app, "attach-post-create")
    if joined:
        options["networks"] = joined
    if phase == "deploy":
        options["network_aliases"] = aliases(app, process)
        if process == "web" and computed(app, "bind-all-interfaces") == "true":
            options["ports"] = {f"{port}/tcp": None for port in web_ports(app)}
    return options


def web_ports(app: str) -> list[int]:
    """Return the container ports of the app's web process (its proxied port mappings)."""
    from pydokku.plugins.ports.logic import port_map

    found = [m.container_port for m in port_map(app)]
    return list(dict.fromkeys(found)) or [5000]


def static_listener(app: str) -> str:
    """Return the `HOST:PORT` nginx sends the app's traffic to instead of containers, or ''."""
    return properties.get(PLUGIN, app, "static-web-listener") or ""


def report_rows(app: str) -> list[tuple[str, str]]:
    """Return Dokku's network report rows for an app (or `--global`)."""
    rows = properties.report_rows(SPECS, PLUGIN, app)
    rows = [r for r in rows if r[0] != "computed-static-web-listener"]  # Dokku has none
    if app != GLOBAL_SCOPE:
        rows.append(("web-listeners", " ".join(web_listeners(app))))
    return rows


def web_listeners(app: str) -> list[str]:
    """Return where the app's web traffic goes: the static listener, else `IP:PORT`s."""
    listener = static_listener(app)
    if listener:
        return [listener]
    from pydokku.plugins.proxy.logic import web_upstreams

    try:
        hosts = web_upstreams(app)
    except DokkuError:
        return []
    port = web_ports(app)[0]
    return [f"{host}:{port}" for host in hosts]


def apps_using(name: str) -> list[str]:
    """Return `APP property` for every app (or --global) whose settings name a network."""
    rows = state.query(
        "SELECT app, key, value FROM properties WHERE plugin = ? AND key IN (?, ?, ?)",
        (PLUGIN, "initial-network", *ATTACH_KEYS),
    )
    return sorted(f"{r['app']} {r['key']}" for r in rows if name in _split(r["value"]))
