"""Shared helpers for the benchmarks that drive a real installation (run as root)."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

DOKKU = "/usr/local/bin/dokku"
KEY = Path("/root/.ssh/id_ed25519")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@pydokku.invalid",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@pydokku.invalid",
    "GIT_SSH_COMMAND": f"ssh -i {KEY} -o IdentitiesOnly=yes -o StrictHostKeyChecking=accept-new",
}

DOCKERFILE = """\
FROM pydokku/base:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends python3 \\
 && rm -rf /var/lib/apt/lists/*
COPY . /app
CMD ["python3", "/app/app.py"]
"""

APP_PY = """\
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
BODY = {body!r}
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    wbufsize = -1  # one write per answer: no Nagle / delayed-ACK stalls
    disable_nagle_algorithm = True
    def do_GET(self):
        data = (BODY + "\\n").encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def log_message(self, *args):
        pass
ThreadingHTTPServer(("0.0.0.0", int(os.environ.get("PORT", "5000"))), H).serve_forever()
"""


def buildkit_build() -> tuple[list[str], dict[str, str]]:
    """Return (argv prefix, env) of a raw BuildKit `docker build`, as pydokku builds.

    A docker CLI 23+ needs the buildx plugin for BuildKit; an older one (Debian's 20.10)
    has it built in behind DOCKER_BUILDKIT=1. Same choice as src/pydokku/engine/build.py.
    """
    env = {**os.environ, "DOCKER_BUILDKIT": "1"}
    for cli in (shutil.which("docker"), "/usr/bin/docker", "/usr/local/bin/docker"):
        if not cli or not os.access(cli, os.X_OK):
            continue
        if subprocess.run([cli, "buildx", "version"], capture_output=True).returncode == 0:
            return [cli, "build"], env
        out = subprocess.run([cli, "--version"], capture_output=True, text=True).stdout
        major = out.split("version ", 1)[-1].split(".", 1)[0]
        if major.isdigit() and int(major) < 23:
            return [cli, "build"], env
    raise RuntimeError("no docker CLI builds with BuildKit here")


def dokku(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the installed dokku."""
    return subprocess.run([DOKKU, *args], capture_output=True, text=True, check=check)


def write_app(directory: Path, body: str, extra: dict[str, str] | None = None) -> None:
    """Write the sample app answering `body`."""
    (directory / "Dockerfile").write_text(DOCKERFILE)
    (directory / "app.py").write_text(APP_PY.format(body=body))
    for name, text in (extra or {}).items():
        (directory / name).write_text(text)


def git(repo: Path, *args: str) -> None:
    """Run git in a repo."""
    subprocess.run(
        ["git", "-C", str(repo), *args],
        check=True,
        capture_output=True,
        env={**os.environ, **GIT_ENV},
    )


def commit_all(repo: Path, message: str) -> None:
    """Commit everything in the repo."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def push(repo: Path, app: str) -> float:
    """git push to the app over SSH; return the seconds it took."""
    start = time.monotonic()
    git(repo, "push", "-q", "--force", f"dokku@127.0.0.1:{app}", "HEAD:main")
    return time.monotonic() - start


def get(host: str, port: int = 80, path: str = "/", timeout: float = 2) -> tuple[int, str]:
    """GET from an address with a Host header; return (status, body)."""
    conn = http.client.HTTPConnection(host if port != 80 else "127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": host, "Connection": "close"})
        response = conn.getresponse()
        return response.status, response.read().decode().strip()
    finally:
        conn.close()


def wait_body(fetch, expected: str, timeout: float = 120) -> float:  # type: ignore[no-untyped-def]
    """Poll `fetch()` until it returns (200, expected); return when it did."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if fetch() == (200, expected):
                return time.monotonic()
        except OSError:
            pass
        time.sleep(0.01)
    raise TimeoutError(f"no 200 with {expected!r} within {timeout} s")


def percentile(values: list[float], pct: float) -> float:
    """Return the pct-th percentile of values (nearest rank)."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def median(values: list[float]) -> float:
    """Return the median."""
    return statistics.median(values)


def temp_repo() -> Path:
    """Return a fresh git repo in a temp dir."""
    path = Path(tempfile.mkdtemp(prefix="pydokku-bench-"))
    git(path, "init", "-q", "-b", "main")
    return path


def cleanup(path: Path, app: str | None = None) -> None:
    """Remove a temp repo and destroy the app."""
    shutil.rmtree(path, ignore_errors=True)
    if app:
        dokku("--force", "apps:destroy", app, check=False)


def emit(name: str, rows: list[tuple[str, str]], record: dict[str, object]) -> None:
    """Print a table and one JSON line."""
    width = max(len(label) for label, _ in rows) + 2
    print(f"{'measure':<{width}}value")
    for label, value in rows:
        print(f"{label:<{width}}{value}")
    print(json.dumps({"bench": name, **record}))
