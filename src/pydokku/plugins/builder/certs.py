"""Carry the host's extra CA certificates and proxy variables into image builds.

Hosts behind a TLS-inspecting proxy install the proxy's CA under
/usr/local/share/ca-certificates/; a build that downloads packages (pip, npm,
go, bundler) must trust it too. `builder:set --global ca-certificates
true|false` switches this; it is on by default when the host has such files.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydokku import output, properties

PLUGIN = "builder"
KEY = "ca-certificates"
CA_DIR = Path("/usr/local/share/ca-certificates")
_BEGIN = "-----BEGIN CERTIFICATE-----"
_END = "-----END CERTIFICATE-----"
# Docker's predefined build args: passed without an ARG line, kept out of the image history.
PROXY_VARS = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "FTP_PROXY",
    "NO_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "ftp_proxy",
    "no_proxy",
    "all_proxy",
)


def ca_dir() -> Path:
    """Return the directory of the host's extra CA certificates (`PYDOKKU_CA_DIR` for tests)."""
    return Path(os.environ.get("PYDOKKU_CA_DIR") or CA_DIR)


def host_ca_files(directory: Path | None = None) -> list[Path]:
    """Return the host's extra CA certificate files (`*.crt`, as update-ca-certificates reads)."""
    root = directory or ca_dir()
    try:
        return sorted(p for p in root.rglob("*.crt") if p.is_file())
    except OSError:
        return []


def default_enabled() -> str:
    """Return the default of `ca-certificates`: true when the host has extra CA files."""
    return "true" if host_ca_files() else "false"


def enabled(app: str) -> bool:
    """Tell whether builds of the app carry the host's extra CA certificates."""
    return properties.resolve(PLUGIN, app, KEY, default_enabled()) == "true"


def pem_blocks(text: str) -> list[str]:
    """Return the PEM certificate blocks in a text (anything between them is dropped)."""
    blocks: list[str] = []
    current: list[str] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if line == _BEGIN:
            current = [line]
        elif current is not None:
            current.append(line)
            if line == _END:
                blocks.append("\n".join(current))
                current = None
    return blocks


def bundle(files: list[Path]) -> str:
    """Return the certificates of `files` as one PEM text; unreadable files are reported."""
    blocks: list[str] = []
    for path in files:
        try:
            text = path.read_text(encoding="ascii", errors="replace")
        except OSError as exc:
            output.warn(f"Cannot read the CA certificate {path}: {exc.strerror}")
            continue
        blocks += [b for b in pem_blocks(text) if b not in blocks]
    return "\n".join(blocks) + "\n" if blocks else ""


def build_bundle(app: str) -> str:
    """Return the PEM text to trust in the app's builds, or '' when carrying is off."""
    return bundle(host_ca_files()) if enabled(app) else ""


def proxy_args(environ: dict[str, str] | None = None) -> dict[str, str]:
    """Return the proxy variables set in the environment, as build args."""
    env = os.environ if environ is None else environ
    return {name: env[name] for name in PROXY_VARS if env.get(name)}
