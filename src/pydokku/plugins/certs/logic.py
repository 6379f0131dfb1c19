"""An app's TLS certificate: `$DOKKU_ROOT/APP/tls/server.crt` and `server.key`.

A certificate is checked completely (PEM, key matches, not expired) before any file
is written, files are swapped under the nginx lock, and the proxy config is rebuilt;
if nginx refuses the result, the previous files come back. So one app's bad
certificate never stops nginx from loading for the others.

This module stays light (the `cryptography` package loads in `pem` when needed):
the nginx renderer and the port map ask `has_cert` on every rebuild.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from pydokku import output, paths, state
from pydokku.errors import DokkuError

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from pydokku.plugins.certs.pem import CertInfo

PLUGIN = "certs"
CRT = "server.crt"
KEY = "server.key"
DOKKU_USER = "dokku"
# Apps whose config is being rebuilt as if they had no certificate (certs:remove).
_hidden: set[str] = set()


def tls_dir(app: str) -> Path:
    """Return the directory of an app's certificate (`$DOKKU_ROOT/APP/tls`)."""
    return paths.app_dir(app) / "tls"


def cert_path(app: str) -> Path:
    """Return the path of an app's certificate chain."""
    return tls_dir(app) / CRT


def key_path(app: str) -> Path:
    """Return the path of an app's private key."""
    return tls_dir(app) / KEY


def has_cert(app: str) -> bool:
    """Tell whether the app has a certificate and key (so its proxy serves HTTPS)."""
    return app not in _hidden and cert_path(app).is_file() and key_path(app).is_file()


def tls_files(app: str) -> tuple[Path, Path] | None:
    """Return (certificate, key) paths when the app has a certificate, else None."""
    return (cert_path(app), key_path(app)) if has_cert(app) else None


def require_cert(app: str) -> None:
    """Raise unless the app has a certificate."""
    if not has_cert(app):
        raise DokkuError(f"{app} has no certificate (add one with certs:add or certs:generate)")


def info(app: str) -> CertInfo:
    """Return what the app's installed certificate says."""
    from pydokku.plugins.certs import pem

    require_cert(app)
    return pem.load_chain(cert_path(app).read_bytes(), f"The certificate of {app}")


def install(app: str, crt: bytes, key: bytes, action: str = "certs:add") -> CertInfo:
    """Check a certificate and key, install them, and rebuild the app's proxy config."""
    from pydokku.plugins.certs import pem
    from pydokku.plugins.ports import logic as ports

    cert, key_pem = pem.check_pair(crt, key)
    warning = cert.validity_warning()
    if warning:
        output.warn(warning)
    previous = _swap(app, {CRT: cert.chain_pem(), KEY: key_pem})
    added = ports.add_tls_mappings(app)
    try:
        _refresh_proxy(app)
    except DokkuError as exc:
        _swap(app, previous)
        ports.drop_tls_mappings(app, added)
        raise DokkuError(f"{exc.message}; the previous certificate state was restored") from exc
    with state.transaction() as conn:
        detail = f"{' '.join(cert.hostnames) or cert.subject} expires {pem.iso(cert.expires_at)}"
        state.record_event(conn, app, action, detail)
    return cert


def remove(app: str, action: str = "certs:remove") -> None:
    """Remove the app's certificate: its proxy config drops HTTPS first, then the files go."""
    from pydokku.plugins.ports import logic as ports

    require_cert(app)
    ports.drop_tls_mappings(app)
    with _without_cert(app):
        _refresh_proxy(app)
        _swap(app, {CRT: None, KEY: None})
    with suppress(OSError):
        tls_dir(app).rmdir()  # unless other files live there
    with state.transaction() as conn:
        state.record_event(conn, app, action)


def generate(app: str, domain: str) -> CertInfo:
    """Install a new key and a self-signed certificate for `domain` (validated here)."""
    from pydokku.plugins.certs import pem
    from pydokku.plugins.domains.names import is_wildcard, normalize_domain

    name = normalize_domain(domain)
    if is_wildcard(name):
        raise DokkuError(f"Cannot generate a certificate for the wildcard {name}")
    key = pem.new_key()
    return install(app, pem.self_signed(name, key), key, action="certs:generate")


def show(app: str, which: str) -> str:
    """Return the app's certificate (`crt`) or key (`key`) as PEM text."""
    require_cert(app)
    path = {"crt": cert_path(app), "key": key_path(app)}.get(which)
    if path is None:
        raise DokkuError(f"Expected crt or key, not {which!r}")
    return path.read_text()


def report_rows(app: str) -> list[tuple[str, str]]:
    """Return the `certs:report` rows (Dokku's `--ssl-*` flags)."""
    from pydokku.validation import GLOBAL_SCOPE

    if app == GLOBAL_SCOPE:
        return []
    rows = {"dir": str(tls_dir(app)), "enabled": "false"}
    rows.update(dict.fromkeys(("hostnames", "expires-at", "issuer", "starts-at", "subject"), ""))
    rows["verified"] = "false"
    if has_cert(app):
        from pydokku.plugins.certs import pem

        try:
            cert = info(app)
        except DokkuError as exc:
            output.warn(exc.message)
            return list(rows.items())
        rows.update(
            {
                "enabled": "true",
                "hostnames": " ".join(cert.covered_names),
                "expires-at": pem.iso(cert.expires_at),
                "issuer": cert.issuer,
                "starts-at": pem.iso(cert.starts_at),
                "subject": cert.subject,
                "verified": "true" if pem.verified(cert) else "false",
            }
        )
    return list(rows.items())


@contextmanager
def _without_cert(app: str) -> Iterator[None]:
    """Render the app's proxy config as if it had no certificate, within the block."""
    _hidden.add(app)
    try:
        yield
    finally:
        _hidden.discard(app)


def _swap(app: str, contents: dict[str, bytes | None]) -> dict[str, bytes | None]:
    """Replace the app's TLS files (None removes one) under the nginx lock; return the old."""
    from pydokku.plugins.nginx import control

    directory = tls_dir(app)
    with control.lock():
        previous = {name: _read(directory / name) for name in contents}
        if any(data is not None for data in contents.values()):
            directory.mkdir(mode=0o750, parents=True, exist_ok=True)
            _own(directory)
        for name, data in contents.items():
            _write(directory / name, data)
    return previous


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _write(path: Path, data: bytes | None) -> None:
    """Atomically replace `path` with `data` (mode 0600), or remove it when None."""
    if data is None:
        path.unlink(missing_ok=True)
        return
    fresh = path.with_name(f".{path.name}.{os.getpid()}.new")
    fresh.unlink(missing_ok=True)
    fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    _own(fresh)
    os.replace(fresh, path)


def _own(path: Path) -> None:
    """Give a file to the dokku user when root writes it into a dokku-owned app directory."""
    if os.geteuid() != 0:
        return
    import pwd

    try:
        user = pwd.getpwnam(DOKKU_USER)
        owner = paths.dokku_root().stat().st_uid
    except (KeyError, OSError):
        return
    if owner == user.pw_uid:
        os.chown(path, user.pw_uid, user.pw_gid)


def _refresh_proxy(app: str) -> None:
    """Rebuild the app's proxy config if it runs, or if a config of it is already loaded."""
    from pydokku.plugins.nginx import render
    from pydokku.plugins.proxy import logic as proxy

    if proxy.rebuild_if_running(app):
        return
    if proxy.is_enabled(app) and render.config_path(app).exists():
        proxy.build_config(app)
