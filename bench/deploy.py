"""Deploy speed: git push -> first 200 through nginx, against raw docker build + run.

Same Dockerfile, same engine (BuildKit on both paths), same run; the base layers are
warmed first so both paths build only the changed app layer. Prints a table and one
JSON line. Phases: a first deploy, a one-line redeploy, a redeploy with 3 mounts
(`storage:mount`), memory and CPU limits (`resource:limit`) and 2 extra networks
(`network:create`, `network:set attach-post-create`) on both paths (`options`), a
one-line redeploy of an app with 100 MB of assets in 2,000 files (`large`, its first
push not timed), and a redeploy with `checks:set foreground-wait all` (`wait_all`: the
push waits out the whole watch window, as before). `*_return_after_live_s`: how long
the push still ran after the new release answered.
Targets: push -> serving within 0.8 s of the raw path (redeploy, large); the push
returns within 3 s of the new release answering.
"""

from __future__ import annotations

import secrets
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    buildkit_build,
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
PHASES = (
    ("first", "one"),
    ("redeploy", "two"),
    ("options", "three"),
    ("large", "four"),
    ("wait_all", "five"),
)
ASSET_FILES = 2000
ASSET_BYTES = 50 * 1024  # 2,000 x 50 KiB = 100 MB
BUILD, BUILD_ENV = buildkit_build()


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

    def unconfigure(self, app: str) -> None:
        """Take the mounts, networks and limits off the app again."""
        for i, d in enumerate(self.dirs):
            dokku("storage:unmount", app, f"{d}:/mnt/m{i}")
        dokku("network:set", app, "attach-post-create")
        dokku("resource:limit-clear", app)

    def remove(self) -> None:
        for net in self.networks:
            dokku("--force", "network:destroy", net, check=False)
        for d in self.dirs:
            cleanup(d)


def build(tag: str, repo: Path) -> None:
    """A raw BuildKit build of the repo."""
    subprocess.run(
        [*BUILD, "-q", "-t", tag, str(repo)], check=True, capture_output=True, env=BUILD_ENV
    )


def add_assets(*repos: Path) -> None:
    """Write the same 100 MB of incompressible assets (2,000 files) into each repo."""
    import os

    for index in range(ASSET_FILES):
        data = os.urandom(ASSET_BYTES)
        for repo in repos:
            folder = repo / "assets" / f"{index // 100:02d}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"asset-{index:04d}.bin").write_bytes(data)


def raw_deploy(
    repo: Path, tag: str, body: str, previous: str | None, extras: Extras | None = None
) -> float:
    """docker build + docker run + first 200 from the container; return seconds."""
    start = time.monotonic()
    build(tag, repo)
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
        build("bench-raw:warm", raw_repo)  # warm the apt layer
        dokku("apps:create", app)
        extras.create()
        results: dict[str, float] = {}
        for phase, body in PHASES:
            if phase == "large":
                extras.unconfigure(app)
                add_assets(raw_repo, app_repo)
                write_app(raw_repo, "raw-large-first")
                build("bench-raw:large-first", raw_repo)  # warm: the assets' first copy
                write_app(app_repo, "app-large-first")
                commit_all(app_repo, "assets")
                pydokku_deploy(app_repo, app, "app-large-first")
            if phase == "wait_all":
                dokku("checks:set", app, "foreground-wait", "all")
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
            results[f"pydokku_{phase}_return_after_live_s"] = push_s - to_200
        docker("rm", "-f", raw_deploy.last)  # type: ignore[attr-defined]
    finally:
        cleanup(raw_repo)
        cleanup(app_repo, app)
        extras.remove()
        for tag in ("warm", "one", "two", "three", "large-first", "four", "five"):
            subprocess.run(
                ["docker", "rmi", "-f", f"bench-raw:{tag}"], capture_output=True, check=False
            )
    for phase, _ in PHASES:
        results[f"overhead_{phase}_s"] = (
            results[f"pydokku_{phase}_to_200_s"] - results[f"raw_{phase}_s"]
        )
    rows = [(k, f"{v:.2f}") for k, v in results.items()]
    record = {k: round(v, 3) for k, v in results.items()}
    record["target_redeploy_overhead_s"] = 0.8
    record["target_return_after_live_s"] = 3.0
    emit("deploy", rows, record)
    return 0


if __name__ == "__main__":
    sys.exit(main())
