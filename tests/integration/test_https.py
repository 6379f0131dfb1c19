"""HTTPS on the real installation: certificates served by nginx, Let's Encrypt against Pebble.

Pebble (tests/integration/pebble.py) validates HTTP-01 for real: it fetches the
challenge from this host's nginx on port 80. The root that signs the certificates it
issues is fetched from its management API and trusted by curl only.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.integration.conftest import (
    DOKKU_BIN,
    DokkuRunner,
    GitPush,
    dokku_env,
    read_json,
    wait_for,
)
from tests.integration.pebble import LOOPBACK, Pebble, free_port, pebble_fixture  # noqa: F401
from tests.tls_helpers import make_ca, make_leaf, tar_of

pytestmark = pytest.mark.integration

DOMAIN_SUFFIX = "pydokku.test"
APP_PY = """\
import os, signal, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Hello(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"hello over " + self.headers.get("X-Forwarded-Proto", "?").encode() + b"\\n"
        self.send_response(200 if self.path == "/" else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
ThreadingHTTPServer(("0.0.0.0", int(os.environ["PORT"])), Hello).serve_forever()
"""
DOCKERFILE = """\
FROM pydokku/base:bookworm
RUN apt-get update \\
 && apt-get install -y --no-install-recommends python3 \\
 && rm -rf /var/lib/apt/lists/*
COPY app.py /app/app.py
CMD ["python3", "/app/app.py"]
"""


@pytest.fixture
def deployed(
    app_name: Callable[[], str],
    make_repo: Callable[[dict[str, str]], Path],
    git_push: GitPush,
    dokku: DokkuRunner,
) -> tuple[str, str]:
    """A deployed app answering `hello over <scheme>`, served as APP.pydokku.test."""
    app = app_name()
    git_push(make_repo({"Dockerfile": DOCKERFILE, "app.py": APP_PY}), app)
    domain = f"{app}.{DOMAIN_SUFFIX}"
    dokku("domains:set", app, domain)
    return app, domain


@pytest.fixture
def readable_dir() -> Iterator[Path]:
    """A temp dir the dokku user can read (certificate files given to `dokku`)."""
    path = Path(tempfile.mkdtemp(prefix="pydokku-certs-", dir="/tmp"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def curl(*args: str) -> subprocess.CompletedProcess[str]:
    """Run curl (loopback only: every name is pinned to 127.0.0.1 by the caller)."""
    argv = ["curl", "-sS", "--max-time", "10", *args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)


def https_get(domain: str, cacert: Path, path: str = "/") -> tuple[int, str]:
    """GET https://DOMAIN/ from nginx on 127.0.0.1:443, verifying the chain with `cacert`."""
    proc = curl(
        "--resolve", f"{domain}:443:{LOOPBACK}",
        "--cacert", str(cacert),
        "-o", "-", "-w", "\n%{http_code}",
        f"https://{domain}{path}",
    )  # fmt: skip
    if proc.returncode != 0:
        return 0, proc.stderr.strip()
    body, _, code = proc.stdout.rpartition("\n")
    return int(code), body


def https_served(domain: str, cacert: Path, body: str = "hello over https") -> Callable[[], bool]:
    """Return a check that nginx steadily serves `body` over verified HTTPS (reloads settle)."""

    def check() -> bool:
        answers = [https_get(domain, cacert) for _ in range(3)]
        return all(code == 200 and text.strip() == body for code, text in answers)

    return check


def http_head(domain: str, path: str = "/") -> tuple[int, str, str]:
    """Return (status, Location, Strict-Transport-Security) for plain HTTP via nginx."""
    proc = curl(
        "-o", "/dev/null", "-D", "-",
        "--resolve", f"{domain}:80:{LOOPBACK}",
        f"http://{domain}{path}",
    )  # fmt: skip
    lines = proc.stdout.splitlines()
    status = int(lines[0].split()[1]) if lines else 0
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    lowered = {k.lower(): v.strip() for k, v in headers.items()}
    return status, lowered.get("location", ""), lowered.get("strict-transport-security", "")


def hsts_of(domain: str, cacert: Path) -> str:
    proc = curl(
        "-o", "/dev/null", "-D", "-",
        "--resolve", f"{domain}:443:{LOOPBACK}",
        "--cacert", str(cacert),
        f"https://{domain}/",
    )  # fmt: skip
    for line in proc.stdout.splitlines():
        if line.lower().startswith("strict-transport-security:"):
            return line.split(":", 1)[1].strip()
    return ""


def crt_of(dokku: DokkuRunner, app: str) -> bytes:
    return dokku("certs:show", app, "crt").stdout.encode()


def test_letsencrypt_issue_renew_revoke_disable(
    deployed: tuple[str, str], pebble: Pebble, dokku: DokkuRunner, tmp_path: Path
) -> None:
    app, domain = deployed
    dokku("letsencrypt:set", app, "email", "ops@pydokku.test")
    dokku("letsencrypt:set", app, "server", pebble.directory)
    dokku("letsencrypt:set", app, "ca-bundle", str(pebble.ca_bundle))
    root = tmp_path / "pebble-root.pem"
    root.write_bytes(pebble.root_pem())

    # Issue: a real HTTP-01 validation by Pebble against nginx on port 80.
    issued = dokku("letsencrypt:enable", app)
    assert f"{domain}: HTTP-01 challenge answered" in issued.stdout
    assert dokku("letsencrypt:active", app).stdout == "true\n"
    wait_for(https_served(domain, root), timeout=20, what=lambda: str(https_get(domain, root)))
    assert not (Path("/home/dokku") / app / "nginx.conf.d" / "letsencrypt.conf").exists()
    status, location, _ = http_head(domain, "/some/path?x=1")
    assert (status, location) == (301, f"https://{domain}/some/path?x=1")
    assert http_head(domain, "/.well-known/acme-challenge/nothing")[0] == 404  # the app's 404
    assert hsts_of(domain, root) == "max-age=15724800; includeSubDomains"
    report = read_json(dokku("certs:report", app, "--format", "json").stdout)
    assert isinstance(report, dict)
    assert report["hostnames"] == domain
    assert report["issuer"].startswith("CN=Pebble Intermediate CA")
    assert dokku("ports:report", app, "--ports-map-detected").stdout.strip() == (
        "http:80:5000 https:443:5000"
    )
    assert dokku("urls", app).stdout.strip() == f"https://{domain}"
    first = crt_of(dokku, app)
    assert pebble.status_of(first) == "Valid"

    # Not due yet (1 hour grace < 2 days validity): nothing happens.
    dokku("letsencrypt:set", app, "graceperiod", "3600")
    assert "before renewal" in dokku("letsencrypt:auto-renew", app).stdout
    assert crt_of(dokku, app) == first
    listing = dokku("letsencrypt:list").stdout
    assert any(line.split()[0] == app for line in listing.splitlines()[1:])

    # Due (grace period longer than the validity): auto-renew orders a new one.
    dokku("letsencrypt:set", app, "graceperiod", str(3 * 86400))
    renewed = dokku("letsencrypt:auto-renew", app)
    assert f"{app} needs renewal" in renewed.stdout
    assert f"{domain}: HTTP-01 challenge answered" in renewed.stdout
    second = crt_of(dokku, app)
    assert second != first
    wait_for(https_served(domain, root), timeout=20)

    # A failed renewal keeps the current certificate serving and says so loudly.
    dokku("letsencrypt:set", app, "server", f"https://{LOOPBACK}:{free_port()}/dir")
    failed = dokku("letsencrypt:auto-renew", app, check=False)
    assert failed.returncode == 1
    assert f" !     RENEWAL FAILED for {app}" in failed.stderr
    assert "keeps serving until it expires at" in failed.stderr
    assert "letsencrypt:renew-failed" in dokku("events:list").stdout
    assert crt_of(dokku, app) == second
    assert dokku("letsencrypt:active", app).stdout == "true\n"
    wait_for(https_served(domain, root), timeout=20)
    dokku("letsencrypt:set", app, "server", pebble.directory)

    # Revoke: Pebble records it; the app is back on plain HTTP.
    dokku("letsencrypt:revoke", app)
    assert pebble.status_of(second) == "Revoked"
    assert dokku("letsencrypt:active", app).stdout == "false\n"
    wait_for(lambda: http_head(domain)[0] == 200, timeout=20)

    # Enable again, then disable: back to plain HTTP.
    dokku("letsencrypt:set", app, "graceperiod", "")
    dokku("letsencrypt:enable", app)
    wait_for(https_served(domain, root), timeout=20)
    dokku("letsencrypt:disable", app)
    assert dokku("letsencrypt:active", app).stdout == "false\n"
    assert dokku("certs:report", app, "--ssl-enabled").stdout == "false\n"
    wait_for(lambda: http_head(domain)[:2] == (200, ""), timeout=20)


def test_self_signed_and_uploaded_certificates_are_served(
    deployed: tuple[str, str], dokku: DokkuRunner, readable_dir: Path, tmp_path: Path
) -> None:
    app, domain = deployed

    dokku("certs:generate", app, domain)
    self_signed = tmp_path / "self-signed.pem"
    self_signed.write_bytes(crt_of(dokku, app))
    wait_for(https_served(domain, self_signed), timeout=20)
    key_mode = dokku("certs:show", app, "key").stdout
    assert key_mode.startswith("-----BEGIN PRIVATE KEY-----")
    tls = Path("/home/dokku") / app / "tls"
    assert (tls / "server.key").stat().st_mode & 0o777 == 0o600
    assert (tls / "server.key").owner() == "dokku"

    # Uploaded: a chain from a CA made here, given as files.
    ca = make_ca("pydokku test: uploaded CA")
    leaf = make_leaf([domain], ca)
    (readable_dir / "server.crt").write_bytes(leaf.cert_pem)
    (readable_dir / "server.key").write_bytes(leaf.key_pem)
    for name in ("server.crt", "server.key"):
        (readable_dir / name).chmod(0o644)
    dokku("certs:add", app, str(readable_dir / "server.crt"), str(readable_dir / "server.key"))
    trusted = tmp_path / "uploaded-ca.pem"
    trusted.write_bytes(ca.cert_pem)
    wait_for(https_served(domain, trusted), timeout=20)
    assert http_head(domain)[:2] == (301, f"https://{domain}/")

    # Each bad input: one clear error, the served certificate stays.
    garbage = readable_dir / "garbage.pem"
    garbage.write_text("not a certificate\n")
    garbage.chmod(0o644)
    stranger = make_leaf([domain], ca)
    (readable_dir / "stranger.key").write_bytes(stranger.key_pem)
    (readable_dir / "stranger.key").chmod(0o644)
    for files, message in (
        ((garbage, readable_dir / "server.key"), "not a PEM certificate"),
        ((readable_dir / "server.crt", readable_dir / "stranger.key"), "does not match"),
    ):
        bad = dokku("certs:update", app, str(files[0]), str(files[1]), check=False)
        assert bad.returncode == 1
        assert message in bad.stderr
    assert crt_of(dokku, app) == leaf.cert_pem
    assert https_served(domain, trusted)()

    # Updated from a tar on stdin (binary: not through the text fixture).
    newer = make_leaf([domain], ca)
    proc = subprocess.run(
        [str(DOKKU_BIN), "certs:update", app],
        input=tar_of({"server.crt": newer.cert_pem, "server.key": newer.key_pem}),
        capture_output=True,
        env=dokku_env(),
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert crt_of(dokku, app) == newer.cert_pem
    wait_for(https_served(domain, trusted), timeout=20)

    dokku("certs:remove", app)
    wait_for(lambda: http_head(domain)[:2] == (200, ""), timeout=20)
    assert https_get(domain, trusted)[0] != 200


def test_cron_job_runs_auto_renew_daily(dokku: DokkuRunner) -> None:
    def crontab() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["crontab", "-u", "dokku", "-l"], capture_output=True, text=True, check=False
        )

    before = crontab()
    try:
        added = dokku("letsencrypt:cron-job", "--add")
        assert "Added the auto-renew job to the crontab of dokku" in added.stdout
        jobs = [line for line in crontab().stdout.splitlines() if "letsencrypt" in line]
        assert jobs == [
            "@daily /opt/pydokku/bin/dokku letsencrypt:auto-renew "
            ">>/var/log/dokku/letsencrypt.log 2>&1"
        ]
        assert dokku("letsencrypt:report", "--global", "--letsencrypt-autorenew").stdout == (
            "true\n"
        )
        # Run exactly what cron runs, as the dokku user, through cron's shell.
        command = jobs[0].removeprefix("@daily ")
        log = Path("/var/log/dokku/letsencrypt.log")
        size = log.stat().st_size if log.exists() else 0
        runuser = shutil.which("runuser") or "/usr/sbin/runuser"
        ran = subprocess.run(
            [runuser, "-u", "dokku", "--", "/bin/sh", "-c", command],
            capture_output=True,
            text=True,
            env={"PATH": "/usr/bin:/bin", "HOME": "/home/dokku"},
            timeout=300,
            check=False,
        )
        assert ran.returncode == 0, log.read_text()[size:]
        assert "Finished auto-renewal" in log.read_text()[size:]
        dokku("letsencrypt:cron-job", "--remove")
        assert "letsencrypt" not in crontab().stdout
    finally:
        if before.returncode == 0:
            subprocess.run(
                ["crontab", "-u", "dokku", "-"], input=before.stdout, text=True, check=False
            )
        else:
            subprocess.run(["crontab", "-u", "dokku", "-r"], capture_output=True, check=False)
