"""Host ports other programs hold: nginx cannot listen there, so a mapping to one is refused.

`nginx -t` does not bind ports, so `ports:add app http:22:5000` would pass it while sshd
holds :22; the reload then fails inside nginx. The kernel's socket tables are readable
by every user, so this works as the dokku user too.
"""

from __future__ import annotations

LISTEN_STATE = "0A"
TABLES = ("/proc/net/tcp", "/proc/net/tcp6")


def listening_ports(tables: tuple[str, ...] = TABLES) -> set[int]:
    """Return the TCP ports something listens on, on any address of this host."""
    found: set[int] = set()
    for table in tables:
        try:
            with open(table, encoding="ascii") as handle:
                next(handle, None)  # the header line
                for line in handle:
                    fields = line.split()
                    if len(fields) > 3 and fields[3] == LISTEN_STATE:
                        found.add(int(fields[1].rsplit(":", 1)[1], 16))
        except OSError:
            continue
    return found


def proxied_ports() -> set[int]:
    """Return the host ports the proxy serves for any app (nginx holds those itself)."""
    from pydokku.plugins.apps.logic import list_apps
    from pydokku.plugins.ports.logic import port_map

    ports = {80, 443}
    for app in list_apps():
        ports.update(m.host_port for m in port_map(app))
    return ports


def held_by_others(ports: set[int]) -> list[int]:
    """Return which of `ports` another program listens on (not nginx for an app)."""
    busy = listening_ports() & ports
    return sorted(busy - proxied_ports()) if busy else []
