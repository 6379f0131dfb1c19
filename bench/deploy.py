"""Deploy speed: git push -> first 200 through nginx, against raw docker build + run.

Same Dockerfile, same engine, same run; the base layers are warmed first so both
paths build only the changed app layer. Prints a table and one JSON line.
Target: a redeploy within 2 s of the raw path, also (`options` phase) with 3 mounts
(`storage:mount`), memory and CPU limits (`resource:limit`) and 2 extra networks
(`network:create`, `network:set attach-post-create`) on both paths.
"""

from __future__ import annotations

import secrets
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    cleanup,
    commit_all,
    dokku,
    emit,
    get,
    push,
    temp_repo,
    wait_body,
    write_app,
)

NETWORK = "pydokku"
PHASES = (("first", "one"), ("redeploy", "two"), ("options", "three"))


def docker(*args: str) -> str:
    return subprocess.run(
        ["docker", *args], check=True, capture_output=True, text=True
    ).stdout.strip()


class Extras:
    """Mounts, limits and networks both paths get in the `options` phase."""

    def __init__(self) -> None:
        self.dirs = [temp_repo() for _ in range(3)]
        self.networks = [f"bench-net-{secrets.token_hex(3)}" for _ in range(2)]

    def create(self) -> None:
        for net in self.networks:
            dokku("network:create", net)

    def raw_args(self) -> list[str]:
        mounts = [w for i, d in enumerate(self.dirs) for w in ("-v", f"{d}:/mnt/m{i}")]
        return [*mounts, "--memory", "256m", "--cpus", "1"]

    def configure(self, app: str) -> None:
        for i, d in enumerate(self.dirs):
            dokku("storage:mount", app, f"{d}:/mnt/m{i}")
        dokku("network:set", app, "attach-post-create", *self.networks)
        dokku("resource:limit", "--memory", "256", "--cpu", "1", app)

    def remove(self) -> None:
        for net in self.networks:
            dokku("--force", "network:destroy", net, check=False)
        for d in self.dirs:
            cleanup(d)


def raw_deploy(
    repo: Path, tag: str, body: str, previous: str | None, extras: Extras | None = None
) -> float:
    """docker build + docker run + first 200 from the container; return seconds."""
    start = time.monotonic()
    docker("build", "-q", "-t", tag, str(repo))
    name = f"bench-raw-{secrets.token_hex(3)}"
    more = extras.raw_args() if extras else []
    base = ["--name", name, "--network", NETWORK, "-e", "PORT=5000", "--init", *more, tag]
    if extras:
        docker("create", *base)
        for net in extras.networks:
            docker("network", "connect", net, name)
        docker("start", name)
    else:
        docker("run", "-d", *base)
    ip = docker("inspect", "-f", '{{(index .NetworkSettings.Networks "pydokku").IPAddress}}', name)
    done = wait_body(lambda: get(ip, 5000), body)
    if previous:
        docker("rm", "-f", previous)
    raw_deploy.last = name  # type: ignore[attr-defined]
    return done - start


def pydokku_deploy(repo: Path, app: str, body: str) -> tuple[float, float]:
    """git push; return (seconds to the first 200 of the new body, seconds the push took)."""
    import threading

    start = time.monotonic()
    first: list[float] = []
    watcher = threading.Thread(
        target=lambda: first.append(wait_body(lambda: get(f"{app}.localhost"), body, 300))
    )
    watcher.start()
    took = push(repo, app)
    watcher.join()
    return first[0] - start, took


def main() -> int:
    app = f"bench-deploy-{secrets.token_hex(3)}"
    raw_repo, app_repo = temp_repo(), temp_repo()
    extras = Extras()
    try:
        write_app(raw_repo, "warm")
        docker("build", "-q", "-t", "bench-raw:warm", str(raw_repo))  # warm the apt layer
        dokku("apps:create", app)
        extras.create()
        results: dict[str, float] = {}
        for phase, body in PHASES:
            write_app(raw_repo, f"raw-{body}")
            write_app(app_repo, f"app-{body}")
            commit_all(app_repo, body)
            previous = getattr(raw_deploy, "last", None)
            with_extras = extras if phase == "options" else None
            if with_extras:
                extras.configure(app)
            results[f"raw_{phase}_s"] = raw_deploy(
                raw_repo, f"bench-raw:{body}", f"raw-{body}", previous, with_extras
            )
            to_200, push_s = pydokku_deploy(app_repo, app, f"app-{body}")
            results[f"pydokku_{phase}_to_200_s"] = to_200
            results[f"pydokku_{phase}_push_s"] = push_s
        docker("rm", "-f", raw_deploy.last)  # type: ignore[attr-defined]
    finally:
        cleanup(raw_repo)
        cleanup(app_repo, app)
        extras.remove()
        for tag in ("warm", "one", "two", "three"):
            subprocess.run(
                ["docker", "rmi", "-f", f"bench-raw:{tag}"], capture_output=True, check=False
            )
    for phase, _ in PHASES:
        results[f"overhead_{phase}_s"] = (
            results[f"pydokku_{phase}_to_200_s"] - results[f"raw_{phase}_s"]
        )
    rows = [(k, f"{v:.2f}") for k, v in results.items()]
    record = {k: round(v, 3) for k, v in results.items()}
    record["target_redeploy_overhead_s"] = 2.0
    emit("deploy", rows, record)
    return 0


if __name__ == "__main__":
    sys.exit(main())
