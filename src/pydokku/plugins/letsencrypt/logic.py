"""Let's Encrypt for apps: issue, renew, revoke and drop certificates (ACME HTTP-01).

A certificate is ordered for the app's domains while nginx serves the challenge
answers (`challenge.py`), then installed through the certs plugin. Letsencrypt is
"active" for an app while the certificate it installed is the one the app serves.
A failed renewal leaves the current certificate in place and says so loudly.
"""

from __future__ import annotations

import datetime
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager

from pydokku import output, state
from pydokku.errors import DokkuError
from pydokku.plugins.certs import logic as certs
from pydokku.plugins.letsencrypt import settings


def fingerprint(data: bytes) -> str:
    """Return the SHA-256 of an installed certificate file."""
    return hashlib.sha256(data).hexdigest()


def is_active(app: str) -> bool:
    """Tell whether the app serves the certificate letsencrypt installed for it."""
    stored = settings.installed_fingerprint(app)
    if not stored or not certs.has_cert(app):
        return False
    try:
        return fingerprint(certs.cert_path(app).read_bytes()) == stored
    except OSError:
        return False


def expiry(app: str) -> datetime.datetime | None:
    """Return when the app's letsencrypt certificate expires (None when not active)."""
    return certs.info(app).expires_at if is_active(app) else None


def renewal_time(app: str) -> datetime.datetime | None:
    """Return when the app's certificate is due for renewal (expiry minus the grace period)."""
    expires = expiry(app)
    if expires is None:
        return None
    return expires - datetime.timedelta(seconds=settings.grace_period(app))


def active_apps() -> list[str]:
    """Return the apps letsencrypt is active for, the most urgent renewal first."""
    from pydokku.plugins.apps.logic import list_apps

    due = {app: renewal_time(app) for app in list_apps()}
    found = [(when, app) for app, when in due.items() if when is not None]
    return [app for _, app in sorted(found)]


def cert_domains(app: str) -> list[str]:
    """Return the app's domains HTTP-01 can validate (wildcards and IPs are left out)."""
    from pydokku.plugins.domains.logic import app_vhosts, vhost_enabled
    from pydokku.plugins.domains.names import is_ipv4, is_wildcard

    if not vhost_enabled(app):
        raise DokkuError(f"Domains are disabled for {app}: run `dokku domains:enable {app}`")
    names = app_vhosts(app)
    usable = [d for d in names if not is_wildcard(d) and not is_ipv4(d)]
    for skipped in (d for d in names if d not in usable):
        output.warn(f"Skipping {skipped}: HTTP-01 validates neither wildcards nor IP addresses")
    if not usable:
        raise DokkuError(
            f"{app} has no domain to get a certificate for: dokku domains:add {app} NAME"
        )
    return usable


def renewal_reason(app: str, domains: list[str]) -> str | None:
    """Return why the app needs a new certificate, or None while its current one is good."""
    from pydokku.plugins.certs.pem import iso, now

    if not is_active(app):
        return "no Let's Encrypt certificate yet"
    cert = certs.info(app)
    if set(cert.hostnames) != set(domains):
        return "the domains changed"
    due = cert.expires_at - datetime.timedelta(seconds=settings.grace_period(app))
    if due <= now():
        return f"it expires {iso(cert.expires_at)}, within the grace period"
    return None


def check_served(app: str) -> None:
    """Raise unless nginx serves the app on port 80 (where HTTP-01 validation arrives)."""
    from pydokku.plugins.nginx.render import config_path
    from pydokku.plugins.ports.logic import port_map
    from pydokku.plugins.proxy.logic import is_enabled

    if not is_enabled(app):
        raise DokkuError(f"The proxy of {app} is disabled: HTTP-01 needs nginx in front of it")
    if not config_path(app).exists():
        raise DokkuError(f"{app} has no nginx config yet: deploy it first")
    if not any(m.scheme == "http" and m.host_port == 80 for m in port_map(app)):
        raise DokkuError(
            f"{app} does not listen on port 80, where HTTP-01 validation arrives: "
            f"dokku ports:add {app} http:80:PORT"
        )


def enable(app: str, force: bool = False) -> bool:
    """Get (or renew) the app's certificate when needed; tell whether one was installed."""
    from pydokku.plugins.apps.logic import require_app
    from pydokku.plugins.certs.pem import iso

    require_app(app)
    email = settings.email(app)
    domains = cert_domains(app)
    reason = "forced" if force else renewal_reason(app, domains)
    if reason is None:
        cert = certs.info(app)
        due = cert.expires_at - datetime.timedelta(seconds=settings.grace_period(app))
        output.step(
            f"The certificate of {app} is valid until {iso(cert.expires_at)}; nothing to do"
        )
        output.verbose(f"It is renewed from {iso(due)} on (or now with --force)")
        return False
    check_served(app)
    renewing = is_active(app)
    with _app_lock(app):
        try:
            _obtain(app, email, domains, reason, renewing)
        except DokkuError as exc:
            if renewing:
                renewal_failed(app, exc.message)
            raise
    return True


def _obtain(app: str, email: str, domains: list[str], reason: str, renewing: bool) -> None:
    from pydokku.plugins.certs.pem import iso, new_key
    from pydokku.plugins.letsencrypt import acme_client, challenge

    account = acme_client.Account(
        settings.directory_url(app), settings.account_key_file(), email, settings.ca_bundle(app)
    )
    output.step(f"Getting a certificate for {' '.join(domains)} ({reason})")
    output.verbose(f"ACME server: {account.directory}")
    key = new_key()
    with challenge.serving(app, domains) as publish:
        chain = acme_client.issue(account, domains, key, publish, output.verbose)
    action = "letsencrypt:renew" if renewing else "letsencrypt:enable"
    cert = certs.install(app, chain, key, action=action)
    settings.remember_installed(app, fingerprint(certs.cert_path(app).read_bytes()))
    output.step(f"Installed the certificate of {app}, valid until {iso(cert.expires_at)}")


def renewal_failed(app: str, message: str) -> None:
    """Say loudly (stderr and an event) that a renewal failed and the old certificate stays."""
    from pydokku.plugins.certs.pem import iso

    expires = expiry(app)
    until = f"until it expires at {iso(expires)}" if expires else "for now"
    output.warn(f"RENEWAL FAILED for {app}: {message}")
    output.warn(f"The current certificate of {app} keeps serving {until}")
    with state.transaction() as conn:
        state.record_event(conn, app, "letsencrypt:renew-failed", message)


def disable(app: str) -> bool:
    """Remove the app's letsencrypt certificate (back to plain HTTP); tell whether it had one."""
    if not is_active(app):
        return False
    certs.remove(app, action="letsencrypt:disable")
    settings.remember_installed(app, None)
    return True


def revoke(app: str) -> None:
    """Revoke the app's letsencrypt certificate at the ACME server, then remove it."""
    from pydokku.plugins.letsencrypt import acme_client

    if not is_active(app):
        raise DokkuError(f"Let's Encrypt is not active for {app}: nothing to revoke")
    account = acme_client.Account(
        settings.directory_url(app),
        settings.account_key_file(),
        settings.email(app),
        settings.ca_bundle(app),
    )
    acme_client.revoke(account, certs.cert_path(app).read_bytes(), output.verbose)
    certs.remove(app, action="letsencrypt:revoke")
    settings.remember_installed(app, None)


def auto_renew(apps: list[str]) -> list[str]:
    """Renew the certificates of `apps` that are due, most urgent first; return the failures."""
    from pydokku.plugins.certs.pem import now

    failed = []
    for app in apps:
        due = renewal_time(app)
        if due is None:
            output.verbose(f"Let's Encrypt is not active for {app}")
            continue
        if due > now():
            output.verbose(f"{app} still has {timediff(due - now())} before renewal")
            continue
        output.step(f"{app} needs renewal")
        try:
            enable(app)
        except DokkuError:
            failed.append(app)  # enable() said so loudly already
    return failed


def list_rows() -> list[tuple[str, str, str, str]]:
    """Return (app, expiry, time before expiry, time before renewal) of every active app."""
    from pydokku.plugins.certs.pem import now

    rows = []
    for app in active_apps():
        expires, due = expiry(app), renewal_time(app)
        if expires is None or due is None:
            continue
        when = expires.strftime("%Y-%m-%d %H:%M:%S")
        rows.append((app, when, timediff(expires - now()), timediff(due - now())))
    return rows


def timediff(delta: datetime.timedelta) -> str:
    """Return a duration as `12d, 3h, 4m, 5s` (`... ago` when negative), as Dokku prints it."""
    seconds = int(delta.total_seconds())
    past, seconds = seconds < 0, abs(seconds)
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    text = ", ".join(parts) or "0s"
    return f"{text} ago" if past else text


def report_rows(app: str) -> list[tuple[str, str]]:
    """Return the computed `letsencrypt:report` rows: active, autorenew and expiration."""
    from pydokku.plugins.certs.pem import iso
    from pydokku.plugins.letsencrypt import cron
    from pydokku.validation import GLOBAL_SCOPE

    autorenew = ("autorenew", "true" if cron.installed() else "false")
    if app == GLOBAL_SCOPE:
        return [autorenew]
    expires = expiry(app)
    active = "true" if expires else "false"
    return [("active", active), autorenew, ("expiration", iso(expires) if expires else "")]


def cleanup(app: str) -> list[str]:
    """Remove what interrupted orders of the app left behind; return what was removed.

    Dokku's plugin keeps one directory per certificate config and removes the stale
    ones; pydokku keeps no such directories, so what can go stale is the challenge
    answers and the nginx challenge include of an order that was killed mid-way. Done
    under the app's lock, so a running order is never touched.
    """
    import shutil

    from pydokku.plugins.letsencrypt import challenge

    removed = []
    with _app_lock(app):
        root = challenge.webroot(app)
        if root.is_dir() and any(root.iterdir()):
            shutil.rmtree(root)
            removed.append(str(root))
        if challenge.include_path(app).exists():
            challenge.remove_include(app)
            removed.append(str(challenge.include_path(app)))
    return removed


def forget(app: str) -> None:
    """Remove what the plugin keeps for a destroyed app (challenge dir, lock file)."""
    import shutil

    from pydokku.plugins.letsencrypt.challenge import webroot

    shutil.rmtree(webroot(app), ignore_errors=True)
    (settings.data_dir() / f"{app}.lock").unlink(missing_ok=True)


@contextmanager
def _app_lock(app: str) -> Iterator[None]:
    """Hold the app's letsencrypt lock: one order per app at a time (cron and a user)."""
    import fcntl

    fd = os.open(settings.data_dir() / f"{app}.lock", os.O_RDONLY | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise DokkuError(f"Another letsencrypt run for {app} is in progress") from exc
        yield
    finally:
        os.close(fd)
