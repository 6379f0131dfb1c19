"""Certificates and keys as PEM: parsing, the checks before install, self-signed generation.

Built on the `cryptography` package; import this module lazily (it loads OpenSSL).
"""

from __future__ import annotations

import datetime
import hashlib
import ssl
import warnings
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from pydokku.errors import DokkuError

SUPPORTED_KEYS = (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey)
SELF_SIGNED_DAYS = 365


class CertInfo:
    """What `certs:report` shows of a certificate chain."""

    def __init__(self, chain: list[x509.Certificate]) -> None:
        self.chain = chain
        leaf = chain[0]
        self.subject = leaf.subject.rfc4514_string()
        self.issuer = leaf.issuer.rfc4514_string()
        self.hostnames = subject_alt_names(leaf)
        self.starts_at = leaf.not_valid_before_utc
        self.expires_at = leaf.not_valid_after_utc
        self.fingerprint = hashlib.sha256(leaf.public_bytes(serialization.Encoding.DER)).hexdigest()

    @property
    def leaf(self) -> x509.Certificate:
        """The server certificate (the first of the chain)."""
        return self.chain[0]

    @property
    def covered_names(self) -> list[str]:
        """The subject's common name and every alternative name, sorted (Dokku's hostnames)."""
        common = [
            str(a.value) for a in self.leaf.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        ]
        return sorted({*common, *self.hostnames})

    def validity_warning(self) -> str | None:
        """Say when the certificate is expired or not valid yet (installed all the same)."""
        moment = now()
        if self.expires_at <= moment:
            return f"The certificate expired on {iso(self.expires_at)}; browsers will refuse it"
        if self.starts_at > moment:
            return f"The certificate is not valid before {iso(self.starts_at)}"
        return None

    def chain_pem(self) -> bytes:
        """Return the chain as normalized PEM, the server certificate first."""
        return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in self.chain)


def now() -> datetime.datetime:
    """Return the current time in UTC."""
    return datetime.datetime.now(datetime.UTC)


def iso(moment: datetime.datetime) -> str:
    """Return a UTC time as ISO 8601 text (seconds), as the state store writes times."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def load_chain(data: bytes, what: str = "The certificate") -> CertInfo:
    """Parse one or more PEM certificates (server certificate first), or raise a clear error."""
    try:
        chain = x509.load_pem_x509_certificates(data)
    except ValueError:
        chain = []
    if not chain:
        raise DokkuError(f"{what} is not a PEM certificate (expected -----BEGIN CERTIFICATE-----)")
    return CertInfo(chain)


def load_key(
    data: bytes,
) -> rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey:
    """Parse an unencrypted PEM private key of a type nginx serves (RSA, ECDSA, Ed25519)."""
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except TypeError as exc:
        raise DokkuError("The key is encrypted: give it without a passphrase") from exc
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise DokkuError(
            "The key is not a PEM private key (-----BEGIN ... PRIVATE KEY-----)"
        ) from exc
    if not isinstance(key, SUPPORTED_KEYS):
        raise DokkuError(f"Unsupported key type {type(key).__name__}: use RSA, ECDSA or Ed25519")
    return key


def check_pair(crt: bytes, key: bytes) -> tuple[CertInfo, bytes]:
    """Check a certificate and key for install; return the info and the normalized key PEM.

    Refuses garbage and a key that does not belong to the certificate, each with a
    message saying which. An expired or not yet valid certificate passes, as in Dokku
    (`CertInfo.validity_warning` says so).
    """
    info = load_chain(crt)
    private = load_key(key)
    if _public_der(private.public_key()) != _public_der(info.leaf.public_key()):
        raise DokkuError("The key does not match the certificate (their public keys differ)")
    normalized = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return info, normalized


def _public_der(public: object) -> bytes:
    return public.public_bytes(  # type: ignore[attr-defined, no-any-return]
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def subject_alt_names(cert: x509.Certificate) -> list[str]:
    """Return the DNS names and IP addresses a certificate is valid for."""
    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    names = [str(n) for n in ext.get_values_for_type(x509.DNSName)]
    return names + [str(ip) for ip in ext.get_values_for_type(x509.IPAddress)]


def new_key() -> bytes:
    """Generate a private key for a server certificate (ECDSA P-256), as PKCS#8 PEM."""
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def self_signed(domain: str, key_pem: bytes, days: int = SELF_SIGNED_DAYS) -> bytes:
    """Return a self-signed certificate for `domain` (a validated name) signed by the key."""
    key = load_key(key_pem)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, domain)])
    start = now() - datetime.timedelta(minutes=5)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(domain)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, None if isinstance(key, ed25519.Ed25519PrivateKey) else hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM)


def system_ca_file() -> Path | None:
    """Return the system CA bundle (`SSL_CERT_FILE` when set), or None."""
    paths = ssl.get_default_verify_paths()
    for candidate in (paths.cafile, paths.openssl_cafile):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def verified(info: CertInfo, ca_file: Path | None = None) -> bool:
    """Tell whether the chain leads to a CA trusted by the system, for a name it covers."""
    from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

    bundle = ca_file or system_ca_file()
    name = _check_name(info.hostnames)
    if bundle is None or name is None:
        return False
    try:
        with warnings.catch_warnings():
            # Some system roots predate RFC 5280 (negative serials); they still verify.
            warnings.simplefilter("ignore", CryptographyDeprecationWarning)
            roots = x509.load_pem_x509_certificates(bundle.read_bytes())
        verifier = PolicyBuilder().store(Store(roots)).build_server_verifier(name)
        verifier.verify(info.leaf, info.chain[1:])
    except (OSError, ValueError, VerificationError):
        return False
    return True


def _check_name(hostnames: list[str]) -> x509.DNSName | x509.IPAddress | None:
    """Return a name to verify the certificate for: a SAN, wildcards made concrete."""
    import ipaddress

    for host in hostnames:
        try:
            return x509.IPAddress(ipaddress.ip_address(host))
        except ValueError:
            pass
        concrete = "pydokku-check." + host[2:] if host.startswith("*.") else host
        try:
            return x509.DNSName(concrete)
        except ValueError:
            continue
    return None
