"""Choose the build network on a new host: isolated when it works there, else the host's.

`install.sh` runs `dokku builder:choose-network`: a tiny build resolves the host's
package mirror from BuildKit's isolated network; when that fails but works on the
host network, builds are set to the host network globally, and either way it says which.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from pydokku import engine, output, properties, state
from pydokku.errors import DokkuError
from pydokku.plugins.builder.logic import NETWORK_KEY, PLUGIN
from pydokku.validation import GLOBAL_SCOPE

PROBE_IMAGE = "pydokku/base:bookworm"
_SOURCES = ("/etc/apt/sources.list.d/debian.sources", "/etc/apt/sources.list")
_URL_RE = re.compile(r"(?m)^(?:deb|URIs:)\s.*?https?://([A-Za-z0-9.-]+)")


def mirror_host(sources: tuple[str, ...] = _SOURCES) -> str:
    """Return the host name of the apt mirror this host uses (deb.debian.org if none)."""
    for name in sources:
        try:
            match = _URL_RE.search(Path(name).read_text(encoding="utf-8", errors="replace"))
        except OSError:
            continue
        if match:
            return match.group(1)
    return "deb.debian.org"


def resolves_from(network: str, host: str) -> bool:
    """Tell whether a build on `network` (isolated, host) can resolve `host`."""
    dockerfile = f"FROM {PROBE_IMAGE}\nRUN getent hosts {host}\n"
    with tempfile.TemporaryDirectory(prefix="pydokku-netprobe-") as context:
        (Path(context) / "Dockerfile").write_text(dockerfile, encoding="utf-8")
        try:
            image = engine.build_image(
                context,
                ["pydokku/netprobe:latest"],
                on_line=lambda _: None,
                network=network,
                nocache=True,
            )
        except DokkuError:
            return False
    engine.remove_image(image)
    return True


def choose() -> str:
    """Keep a chosen build network, else pick isolated or host by probing; say which."""
    chosen = properties.get(PLUGIN, GLOBAL_SCOPE, NETWORK_KEY)
    if chosen:
        output.step(f"Builds: network {chosen} (set with builder:set --global {NETWORK_KEY})")
        return chosen
    if not engine.image_exists(PROBE_IMAGE):
        raise DokkuError(f"{PROBE_IMAGE} is missing: run scripts/make-base-image first")
    host = mirror_host()
    if resolves_from("isolated", host):
        output.step(f"Builds: isolated network (RUN steps reach {host}, not host loopback)")
        return "isolated"
    if resolves_from("host", host):
        with state.transaction() as conn:
            properties.store(conn, PLUGIN, GLOBAL_SCOPE, NETWORK_KEY, "host")
        output.step(
            f"Builds: host network (an isolated build cannot reach {host}); "
            f"RUN steps can reach host loopback; see docs/builders.md"
        )
        return "host"
    output.step(f"Builds: isolated network ({host} is unreachable from builds on either network)")
    return "isolated"
