"""`$DOKKU_ROOT/VHOST` and `$DOKKU_ROOT/HOSTNAME`: the host files Dokku users edit by hand.

As in Dokku, VHOST (one domain a line) is the global domains: when it exists it is what
`domains:report --global` shows and what new apps' default domains derive from, and the
`domains:*-global` commands write it. HOSTNAME (Dokku's web installer wrote it) names the
host: it is read as the global domain only when there is no VHOST, and `domains:set-global`
writes the first domain to it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pydokku import paths
from pydokku.plugins.domains.names import domain_problem


def vhost_path() -> Path:
    """Return `$DOKKU_ROOT/VHOST`."""
    return paths.dokku_root() / "VHOST"


def hostname_path() -> Path:
    """Return `$DOKKU_ROOT/HOSTNAME`."""
    return paths.dokku_root() / "HOSTNAME"


def read_domains(path: Path) -> list[str] | None:
    """Return the valid domains a host file lists, in order (None when it does not exist)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return None
    found: dict[str, None] = {}
    for line in text.splitlines():
        domain = line.strip().lower()
        if domain and domain_problem(domain) is None:
            found.setdefault(domain, None)
    return list(found)


def global_from_files() -> list[str] | None:
    """Return the global domains the host files give (None: no VHOST nor HOSTNAME)."""
    vhost = read_domains(vhost_path())
    if vhost is not None:
        return vhost
    hostname = read_domains(hostname_path())
    return hostname[:1] if hostname else None


def write_global(domains: list[str], *, hostname: bool) -> None:
    """Write VHOST (and HOSTNAME with the first domain, for `domains:set-global`)."""
    _write(vhost_path(), "".join(f"{d}\n" for d in domains))
    if hostname and domains:
        _write(hostname_path(), f"{domains[0]}\n")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(temp, 0o644)  # domains are no secret; nginx and tools read them
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
