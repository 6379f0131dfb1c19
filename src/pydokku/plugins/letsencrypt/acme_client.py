"""Talking ACME (RFC 8555) with the `acme` library: account, order, HTTP-01, revocation.

Import this module lazily: it loads `acme`, `josepy`, `requests` and `cryptography`.
Every failure becomes a DokkuError saying what the ACME server answered.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests
from acme import challenges, client, crypto_util, messages
from acme import errors as acme_errors
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from josepy.jwk import JWKRSA

from pydokku import __version__
from pydokku.errors import DokkuError

NETWORK_TIMEOUT = 30
ORDER_TIMEOUT = 180
ACCOUNT_KEY_BITS = 2048

Publish = Callable[[str, str], None]
Log = Callable[[str], None]


class Account:
    """Who talks to the ACME server: the directory URL, CA bundle, key file and e-mail."""

    def __init__(self, directory: str, key_file: Path, email: str, ca_bundle: str | None) -> None:
        self.directory = directory
        self.key_file = key_file
        self.email = email
        self.ca_bundle = ca_bundle


def issue(
    account: Account, domains: list[str], key_pem: bytes, publish: Publish, log: Log
) -> bytes:
    """Order a certificate for `domains` signed for `key_pem`; return the full chain PEM.

    `publish(token, key_authorization)` must make the HTTP-01 answer reachable at
    `http://DOMAIN/.well-known/acme-challenge/TOKEN` before it returns.
    """
    with _errors(account.directory):
        acme, jwk = _client(account, log)
        csr = crypto_util.make_csr(key_pem, domains)
        order = acme.new_order(csr)
        for authz in order.authorizations:
            if authz.body.status == messages.STATUS_VALID:
                log(f"{authz.body.identifier.value}: already authorized")
                continue
            challenge = _http01(authz)
            response, validation = challenge.response_and_validation(jwk)
            publish(challenge.chall.encode("token"), validation)
            acme.answer_challenge(challenge, response)
            log(f"{authz.body.identifier.value}: HTTP-01 challenge answered")
        deadline = datetime.datetime.now() + datetime.timedelta(seconds=ORDER_TIMEOUT)
        done = acme.poll_and_finalize(order, deadline)
        return str(done.fullchain_pem).encode()


def revoke(account: Account, cert_pem: bytes, log: Log) -> None:
    """Revoke a certificate this account obtained."""
    with _errors(account.directory):
        acme, _ = _client(account, log)
        acme.revoke(x509.load_pem_x509_certificate(cert_pem), 0)


def _client(account: Account, log: Log) -> tuple[client.ClientV2, JWKRSA]:
    jwk = JWKRSA(key=_account_key(account.key_file))
    verify: Any = account.ca_bundle or True  # requests takes a CA bundle path here
    net = client.ClientNetwork(
        jwk, user_agent=f"pydokku/{__version__}", verify_ssl=verify, timeout=NETWORK_TIMEOUT
    )
    directory = client.ClientV2.get_directory(account.directory, net)
    acme = client.ClientV2(directory, net=net)
    registration = messages.NewRegistration.from_data(
        email=account.email, terms_of_service_agreed=True
    )
    try:
        acme.new_account(registration)
        log(f"Registered an ACME account for {account.email}")
    except acme_errors.ConflictError as exc:
        net.account = messages.RegistrationResource(uri=exc.location, body=messages.Registration())
    return acme, jwk


def _account_key(path: Path) -> rsa.RSAPrivateKey:
    """Load the account key, creating it (mode 0600) on first use."""
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise DokkuError(f"The ACME account key {path} is not an RSA key")
        return key
    key = rsa.generate_private_key(public_exponent=65537, key_size=ACCOUNT_KEY_BITS)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fresh = path.with_name(f".{path.name}.{os.getpid()}.new")
    fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    os.replace(fresh, path)
    return key


def _http01(authz: messages.AuthorizationResource) -> messages.ChallengeBody:
    for challenge in authz.body.challenges:
        if isinstance(challenge.chall, challenges.HTTP01):
            return challenge
    domain = authz.body.identifier.value
    raise DokkuError(f"The ACME server offers no HTTP-01 challenge for {domain}")


@contextmanager
def _errors(directory: str) -> Iterator[None]:
    """Turn ACME, TLS and network failures into one clear DokkuError."""
    try:
        yield
    except acme_errors.ValidationError as exc:
        raise DokkuError(f"Validation failed: {_validation_detail(exc)}") from exc
    except acme_errors.TimeoutError as exc:
        raise DokkuError(f"The ACME server did not finish the order in {ORDER_TIMEOUT} s") from exc
    except messages.Error as exc:
        raise DokkuError(f"The ACME server refused: {exc.detail or exc.typ}") from exc
    except requests.exceptions.SSLError as exc:
        raise DokkuError(
            f"Cannot verify the TLS certificate of {directory} "
            "(letsencrypt:set ca-bundle names the CA bundle to trust)"
        ) from exc
    except requests.exceptions.RequestException as exc:
        raise DokkuError(f"Cannot reach the ACME server {directory}: {_short(exc)}") from exc
    except acme_errors.Error as exc:
        raise DokkuError(f"ACME error: {exc}") from exc


def _validation_detail(exc: acme_errors.ValidationError) -> str:
    details = []
    for authz in exc.failed_authzrs:
        for challenge in authz.body.challenges:
            if challenge.error is not None:
                error = challenge.error
                details.append(f"{authz.body.identifier.value}: {error.detail or error.typ}")
    return "; ".join(details) or str(exc)


def _short(exc: Exception) -> str:
    """Return the gist of a network error (`Connection refused`), not urllib3's whole story."""
    import re

    text = str(exc)
    found = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", text)
    if found:
        return found.group(1).strip()
    return text if len(text) < 200 else text[:200] + "..."
