"""`letsencrypt:set` properties: e-mail, ACME server, grace period and CA bundle."""

from __future__ import annotations

import re
from pathlib import Path

from pydokku import paths, properties
from pydokku.errors import DokkuError
from pydokku.properties import PropertySpec
from pydokku.validation import path_in_dirs_problem, resolved_in_dirs

PLUGIN = "letsencrypt"
SERVERS = {
    "default": "https://acme-v02.api.letsencrypt.org/directory",
    "staging": "https://acme-staging-v02.api.letsencrypt.org/directory",
}
DEFAULT_GRACE_PERIOD = str(30 * 24 * 3600)
EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+\Z")
URL_RE = re.compile(r"^https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/%+-]*)?\Z")
# Where root puts CA certificates; a key holder may only pick one of those (readable by
# anyone anyway), never point the ACME client at another host file. Links in
# /etc/ssl/certs lead into /usr/share/ca-certificates.
CA_BUNDLE_DIRS = (
    "/etc/ssl/certs",
    "/usr/local/share/ca-certificates",
    "/usr/share/ca-certificates",
)
# The fingerprint of the certificate letsencrypt installed (not a setting; no report row).
INSTALLED_KEY = "installed-sha256"


def validate_email(value: str) -> str | None:
    """Accept an e-mail address for the ACME account."""
    return None if len(value) <= 254 and EMAIL_RE.match(value) else "expected an e-mail address"


def validate_server(value: str) -> str | None:
    """Accept `default`, `staging` or the https:// URL of an ACME directory.

    A private ACME CA (step-ca, Pebble) on this host or the LAN is allowed; addresses
    that are never an ACME server (cloud metadata at 169.254.169.254, multicast,
    0.0.0.0) are refused, by literal here and after name resolution when used.
    """
    if value in SERVERS:
        return None
    if len(value) > 2048 or not URL_RE.match(value):
        return "expected default, staging or an https:// ACME directory URL"
    return _forbidden_host(value)


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or ""


def _forbidden_host(url: str, resolve: bool = False) -> str | None:
    import ipaddress
    import socket

    host = _host(url)
    addresses = [host]
    if resolve:
        try:
            found = socket.getaddrinfo(host, 443, type=socket.SOCK_STREAM)
            addresses = [str(info[4][0]) for info in found]
        except OSError:
            return None  # the ACME client reports the name error itself
    for address in addresses:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            continue
        if ip.is_link_local or ip.is_multicast or ip.is_unspecified or ip.is_reserved:
            return f"{host} ({address}) is not an address an ACME server can have"
    return None


def validate_ca_bundle(value: str) -> str | None:
    """Accept a PEM CA bundle among the host's public certificates (/etc/ssl/certs/...)."""
    return path_in_dirs_problem(value, CA_BUNDLE_DIRS[:2])


SPECS: list[PropertySpec] = [
    PropertySpec("email", "", validate_email),
    PropertySpec("server", "default", validate_server),
    PropertySpec("graceperiod", DEFAULT_GRACE_PERIOD, properties.validate_positive_int),
    PropertySpec("ca-bundle", "", validate_ca_bundle),
]
_DEFAULTS = {spec.key: spec.default for spec in SPECS}


def value(app: str, key: str) -> str:
    """Return a property's effective value for an app (app, else global, else default)."""
    return properties.resolve(PLUGIN, app, key, _DEFAULTS[key])


def email(app: str) -> str:
    """Return the account e-mail for an app, or raise saying how to set it."""
    found = value(app, "email")
    if not found:
        raise DokkuError(
            "Cannot request a certificate without an e-mail address: "
            f"dokku letsencrypt:set {app} email you@example.com (or --global)"
        )
    return found


def directory_url(app: str) -> str:
    """Return the ACME directory URL the app's certificates come from."""
    server = value(app, "server")
    url = SERVERS.get(server, server)
    problem = validate_server(url) or _forbidden_host(url, resolve=True)
    if problem:
        raise DokkuError(f"Invalid letsencrypt server {url!r}: {problem}")
    return url


def grace_period(app: str) -> int:
    """Return how many seconds before expiry a certificate is renewed."""
    return int(value(app, "graceperiod"))


def ca_bundle(app: str) -> str | None:
    """Return the CA bundle to trust the ACME server with, checked to be readable."""
    path = value(app, "ca-bundle")
    if not path:
        return None
    path = resolved_in_dirs(path, CA_BUNDLE_DIRS, "ca-bundle")
    try:
        Path(path).read_bytes()
    except OSError as exc:
        raise DokkuError(f"Cannot read the ca-bundle {path}: {exc.strerror}") from exc
    return path


def data_dir() -> Path:
    """Return the plugin's private directory (account key, locks), mode 0700."""
    directory = paths.lib_root() / "data" / "letsencrypt" / "--global"
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def account_key_file() -> Path:
    """Return the path of the ACME account key (kept and reused, mode 0600)."""
    return data_dir() / "account.key"


def installed_fingerprint(app: str) -> str | None:
    """Return the fingerprint of the certificate letsencrypt last installed for an app."""
    return properties.get(PLUGIN, app, INSTALLED_KEY)


def remember_installed(app: str, fingerprint: str | None) -> None:
    """Record (or with None, forget) the certificate letsencrypt installed for an app."""
    from pydokku import state

    with state.transaction() as conn:
        conn.execute(
            "DELETE FROM properties WHERE plugin = ? AND app = ? AND key = ?",
            (PLUGIN, app, INSTALLED_KEY),
        )
        if fingerprint:
            conn.execute(
                "INSERT INTO properties (plugin, app, key, value) VALUES (?, ?, ?, ?)",
                (PLUGIN, app, INSTALLED_KEY, fingerprint),
            )
