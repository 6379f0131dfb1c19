"""Which TCP ports a container listens on, read from the kernel's socket tables."""

from __future__ import annotations

from pathlib import Path

LISTEN = "0A"  # the TCP_LISTEN state in /proc/net/tcp
# Docker's embedded DNS listens on 127.0.0.11 at a random port inside every container on a
# user-defined network: that is the engine's socket, never the app's.
DOCKER_DNS = "0B00007F"


def parse_listening(table: str) -> set[int]:
    """Return the ports in LISTEN state of one /proc/net/tcp or tcp6 table."""
    ports = set()
    for line in table.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 4 or fields[3] != LISTEN:
            continue
        address, _, port = fields[1].rpartition(":")
        if address == DOCKER_DNS:
            continue
        try:
            ports.add(int(port, 16))
        except ValueError:
            continue
    return ports


def listening_ports(pid: int) -> set[int]:
    """Return the TCP ports the network namespace of process `pid` listens on.

    Read through /proc on the host, so it works for images without any shell tools;
    an unreadable table (process gone, no permission) counts as no port.
    """
    if pid <= 0:
        return set()
    ports: set[int] = set()
    for table in ("tcp", "tcp6"):
        try:
            ports |= parse_listening(Path(f"/proc/{pid}/net/{table}").read_text())
        except OSError:
            continue
    return ports
