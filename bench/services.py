"""Database services: `create` to ready, and `link` to the app serving the new variable.

Rows, each the median of BENCH_RUNS (default 3) runs against the installed pydokku:
- `dokku TYPE:create` (returns once the service accepts connections) against the same
  image started by hand (`docker run` + the same readiness probe until it answers);
- `dokku TYPE:link` until the app answers with the new URL through nginx, against
  `dokku config:set` of a plain variable until it answers with it (the restart a link
  triggers is most of its cost), and until each command returns (it keeps watching the
  new containers for the default-wait window after they took the traffic).

The offline images are built first (outside the timings) if missing. Needs root and
`./install.sh`; makes a temporary SSH key, app and services and removes them. Prints a
table and one JSON line.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
DOKKU = "/usr/local/bin/dokku"
TYPES = {"postgres": "DATABASE_URL", "redis": "REDIS_URL"}
# The same probes the plugins use (pydokku.plugins.<type>.SERVICE.ready).
PROBES = {
    "postgres": (["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "SELECT 1"], "1"),
    "redis": (["redis-cli", "-h", "127.0.0.1", "ping"], "PONG"),
}
MOUNTS = {"postgres": "/var/lib/postgresql/data", "redis": "/data"}
APP_FILES = {
    "Dockerfile": (
        "FROM pydokku/base:bookworm\n"
        "RUN apt-get update \\\n"
        " && apt-get install -y --no-install-recommends python3 \\\n"
        " && rm -rf /var/lib/apt/lists/*\n"
        'COPY . /app\nWORKDIR /app\nCMD ["python3", "/app/app.py"]\n'
    ),
    "app.py": (
        "import os\n"
        "from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer\n"
        "class H(BaseHTTPRequestHandler):\n"
        "    def do_GET(self):\n"
        "        data = os.environ.get(self.path.lstrip('/'), '<unset>').encode()\n"
        "        self.send_response(200)\n"
        "        self.send_header('Content-Length', str(len(data)))\n"
        "        self.end_headers()\n"
        "        self.wfile.write(data)\n"
        "    def log_message(self, *a):\n"
        "        pass\n"
        "ThreadingHTTPServer(('0.0.0.0', int(os.environ['PORT'])), H).serve_forever()\n"
    ),
}


def dokku(*args: str, stdin: str = "") -> str:
    proc = subprocess.run(
        [DOKKU, *args], input=stdin, capture_output=True, text=True, timeout=900, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"dokku {shlex.join(args)} failed:\n{proc.stdout}{proc.stderr}")
    return proc.stdout


def docker(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["docker", *args], capture_output=True, text=True, env=env, timeout=300, check=False
    )


def get(app: str, var: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", 80, timeout=5)
    try:
        conn.request("GET", f"/{var}", headers={"Host": f"{app}.localhost"})
        response = conn.getresponse()
        return response.read().decode() if response.status == 200 else ""
    except OSError:
        return ""
    finally:
        conn.close()


def until(check: Callable[[], bool], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError("gave up waiting")
        time.sleep(0.05)


def service_name() -> str:
    return f"bench-{secrets.token_hex(3)}"


def timed_create(stype: str) -> tuple[float, float]:
    """Return (seconds for `create`, seconds it waited for readiness) of a new service."""
    name = service_name()
    start = time.perf_counter()
    out = dokku(f"{stype}:create", name)
    elapsed = time.perf_counter() - start
    dokku("--force", f"{stype}:destroy", name)
    waited = re.search(r"Ready after ([0-9.]+) s", out)
    return elapsed, float(waited.group(1)) if waited else 0.0


def timed_raw(stype: str, image: str) -> float:
    """Return seconds from `docker run` of the image to its probe answering."""
    name = f"bench-raw-{secrets.token_hex(3)}"
    password = secrets.token_hex(16)
    probe, expected = PROBES[stype]
    env = ["-e", f"POSTGRES_PASSWORD={password}", "-e", "POSTGRES_DB=bench"]
    env = env if stype == "postgres" else []
    mount = MOUNTS[stype]
    with tempfile.TemporaryDirectory() as data:
        start = time.perf_counter()
        docker("run", "-d", "--name", name, *env, "-v", f"{data}:{mount}", image)
        try:
            exec_probe = ["exec", "-e", f"PGPASSWORD={password}", name, *probe]
            until(lambda: expected in docker(*exec_probe).stdout)
            return time.perf_counter() - start
        finally:
            docker("rm", "-f", name)


@contextmanager
def deployed_app() -> Iterator[str]:
    """Yield a deployed app (git push over SSH with a temporary key); destroy it after."""
    app = f"bench-{secrets.token_hex(3)}"
    with tempfile.TemporaryDirectory(prefix="pydokku-bench-") as tmp:
        key = Path(tmp) / "id_ed25519"
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
        key_name = f"bench-{secrets.token_hex(3)}"
        dokku("ssh-keys:add", key_name, "-", stdin=key.with_suffix(".pub").read_text())
        repo = Path(tmp) / "repo"
        repo.mkdir()
        for name, text in APP_FILES.items():
            (repo / name).write_text(text)
        git = ["git", "-C", str(repo), "-c", "user.name=bench", "-c", "user.email=b@bench.invalid"]
        subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
        subprocess.run([*git, "add", "-A"], check=True)
        subprocess.run([*git, "commit", "-q", "-m", "bench"], check=True)
        options = ["IdentitiesOnly=yes", "LogLevel=ERROR", "StrictHostKeyChecking=no"]
        options.append("UserKnownHostsFile=/dev/null")
        ssh = shlex.join(["ssh", "-i", str(key), *(f"-o{o}" for o in options)])
        try:
            subprocess.run(
                [*git, "push", "-q", f"dokku@127.0.0.1:{app}", "main"],
                env={**os.environ, "GIT_SSH_COMMAND": ssh},
                capture_output=True,
                check=True,
                timeout=900,
            )
            until(lambda: get(app, "PORT") != "")
            yield app
        finally:
            subprocess.run(
                [DOKKU, "--force", "apps:destroy", app], capture_output=True, check=False
            )
            subprocess.run([DOKKU, "ssh-keys:remove", key_name], capture_output=True, check=False)


def timed_change(args: list[str], serving: Callable[[], bool]) -> tuple[float, float]:
    """Run `dokku ARGS`; return (seconds until `serving()` holds, seconds until it returned).

    The command keeps watching the new containers for the default-wait window (10 s)
    after nginx already sends them traffic, so the two figures differ by about that.
    """
    start = time.perf_counter()
    proc = subprocess.Popen([DOKKU, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        until(lambda: serving() or proc.poll() not in (None, 0))
        served = time.perf_counter() - start
        _, err = proc.communicate(timeout=900)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if proc.returncode != 0:
        raise RuntimeError(f"dokku {shlex.join(args)} failed:\n{err.decode()}")
    return served, time.perf_counter() - start


def timed_link(stype: str, app: str) -> tuple[float, float]:
    """Time `link` until the app answers with the service URL, and until it returns."""
    name = service_name()
    dokku(f"{stype}:create", name)
    try:
        dsn = dokku(f"{stype}:info", name, "--dsn").strip()
        return timed_change([f"{stype}:link", name, app], lambda: get(app, TYPES[stype]) == dsn)
    finally:
        subprocess.run([DOKKU, f"{stype}:unlink", name, app, "-n"], capture_output=True)
        subprocess.run([DOKKU, "--force", f"{stype}:destroy", name], capture_output=True)


def timed_config_set(app: str) -> tuple[float, float]:
    """Time `config:set` of a plain var until the app answers with it, and until it returns."""
    value = secrets.token_hex(4)
    args = ["config:set", app, f"BENCH_VALUE={value}"]
    return timed_change(args, lambda: get(app, "BENCH_VALUE") == value)


def medians(fn: Callable[[], tuple[float, float]]) -> tuple[float, float]:
    runs = [fn() for _ in range(RUNS)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def median(fn: Callable[[], float]) -> float:
    return statistics.median(fn() for _ in range(RUNS))


def main() -> int:
    if os.geteuid() != 0 or not os.access(DOKKU, os.X_OK):
        print("bench/services.py needs root and an installed pydokku", file=sys.stderr)
        return 2
    for stype in TYPES:
        timed_create(stype)  # builds or pulls the image once, outside the timings
    results: dict[str, float] = {}
    for stype in TYPES:
        name = service_name()
        dokku(f"{stype}:create", name)
        image = dokku(f"{stype}:info", name, "--image").strip()
        dokku("--force", f"{stype}:destroy", name)
        creates = [timed_create(stype) for _ in range(RUNS)]
        results[f"{stype}:create"] = statistics.median(c[0] for c in creates)
        results[f"{stype}:create ready wait"] = statistics.median(c[1] for c in creates)
        results[f"{stype} raw docker run"] = median(lambda s=stype, i=image: timed_raw(s, i))
    with deployed_app() as app:
        changes = {"config:set": lambda: timed_config_set(app)}
        for stype in TYPES:
            changes[f"{stype}:link"] = lambda s=stype: timed_link(s, app)
        for label, change in changes.items():
            served, returned = medians(change)
            results[f"{label} to serving"] = served
            results[f"{label} returns"] = returned
    print(f"{'measure':<32}{'median s':>10}")
    for key, value in results.items():
        print(f"{key:<32}{value:>10.2f}")
    record = {"bench": "services", "runs": RUNS, **{k: round(v, 3) for k, v in results.items()}}
    print(json.dumps(record))
    return 0


if __name__ == "__main__":
    sys.exit(main())
