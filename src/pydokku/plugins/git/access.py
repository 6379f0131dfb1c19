"""How the dokku user reaches private repositories: .netrc entries, known hosts, deploy key.

All three live under the Dokku root (the dokku user's home): `.netrc` (mode 0600),
`.ssh/known_hosts` and `.ssh/id_ed25519`.
"""

from __future__ import annotations

import os
import re
import socket
import tempfile
from pathlib import Path

from pydokku import paths, runner
from pydokku.errors import DokkuError

HOST_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?\Z")
TOKEN_MAX = 1024
KEYSCAN_TIMEOUT_S = 10
KEY_TYPES = "ed25519,ecdsa,rsa"
DEPLOY_KEYS = ("id_ed25519", "id_rsa")


def validate_host(host: str) -> str:
    """Return `host` if it is a plain host name or IPv4 address, else raise."""
    if not HOST_RE.match(host) or ".." in host:
        raise DokkuError(f"Invalid git host {host[:80]!r}: expected a name such as github.com")
    return host


def _validate_token(what: str, value: str) -> str:
    bad = any(ch.isspace() or ord(ch) < 0x20 or ch in "\"'\\#" for ch in value)
    if not value or len(value) > TOKEN_MAX or bad:
        raise DokkuError(f"Invalid {what}: no spaces, quotes, backslashes or # in a .netrc entry")
    return value


def netrc_path() -> Path:
    """Return the dokku user's .netrc."""
    return paths.dokku_root() / ".netrc"


def read_netrc() -> dict[str, tuple[str, str]]:
    """Return the `machine` entries of the .netrc: host -> (login, password)."""
    try:
        words = netrc_path().read_text(encoding="utf-8").split()
    except FileNotFoundError:
        return {}
    entries: dict[str, tuple[str, str]] = {}
    host, fields = "", dict[str, str]()
    for key, value in zip(words[::2], words[1::2], strict=False):
        if key == "machine":
            if host:
                entries[host] = (fields.get("login", ""), fields.get("password", ""))
            host, fields = value, {}
        else:
            fields[key] = value
    if host:
        entries[host] = (fields.get("login", ""), fields.get("password", ""))
    return entries


def check_entry(host: str, user: str, password: str) -> None:
    """Raise unless (host, user, password) can be written to a .netrc (no user: removal)."""
    validate_host(host)
    if user:
        _validate_token("user name", user)
        if not password:
            raise DokkuError("Missing password for netrc auth entry")
        _validate_token("password", password)


def set_auth(host: str, user: str, password: str) -> None:
    """Store (or with no user, remove) the .netrc entry of `host`."""
    check_entry(host, user, password)
    entries = read_netrc()
    if user:
        entries[host] = (user, password)
    else:
        entries.pop(host, None)
    text = "".join(f"machine {h} login {u} password {p}\n" for h, (u, p) in sorted(entries.items()))
    _write_private(netrc_path(), text)


def auth_matches(host: str, user: str, password: str) -> bool:
    """Tell whether the .netrc entry of `host` is (user, password), or absent when no user."""
    current = read_netrc().get(validate_host(host))
    return current is None if not user else current == (user, password)


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".netrc.", dir=path.parent)  # created 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def known_hosts_path() -> Path:
    """Return the dokku user's known_hosts."""
    return paths.dokku_root() / ".ssh" / "known_hosts"


def allow_host(host: str) -> int:
    """Add the SSH host keys of `host` to known_hosts; return how many were new."""
    validate_host(host)
    argv = ["ssh-keyscan", "-T", str(KEYSCAN_TIMEOUT_S), "-t", KEY_TYPES, "--", host]
    proc = runner.run(argv, check=False, timeout=KEYSCAN_TIMEOUT_S * 4)
    keys = [line for line in proc.stdout.splitlines() if line and not line.startswith("#")]
    if not keys:
        raise DokkuError(f"Could not read the SSH host keys of {host}")
    path = known_hosts_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    known = set(path.read_text(encoding="utf-8").splitlines()) if path.exists() else set()
    new = [key for key in keys if key not in known]
    with path.open("a", encoding="utf-8") as handle:
        handle.writelines(f"{key}\n" for key in new)
    return len(new)


def deploy_public_key() -> str:
    """Return the deploy public key, or '' when none was generated."""
    for name in DEPLOY_KEYS:
        path = paths.dokku_root() / ".ssh" / f"{name}.pub"
        if path.is_file():
            return path.read_text(encoding="utf-8").strip()
    return ""


def generate_deploy_key() -> bool:
    """Create an ed25519 deploy key for the dokku user; False if one already exists."""
    if deploy_public_key():
        return False
    directory = paths.dokku_root() / ".ssh"
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    comment = f"dokku@{socket.gethostname()}"
    key = directory / DEPLOY_KEYS[0]
    runner.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(key)])
    return True
