"""Deploys from other sources: a local image, a `docker save` tarball, an archive."""

from __future__ import annotations

import http.server
import io
import secrets
import subprocess
import tarfile
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.apps import host
from tests.integration.auto_apps import stdlib_app
from tests.integration.conftest import DOKKU_BIN, dokku_env, http_get
from tests.integration.test_auto_builder import body, created

IMAGE_DOCKERFILE = """\
FROM pydokku/stack-python:bookworm
WORKDIR /srv
COPY server.py Procfile ./
CMD ["python3", "/srv/server.py", "from-cmd"]
"""


@pytest.fixture
def local_image(tmp_path: Path) -> Iterator[str]:
    """A locally built image whose WORKDIR holds a Procfile; removed afterwards."""
    name = f"pytest-prebuilt-{secrets.token_hex(4)}:v1"
    context = tmp_path / "image"
    context.mkdir()
    files = {**stdlib_app(), "Procfile": "web: python3 /srv/server.py from-procfile\n"}
    files["Dockerfile"] = IMAGE_DOCKERFILE
    for file, text in files.items():
        (context / file).write_text(text)
    subprocess.run(
        ["docker", "build", "-q", "-t", name, str(context)], check=True, capture_output=True
    )
    try:
        yield name
    finally:
        subprocess.run(["docker", "rmi", "-f", name], capture_output=True, check=False)


def dokku_bytes(*args: str, data: bytes) -> subprocess.CompletedProcess[bytes]:
    """Run the installed dokku with binary stdin (archives, image tarballs)."""
    return subprocess.run(
        [str(DOKKU_BIN), *args], input=data, capture_output=True, env=dokku_env(), timeout=600
    )


def test_from_image_reads_the_procfile_from_the_workdir(dokku, app_name, local_image) -> None:
    app = created(dokku, app_name())
    out = dokku("git:from-image", app, local_image).stdout
    assert "Read Procfile from the image" in out
    assert "Deploying the prebuilt image" in out
    assert body(app) == "stdlib from-procfile"
    report = dokku("apps:report", app).stdout
    assert "docker-image" in report
    assert local_image in report


def test_load_image_from_stdin(dokku, app_name, local_image) -> None:
    app = created(dokku, app_name())
    saved = subprocess.run(["docker", "save", local_image], capture_output=True, check=True).stdout
    proc = dokku_bytes("git:load-image", app, data=saved)
    assert proc.returncode == 0, proc.stderr.decode()
    assert f"Loaded {local_image}" in proc.stdout.decode()
    assert body(app) == "stdlib from-procfile"


def _tar_gz(files: dict[str, str], prefix: str = "") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(prefix + name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.fixture
def serve_bytes() -> Iterator[dict[str, bytes]]:
    """A loopback HTTP server: put bytes at `served["/path"]`; `served["url"]` is its base."""
    served: dict[str, bytes] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            data = served.get(self.path)
            self.send_response(200 if data is not None else 404)
            self.send_header("Content-Length", str(len(data or b"")))
            self.end_headers()
            self.wfile.write(data or b"")

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    served["url"] = f"http://127.0.0.1:{httpd.server_address[1]}".encode()
    try:
        yield served
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_from_archive_url_and_stdin(dokku, app_name, serve_bytes) -> None:
    app = created(dokku, app_name())
    files = stdlib_app(Procfile="web: python server.py from-archive\n")
    serve_bytes["/app.tar.gz"] = _tar_gz(files, prefix="project-main/")  # like GitHub's
    url = serve_bytes["url"].decode() + "/app.tar.gz"
    out = dokku("git:from-archive", app, url).stdout
    assert f"Downloading {url}" in out
    assert body(app) == "stdlib from-archive"
    assert "archive" in dokku("apps:report", app).stdout

    zipped = _zip(stdlib_app(Procfile="web: python server.py from-zip\n"))
    proc = dokku_bytes("git:from-archive", app, "--", data=zipped)
    assert proc.returncode == 0, proc.stderr.decode()
    assert body(app) == "stdlib from-zip"


def test_from_archive_refuses_traversal_and_too_many_files(dokku, app_name) -> None:
    app = created(dokku, app_name())
    evil = _tar_gz({**stdlib_app(), "../../tmp/pwned": "x"})
    proc = dokku_bytes("git:from-archive", app, "--", data=evil)
    assert proc.returncode == 1
    assert "Refusing to extract the archive: path '../../tmp/pwned'" in proc.stderr.decode()
    assert not Path("/tmp/pwned").exists()
    dokku("git:set", app, "archive-max-files", "2")
    proc = dokku_bytes("git:from-archive", app, "--", data=_tar_gz(stdlib_app(Procfile="")))
    assert proc.returncode == 1
    assert "The archive holds 3 files; the limit is 2" in proc.stderr.decode()
    assert not answers(app)


def answers(app: str) -> bool:
    """Tell whether nginx serves the app (unknown hosts get their connection closed)."""
    try:
        return http_get(host(app))[0] == 200
    except OSError:
        return False
