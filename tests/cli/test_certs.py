"""certs:* and ports:* commands end to end on temp roots (nginx pointed nowhere).

Certificates are made in-test with `cryptography`; every refused input leaves the
installed certificate (or its absence) exactly as it was.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.cli.test_domains import IsolatedDokku
from tests.conftest import Dokku, Result
from tests.report_json import short_keys
from tests.tls_helpers import Issued, make_ca, make_leaf, tar_of


@pytest.fixture
def dokku(tmp_path: Path) -> Dokku:
    """A `dokku` runner on temp roots, with nginx pointed nowhere."""
    return IsolatedDokku(tmp_path)


def write_pair(base: Path, issued: Issued, name: str = "server") -> tuple[str, str]:
    crt, key = base / f"{name}.crt", base / f"{name}.key"
    crt.write_bytes(issued.cert_pem)
    key.write_bytes(issued.key_pem)
    return str(crt), str(key)


def run_bytes(dokku: Dokku, stdin: bytes, *args: str) -> Result:
    """Run `dokku ARGS` with binary stdin (a tar)."""
    proc = subprocess.run(
        dokku.argv(args), input=stdin, capture_output=True, env=dokku.env(), timeout=60, check=False
    )
    return Result(proc.returncode, proc.stdout.decode(), proc.stderr.decode())


def tls_files(dokku: Dokku, app: str) -> dict[str, bytes]:
    tls = dokku.root / app / "tls"
    return {p.name: p.read_bytes() for p in sorted(tls.iterdir())} if tls.exists() else {}


def report(dokku: Dokku, app: str) -> dict[str, str]:
    data: dict[str, str] = json.loads(dokku.ok("certs:report", app, "--format", "json").stdout)
    return data


def test_add_from_files_stores_0600_and_reports(dokku: Dokku, app: str, tmp_path: Path) -> None:
    ca = make_ca("Test CA")
    leaf = make_leaf(["myapp.example.com", "www.example.com"], ca)
    result = dokku.ok("certs:add", app, *write_pair(tmp_path, leaf))
    assert "-----> Adding the certificate of myapp" in result.stdout
    tls = dokku.root / app / "tls"
    assert (tls / "server.key").stat().st_mode & 0o777 == 0o600
    assert (tls / "server.crt").read_bytes() == leaf.cert_pem
    data = report(dokku, app)
    assert data["enabled"] == "true"
    assert data["hostnames"] == "myapp.example.com www.example.com"
    assert data["subject"] == "CN=myapp.example.com"
    assert data["issuer"] == "CN=Test CA"
    assert data["verified"] == "false"
    assert data["dir"] == str(tls)
    assert data["expires-at"].endswith("Z")
    assert dokku.ok("certs:report", app, "--ssl-enabled").stdout == "true\n"
    text = dokku.ok("certs:report", app).stdout
    assert "=====> myapp ssl information" in text
    assert "Ssl hostnames:" in text


def test_verified_when_the_chain_reaches_a_trusted_ca(
    dokku: Dokku, app: str, tmp_path: Path
) -> None:
    ca = make_ca("Trusted CA")
    leaf = make_leaf(["myapp.example.com"], ca)
    dokku.ok("certs:add", app, *write_pair(tmp_path, leaf))
    bundle = tmp_path / "trusted.pem"
    bundle.write_bytes(ca.cert_pem)
    result = dokku.ok("certs:report", app, "--ssl-verified", env={"SSL_CERT_FILE": str(bundle)})
    assert result.stdout == "true\n"


def test_add_from_a_tar_on_stdin(dokku: Dokku, app: str) -> None:
    leaf = make_leaf(["myapp.example.com"])
    result = run_bytes(
        dokku,
        tar_of({"server.crt": leaf.cert_pem, "server.key": leaf.key_pem}),
        "certs:add",
        app,
    )
    assert result.rc == 0, result.stderr
    assert tls_files(dokku, app)["server.crt"] == leaf.cert_pem


def test_update_replaces_and_show_prints(dokku: Dokku, app: str, tmp_path: Path) -> None:
    first, second = make_leaf(["a.example.com"]), make_leaf(["b.example.com"])
    dokku.ok("certs:add", app, *write_pair(tmp_path, first, "first"))
    result = dokku.ok("certs:update", app, *write_pair(tmp_path, second, "second"))
    assert "Updating the certificate" in result.stdout
    assert dokku.ok("certs:show", app, "crt").stdout.encode() == second.cert_pem
    key = dokku.ok("certs:show", app, "key").stdout
    assert key.startswith("-----BEGIN PRIVATE KEY-----")
    assert report(dokku, app)["hostnames"] == "b.example.com"
    events = dokku.ok("events:list").stdout
    assert "certs:add" in events
    assert "certs:update" in events


def test_generate_self_signed(dokku: Dokku, app: str) -> None:
    result = dokku.ok("certs:generate", app, "MyApp.Example.com")
    assert "Self-signed certificates are not trusted" in result.stderr
    data = report(dokku, app)
    assert data["hostnames"] == "myapp.example.com"
    assert data["issuer"] == data["subject"] == "CN=myapp.example.com"


@pytest.mark.parametrize("domain", ["*.example.com", "bad domain", "x;y", ""])
def test_generate_refuses_bad_domains(dokku: Dokku, app: str, domain: str) -> None:
    result = dokku("certs:generate", app, domain)
    assert result.rc == 1
    assert tls_files(dokku, app) == {}


def test_remove(dokku: Dokku, app: str) -> None:
    dokku.ok("certs:generate", app, "myapp.example.com")
    dokku.ok("certs:remove", app)
    assert not (dokku.root / app / "tls").exists()
    assert report(dokku, app)["enabled"] == "false"
    result = dokku("certs:remove", app)
    assert result.rc == 1
    assert "has no certificate" in result.stderr


def bad_inputs(tmp_path: Path) -> dict[str, tuple[tuple[str, str], str]]:
    good = make_leaf(["myapp.example.com"])
    stranger = make_leaf(["myapp.example.com"])
    garbage = tmp_path / "garbage.txt"
    garbage.write_text("this is not a certificate\n")
    crt, key = write_pair(tmp_path, good, "good")
    return {
        "mismatched key": ((crt, write_pair(tmp_path, stranger, "stranger")[1]), "does not match"),
        "garbage crt": ((str(garbage), key), "not a PEM certificate"),
        "garbage key": ((crt, str(garbage)), "not a PEM private key"),
        "missing file": ((str(tmp_path / "nope.crt"), key), "Cannot read"),
    }


@pytest.mark.parametrize("case", ["mismatched key", "garbage crt", "garbage key", "missing file"])
@pytest.mark.parametrize("command", ["certs:add", "certs:update"])
def test_bad_input_changes_nothing(
    dokku: Dokku, app: str, tmp_path: Path, case: str, command: str
) -> None:
    dokku.ok("apps:create", "fresh")
    dokku.ok("certs:generate", app, "myapp.example.com")
    before = tls_files(dokku, app)
    events_before = dokku.ok("events:list").stdout
    (files, message) = bad_inputs(tmp_path)[case]
    for target in (app, "fresh"):
        result = dokku(command, target, *files)
        assert result.rc == 1
        assert message in result.stderr
        assert result.stderr.count("\n") == 1, "one clear error line"
        assert "Traceback" not in result.stderr
    assert tls_files(dokku, app) == before
    assert tls_files(dokku, "fresh") == {}
    assert dokku.ok("events:list").stdout == events_before


def test_bad_tar_changes_nothing(dokku: Dokku, app: str) -> None:
    dokku.ok("certs:generate", app, "myapp.example.com")
    before = tls_files(dokku, app)
    stranger, other = make_leaf(["x.example.com"]), make_leaf(["x.example.com"])
    for data, message in (
        (b"garbage" * 200, "not a tar archive"),
        (tar_of({"server.crt": stranger.cert_pem, "server.key": other.key_pem}), "does not match"),
        (tar_of({"server.crt": stranger.cert_pem}), "holds no .key"),
    ):
        result = run_bytes(dokku, data, "certs:add", app)
        assert result.rc == 1
        assert message in result.stderr
    assert tls_files(dokku, app) == before


def test_usage_errors(dokku: Dokku, app: str, tmp_path: Path) -> None:
    crt, _ = write_pair(tmp_path, make_leaf(["myapp.example.com"]))
    result = dokku("certs:add", app, crt)
    assert result.rc == 1
    assert "Give both a certificate file and a key file" in result.stderr
    assert dokku("certs:add", "nope", crt, crt).rc == 1
    assert dokku("certs:show", app, "crt").rc == 1
    assert dokku("certs:show", app, "pem").rc == 1


def test_ports_commands(dokku: Dokku, app: str) -> None:
    listing = dokku.ok("ports:list", app).stdout.splitlines()
    assert listing[0] == "-----> Port mappings for myapp"
    assert listing[2].split() == ["http", "80", "5000"]
    dokku.ok("ports:add", app, "http:8080:5000", "grpc:50051:50051")
    value = dokku.ok("ports:report", app, "--ports-map").stdout.strip()
    assert value == "grpc:50051:50051 http:80:5000 http:8080:5000"
    dokku.ok("ports:remove", app, "8080", "grpc:50051:50051")
    assert dokku.ok("ports:report", app, "--ports-map").stdout.strip() == "http:80:5000"
    dokku.ok("ports:set", app, "http:80:3000")
    data = json.loads(dokku.ok("ports:report", app, "--ports-map-json").stdout)
    assert data == [{"container_port": 3000, "host_port": 80, "scheme": "http"}]
    dokku.ok("certs:generate", app, "myapp.example.com")
    rows = [line.split() for line in dokku.ok("ports:list", app).stdout.splitlines()[2:]]
    assert rows == [["http", "80", "3000"], ["https", "443", "3000"]]
    assert dokku.ok("urls", app).stdout.startswith("https://")
    dokku.ok("ports:clear", app)
    assert dokku.ok("ports:report", app, "--ports-map").stdout.strip() == ""
    detected = dokku.ok("ports:report", app, "--ports-map-detected").stdout.strip()
    assert detected == "http:80:5000 https:443:5000"
    full = short_keys(json.loads(dokku.ok("ports:report", app, "--format", "json").stdout), "ports")
    assert set(full) == {"map", "map-detected", "map-json", "map-detected-json"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ports:set", "myapp", "tcp:80:5000"), "Invalid scheme"),
        (("ports:add", "myapp", "http:80:5000", "http:80:6000"), "host-port is being reused"),
        (("ports:set", "myapp", "http:99999:5000"), "Invalid port"),
        (("ports:remove", "myapp", "http:x"), "Invalid port"),
        (("ports:set", "nope", "http:80:5000"), "App nope does not exist"),
    ],
)
def test_ports_refusals(dokku: Dokku, app: str, args: tuple[str, ...], message: str) -> None:
    result = dokku(*args)
    assert result.rc == 1
    assert message in result.stderr
    assert dokku.ok("ports:report", app, "--ports-map").stdout.strip() == ""


def test_clone_keeps_ports_and_certificate(dokku: Dokku, app: str) -> None:
    dokku.ok("ports:set", app, "http:80:3000")
    dokku.ok("certs:generate", app, "myapp.example.com")
    dokku.ok("apps:clone", app, "copy")
    # certs:generate added https:443:3000 next to http:80:3000, as Dokku does.
    copied = dokku.ok("ports:report", "copy", "--ports-map").stdout.strip()
    assert copied == "http:80:3000 https:443:3000"
    assert dokku.ok("certs:report", "copy", "--ssl-enabled").stdout.strip() == "true"


def bomb(members: int, size: int, suffix: str = ".pem") -> bytes:
    """A small .tgz that unpacks to `members` files of `size` zero bytes."""
    import gzip
    import io
    import tarfile

    buffer = io.BytesIO()
    with (
        gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9) as packed,
        tarfile.open(fileobj=packed, mode="w") as archive,
    ):
        for index in range(members):
            info = tarfile.TarInfo(f"m{index}{suffix}")
            info.size = size
            archive.addfile(info, io.BytesIO(bytes(size)))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (bomb(300, 1024 * 1024), "unpacks to more than"),
        (bomb(2000, 10, ".txt"), "more than 64 entries"),
    ],
)
def test_a_tar_bomb_is_refused_with_bounded_memory(
    dokku: Dokku, app: str, data: bytes, message: str
) -> None:
    import resource

    assert len(data) < 400_000
    result = run_bytes(dokku, data, "certs:add", app)
    assert result.rc == 1
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert tls_files(dokku, app) == {}
    # ru_maxrss of the biggest child this worker waited for, in KiB (324 MB before the fix).
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 150 * 1024
