"""Proxy throughput: requests/s and p99 through nginx against straight to the container.

wrk (Debian) drives both paths in the same run, with keep-alive connections and
with a new connection per request. Only loopback and the project's own Docker
network are dialled. Target: nginx at least 0.9x direct.
"""

from __future__ import annotations

import re
import secrets
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    APP_PY,
    DOCKERFILE,
    cleanup,
    commit_all,
    dokku,
    emit,
    push,
    temp_repo,
)

# A fast upstream (nginx serving a fixed body), so the figure measures the proxy hop
# and not the speed of a Python test server.
UPSTREAM_DOCKERFILE = """\
FROM pydokku/base:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends nginx-light \\
 && rm -rf /var/lib/apt/lists/*
COPY upstream.conf /etc/nginx/upstream.conf
CMD ["nginx", "-c", "/etc/nginx/upstream.conf"]
"""
UPSTREAM_CONF = """\
daemon off;
worker_processes 1;
events { worker_connections 1024; }
http {
  access_log off;
  server { listen 5000; location / { return 200 "hello\\n"; } }
}
"""

DURATION = "8s"
WARMUP = "2s"
THREADS, CONNECTIONS = "2", "16"


def wrk(url: str, host: str, keepalive: bool, duration: str = DURATION) -> tuple[float, float]:
    """Run wrk; return (requests/s, p99 latency in ms)."""
    argv = [
        "wrk",
        "-t",
        THREADS,
        "-c",
        CONNECTIONS,
        "-d",
        duration,
        "--latency",
        "-H",
        f"Host: {host}",
    ]
    if not keepalive:
        argv += ["-H", "Connection: close"]
    out = subprocess.run([*argv, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99_text = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    assert p99_text
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99_text.group(2)]
    return rps, float(p99_text.group(1)) * scale


def measure(app: str, files: dict[str, str]) -> dict[str, dict[str, float]]:
    """Deploy `files` as `app`, then run wrk direct and through nginx, both modes."""
    repo = temp_repo()
    try:
        dokku("apps:create", app)
        for name, text in files.items():
            (repo / name).write_text(text)
        commit_all(repo, "proxy bench")
        push(repo, app)
        ip = subprocess.run(
            [
                "docker",
                "inspect",
                "-f",
                '{{(index .NetworkSettings.Networks "pydokku").IPAddress}}',
                f"{app}.web.1",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        host = f"{app}.localhost"
        results = {}
        for keepalive in (True, False):
            mode = "keepalive" if keepalive else "new_connection"
            # Warm-up, not recorded: nginx opens its upstream keepalive connections in a
            # burst, and a server with a small listen backlog (Python's http.server: 5)
            # drops some SYNs, whose 1 s retransmit would otherwise set the p99.
            wrk(f"http://{ip}:5000/", host, keepalive, WARMUP)
            wrk("http://127.0.0.1/", host, keepalive, WARMUP)
            direct = wrk(f"http://{ip}:5000/", host, keepalive)
            nginx = wrk("http://127.0.0.1/", host, keepalive)
            results[mode] = {
                "direct_rps": direct[0],
                "nginx_rps": nginx[0],
                "direct_p99_ms": direct[1],
                "nginx_p99_ms": nginx[1],
                "ratio": nginx[0] / direct[0],
            }
        return results
    finally:
        cleanup(repo, app)


def main() -> int:
    suffix = secrets.token_hex(3)
    upstreams = {
        "python_app": {"Dockerfile": DOCKERFILE, "app.py": APP_PY.format(body="hello")},
        "static_nginx": {"Dockerfile": UPSTREAM_DOCKERFILE, "upstream.conf": UPSTREAM_CONF},
    }
    results = {
        name: measure(f"bench-proxy-{name.replace('_', '-')}-{suffix}", files)
        for name, files in upstreams.items()
    }
    rows = []
    for name, modes in results.items():
        for mode, r in modes.items():
            label = f"{name} {mode}"
            rows += [
                (
                    f"{label} direct",
                    f"{r['direct_rps']:.0f} req/s, p99 {r['direct_p99_ms']:.1f} ms",
                ),
                (f"{label} nginx", f"{r['nginx_rps']:.0f} req/s, p99 {r['nginx_p99_ms']:.1f} ms"),
                (f"{label} nginx/direct", f"{r['ratio']:.2f}"),
            ]
    record = {
        "results": {
            n: {m: {k: round(v, 2) for k, v in r.items()} for m, r in modes.items()}
            for n, modes in results.items()
        },
        "target_ratio": 0.9,
    }
    emit("proxy", rows, record)
    return 0


if __name__ == "__main__":
    sys.exit(main())
