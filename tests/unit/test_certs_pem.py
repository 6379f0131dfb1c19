"""Certificate checks before install, SANs, trust, self-signed generation, tar input."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa

from pydokku.cli.registry import InputText
from pydokku.errors import DokkuError
from pydokku.plugins.certs import inputs, pem
from tests.tls_helpers import expired, make_ca, make_leaf, tar_of


def test_a_good_pair_passes_with_its_details() -> None:
    ca = make_ca("Test Root")
    leaf = make_leaf(["web.example.com", "www.example.com", "10.0.0.1"], ca)
    info, key = pem.check_pair(leaf.cert_pem + ca.cert_pem, leaf.key_pem)
    assert info.hostnames == ["web.example.com", "www.example.com", "10.0.0.1"]
    assert info.subject == "CN=web.example.com"
    assert info.issuer == "CN=Test Root"
    assert info.starts_at < info.expires_at
    assert len(info.chain) == 2
    assert info.chain_pem() == leaf.cert_pem + ca.cert_pem
    assert key.startswith(b"-----BEGIN PRIVATE KEY-----")
    assert len(info.fingerprint) == 64


def test_garbage_certificate_is_refused() -> None:
    leaf = make_leaf(["web.example.com"])
    broken = b"-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n"
    for garbage in (b"", b"hello", broken):
        with pytest.raises(DokkuError, match="is not a PEM certificate"):
            pem.check_pair(garbage, leaf.key_pem)


def test_garbage_key_is_refused() -> None:
    leaf = make_leaf(["web.example.com"])
    with pytest.raises(DokkuError, match="not a PEM private key"):
        pem.check_pair(leaf.cert_pem, b"not a key")
    with pytest.raises(DokkuError, match="not a PEM private key"):
        pem.check_pair(leaf.cert_pem, leaf.cert_pem)


def test_mismatched_key_is_refused() -> None:
    leaf = make_leaf(["web.example.com"])
    other = make_leaf(["web.example.com"])
    with pytest.raises(DokkuError, match="key does not match the certificate"):
        pem.check_pair(leaf.cert_pem, other.key_pem)


def test_expired_certificate_passes_with_a_warning() -> None:
    old = expired(["web.example.com"])
    info, _ = pem.check_pair(old.cert_pem, old.key_pem)
    assert (info.validity_warning() or "").startswith("The certificate expired on 20")
    assert pem.check_pair(*_pair(make_leaf(["web.example.com"])))[0].validity_warning() is None


def _pair(issued: object) -> tuple[bytes, bytes]:
    return issued.cert_pem, issued.key_pem  # type: ignore[attr-defined]


def test_encrypted_key_is_refused() -> None:
    leaf = make_leaf(["web.example.com"])
    locked = leaf.key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"secret"),
    )
    with pytest.raises(DokkuError, match="encrypted"):
        pem.check_pair(leaf.cert_pem, locked)


def test_unsupported_key_type_is_refused() -> None:
    key = dsa.generate_private_key(key_size=2048)
    data = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(DokkuError, match="Unsupported key type"):
        pem.load_key(data)


def test_certificate_without_sans_has_no_hostnames() -> None:
    leaf = make_leaf(["web.example.com"])
    bare = (
        x509.CertificateBuilder()
        .subject_name(leaf.cert.subject)
        .issuer_name(leaf.cert.subject)
        .public_key(leaf.key.public_key())
        .serial_number(1)
        .not_valid_before(leaf.cert.not_valid_before_utc)
        .not_valid_after(leaf.cert.not_valid_after_utc)
        .sign(leaf.key, hashes.SHA256())
    )
    assert pem.subject_alt_names(bare) == []


def test_self_signed_generation() -> None:
    key = pem.new_key()
    crt = pem.self_signed("web.example.com", key)
    info, _ = pem.check_pair(crt, key)
    assert info.hostnames == ["web.example.com"]
    assert info.subject == info.issuer == "CN=web.example.com"
    days = (info.expires_at - info.starts_at).days
    assert days == pem.SELF_SIGNED_DAYS


def test_verified_against_a_ca_file(tmp_path: Path) -> None:
    ca = make_ca()
    bundle = tmp_path / "ca.pem"
    bundle.write_bytes(ca.cert_pem)
    leaf = make_leaf(["web.example.com"], ca)
    assert pem.verified(pem.load_chain(leaf.cert_pem), bundle)
    wildcard = make_leaf(["*.example.com"], ca)
    assert pem.verified(pem.load_chain(wildcard.cert_pem), bundle)
    stranger = make_leaf(["web.example.com"], make_ca("Other CA"))
    assert not pem.verified(pem.load_chain(stranger.cert_pem), bundle)
    self_signed = make_leaf(["web.example.com"])
    assert not pem.verified(pem.load_chain(self_signed.cert_pem), bundle)


def test_verified_uses_intermediates(tmp_path: Path) -> None:
    root = make_ca("Root")
    intermediate = make_ca("Intermediate", issuer=root)
    leaf = make_leaf(["web.example.com"], intermediate)
    bundle = tmp_path / "root.pem"
    bundle.write_bytes(root.cert_pem)
    assert pem.verified(pem.load_chain(leaf.cert_pem + intermediate.cert_pem), bundle)
    assert not pem.verified(pem.load_chain(leaf.cert_pem), bundle)


def test_tar_with_server_files() -> None:
    leaf = make_leaf(["web.example.com"])
    data = tar_of({"server.crt": leaf.cert_pem, "server.key": leaf.key_pem})
    assert inputs.read_tar(data) == (leaf.cert_pem, leaf.key_pem)


def test_tar_with_other_names_in_a_subdirectory() -> None:
    leaf = make_leaf(["web.example.com"])
    data = tar_of({"certs/site.crt": leaf.cert_pem, "certs/site.key": leaf.key_pem})
    assert inputs.read_tar(data) == (leaf.cert_pem, leaf.key_pem)


def test_tar_problems_are_clear() -> None:
    with pytest.raises(DokkuError, match="not a tar archive"):
        inputs.read_tar(b"certainly not a tar" * 100)
    with pytest.raises(DokkuError, match="Give CRT and KEY files"):
        inputs.read_tar(b"")
    with pytest.raises(DokkuError, match=r"holds no \.crt"):
        inputs.read_tar(tar_of({"server.key": b"k"}))
    with pytest.raises(DokkuError, match="holds several"):
        inputs.read_tar(tar_of({"a.crt": b"a", "b.crt": b"b", "server.key": b"k"}))


def test_oversized_file_is_refused() -> None:
    big = InputText("big.crt", "x" * (inputs.MAX_BYTES + 1))
    with pytest.raises(DokkuError, match="larger than"):
        inputs.file_bytes(big, "certificate")
