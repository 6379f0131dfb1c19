"""Pebble, the ACME test server, on loopback for integration tests (started and stopped by PID).

`pebble-challtestsrv` is its DNS, answering 127.0.0.1 for every name, so Pebble validates
HTTP-01 against this host's nginx on port 80 (`httpPort`). Its API listener uses a
certificate from a CA made here (`Pebble.ca_bundle`, for `letsencrypt:set ca-bundle`).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509

from tests.integration.conftest import wait_for
from tests.tls_helpers import make_ca, make_leaf

VALIDITY = 2 * 86400  # seconds: Pebble's certificateValidityPeriod
LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a process this module started, by its PID."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()


@dataclass
class Pebble:
    """A running Pebble: its directory URL, the CA of its API, its management URL."""

    directory: str
    ca_bundle: Path
    management: str
    log: Path

    def _get(self, path: str) -> bytes:
        context = ssl.create_default_context(cafile=str(self.ca_bundle))
        with urllib.request.urlopen(f"{self.management}{path}", context=context) as response:
            return bytes(response.read())

    def root_pem(self) -> bytes:
        """Return the root that signs Pebble's certificates (new at each Pebble start)."""
        return self._get("/roots/0")

    def status_of(self, cert_pem: bytes) -> str:
        """Return Pebble's status of a certificate it issued: Valid or Revoked."""
        serial = format(x509.load_pem_x509_certificate(cert_pem).serial_number, "x")
        data = json.loads(self._get(f"/cert-status-by-serial/{serial}"))
        return str(data["Status"])


@pytest.fixture(name="pebble", scope="module")
def pebble_fixture(installation: None) -> Iterator[Pebble]:
    """Pebble and its DNS on loopback, with short-lived certificates and no random sleeps."""
    binaries = [shutil.which(name) for name in ("pebble", "pebble-challtestsrv")]
    if not all(binaries):
        pytest.fail("Pebble is missing: apt-get install pebble", pytrace=False)
    work = Path(tempfile.mkdtemp(prefix="pydokku-pebble-", dir="/tmp"))
    work.chmod(0o755)
    # letsencrypt:set ca-bundle takes only a file among the host's CA certificates.
    ca_bundle = Path(f"/etc/ssl/certs/pydokku-test-pebble-{work.name}.pem")
    ca = make_ca("pydokku test: Pebble API CA", days=3)
    listener = make_leaf(["localhost", LOOPBACK], ca, days=2)
    (work / "ca.pem").write_bytes(ca.cert_pem)
    (work / "cert.pem").write_bytes(listener.cert_pem)
    (work / "key.pem").write_bytes(listener.key_pem)
    (work / "ca.pem").chmod(0o644)
    shutil.copyfile(work / "ca.pem", ca_bundle)
    ca_bundle.chmod(0o644)  # the dokku user reads it
    acme, management, dns, dns_management = (free_port() for _ in range(4))
    config = {
        "pebble": {
            "listenAddress": f"{LOOPBACK}:{acme}",
            "managementListenAddress": f"{LOOPBACK}:{management}",
            "certificate": str(work / "cert.pem"),
            "privateKey": str(work / "key.pem"),
            "httpPort": 80,
            "tlsPort": 443,
            "ocspResponderURL": "",
            "externalAccountBindingRequired": False,
            "certificateValidityPeriod": VALIDITY,
        }
    }
    (work / "pebble.json").write_text(json.dumps(config))
    log = work / "pebble.log"
    env = {
        **os.environ,
        "PEBBLE_VA_NOSLEEP": "1",
        "PEBBLE_WFE_NONCEREJECT": "0",
        "PEBBLE_AUTHZREUSE": "0",  # every order validates HTTP-01 again
    }
    procs = []
    with (work / "challtestsrv.log").open("wb") as dns_log, log.open("wb") as pebble_log:
        procs.append(
            subprocess.Popen(
                [
                    str(binaries[1]),
                    "-dns01", f"{LOOPBACK}:{dns}",
                    "-http01", "",
                    "-https01", "",
                    "-tlsalpn01", "",
                    "-management", f"{LOOPBACK}:{dns_management}",
                    "-defaultIPv4", LOOPBACK,
                    "-defaultIPv6", "",
                ],
                stdout=dns_log,
                stderr=subprocess.STDOUT,
            )
        )  # fmt: skip
        procs.append(
            subprocess.Popen(
                [
                    str(binaries[0]),
                    "-config", str(work / "pebble.json"),
                    "-dnsserver", f"{LOOPBACK}:{dns}",
                ],
                stdout=pebble_log,
                stderr=subprocess.STDOUT,
                env=env,
            )
        )  # fmt: skip
    pebble = Pebble(
        f"https://{LOOPBACK}:{acme}/dir", ca_bundle, f"https://{LOOPBACK}:{management}", log
    )
    try:
        wait_for(pebble.root_pem, timeout=30, what=log.read_text)
        yield pebble
    finally:
        for proc in reversed(procs):
            stop(proc)
        shutil.rmtree(work, ignore_errors=True)
        ca_bundle.unlink(missing_ok=True)
