"""The docker-local scheduler: an app's processes as containers on this engine.

A deploy starts the new containers beside the old ones under staging names,
waits until they are ready, points the proxy at them, and only then renames the
old ones aside and retires them in the background. If anything fails before
the switch, the new containers are removed and the old ones keep serving.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable

from pydokku import engine, output, properties, state
from pydokku.errors import DokkuError
from pydokku.plugins.scheduler_docker_local import containers as names
from pydokku.plugins.scheduler_docker_local import readiness
from pydokku.release import Release

PLUGIN = "scheduler-docker-local"
NON_WEB_SETTLE_S = 2.0
READY_TIMEOUT_S = 60.0


def setting(app: str, plugin: str, key: str, default: str) -> str:
    """Return an app's effective property (app -> global -> default)."""
    return properties.resolve(plugin, app, key, default)


def app_containers(app: str, container_type: str = "deploy") -> list[engine.ContainerInfo]:
    """Return every container of an app of one type (deploy or run)."""
    found = engine.containers({engine.LABEL_APP: app})
    return [c for c in found if c.labels.get(names.CONTAINER_TYPE_LABEL) == container_type]


def active_version(app: str) -> int:
    """Return the release number whose containers serve the app (0 if none)."""
    return int(properties.get(PLUGIN, app, "active-release") or 0)


def live_containers(app: str) -> list[engine.ContainerInfo]:
    """Return the containers of the active release (running or stopped), not retiring ones."""
    version = str(active_version(app))
    return [
        c
        for c in app_containers(app)
        if c.labels.get(names.RELEASE_LABEL) == version and ".retired-" not in c.name
    ]


def _set_active(app: str, version: int) -> None:
    with state.transaction() as conn:
        properties.store(conn, PLUGIN, app, "active-release", str(version) if version else None)


class DockerLocalScheduler:
    """Scheduler `docker-local`."""

    name = "docker-local"

    def deploy(self, release: Release, route: Callable[[], None] | None = None) -> None:
        """Start the release beside the old containers, switch traffic, retire the old ones."""
        app = release.app
        old = live_containers(app)
        previous = active_version(app)
        started: list[tuple[str, str, str]] = []  # (process, staging name, final name)
        try:
            for process in release.process_types:
                for index in range(1, release.formation.get(process, 0) + 1):
                    staging = names.staging_name(app, process, index, release.version)
                    _start(release, process, index, staging)
                    final = names.container_name(app, process, index)
                    started.append((process, staging, final))
            _wait_ready(release, [(p, s) for p, s, _ in started])
            _set_active(app, release.version)
            if route:
                route()
        except BaseException:
            for _, staging, _ in started:
                engine.remove_container(staging)
            _set_active(app, previous)
            raise
        _swap_names(app, old, started)
        retire_later(app, [c.name for c in old])

    def scale(self, release: Release, route: Callable[[], None] | None = None) -> None:
        """Add or remove containers to match the formation, leaving the others running."""
        app = release.app
        current = {c.labels.get(engine.LABEL_DYNO, ""): c for c in live_containers(app)}
        wanted = {
            f"{p}.{i}"
            for p in release.process_types
            for i in range(1, release.formation.get(p, 0) + 1)
        }
        added: list[tuple[str, str]] = []
        for dyno in sorted(wanted - set(current)):
            process, _, index = dyno.rpartition(".")
            name = names.container_name(app, process, int(index))
            engine.remove_container(name)
            _start(release, process, int(index), name)
            added.append((process, name))
        _wait_ready(release, added)
        extra = [current[d] for d in sorted(set(current) - wanted)]
        for info in extra:
            engine.rename_container(info.name, f"{info.name}.retired-v{release.version}")
            info.name = f"{info.name}.retired-v{release.version}"
        if route:
            route()
        retire_later(app, [c.name for c in extra], wait_s=0)

    def stop(self, app: str) -> None:
        """Stop the app's containers (they stay, for `ps:start`)."""
        timeout = int(setting(app, "ps", "stop-timeout-seconds", "30"))
        for info in live_containers(app):
            if info.running:
                engine.stop_container(info.name, timeout=timeout)

    def start(self, app: str) -> bool:
        """Start the app's stopped containers; return False when it has none."""
        found = live_containers(app)
        for info in found:
            if not info.running:
                engine.start_container(info.name)
        return bool(found)

    def destroy(self, app: str) -> None:
        """Remove every container of the app: deploy, retiring and one-off ones."""
        for info in engine.containers({engine.LABEL_APP: app}):
            engine.remove_container(info.name)
        _set_active(app, 0)

    def web_upstreams(self, app: str) -> list[str]:
        """Return the bridge IPs of the app's running web containers."""
        return [
            c.ip
            for c in live_containers(app)
            if c.running and c.ip and c.labels.get(engine.LABEL_PROCESS) == "web"
        ]


def _start(release: Release, process: str, index: int, name: str) -> None:
    app = release.app
    rev_var = setting(app, "git", "rev-env-var", "GIT_REV")
    env = names.environment(release, process, index, rev_var)
    entrypoint = engine.image_config(release.image).get("Entrypoint")
    from pydokku.plugins.manager import hook

    extra: dict[str, object] = {}
    for contributed in hook().docker_args_deploy(app=app, process=process):
        extra.update(contributed or {})
    engine.remove_container(name)
    output.verbose(f"Starting {names.container_name(app, process, index)}")
    engine.run_container(
        name,
        release.image,
        command=names.command(release, process, entrypoint, env),
        env=env,
        labels=names.labels(release, process, index),
        restart_policy=setting(app, "ps", "restart-policy", "on-failure:10"),
        init=setting(app, PLUGIN, "init-process", "true") == "true",
        log_max_size=setting(app, "logs", "max-size", "10m"),
        extra=extra,
    )


def _wait_ready(release: Release, started: list[tuple[str, str]]) -> None:
    """Wait for web containers to answer, then check every new container still runs."""
    for process, name in started:
        if process == "web":
            output.verbose(f"Waiting for {name} to answer on port {release.web_port}")
            readiness.wait_http(name, release.web_port, READY_TIMEOUT_S)
    settle = NON_WEB_SETTLE_S if any(p != "web" for p, _ in started) else 0
    for _, name in started:
        readiness.wait_running(name, settle)
        settle = 0


def _swap_names(
    app: str, old: list[engine.ContainerInfo], started: list[tuple[str, str, str]]
) -> None:
    for info in old:
        version = info.labels.get(names.RELEASE_LABEL, "0")
        retired = f"{info.name}.retired-v{version}"
        engine.remove_container(retired)
        engine.rename_container(info.name, retired)
        engine.update_restart_policy(retired, "no")
        info.name = retired
    for _, staging, final in started:
        engine.rename_container(staging, final)


def retire_later(app: str, containers: list[str], wait_s: int | None = None) -> None:
    """Stop and remove old containers in a detached process after wait-to-retire."""
    if not containers:
        return
    wait = wait_s if wait_s is not None else int(setting(app, "checks", "wait-to-retire", "60"))
    argv = [sys.executable, "-m", "pydokku", "ps:retire", app, "--after", str(wait), *containers]
    subprocess.Popen(  # noqa: S603 (argument list, no shell)
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env=os.environ.copy(),
    )


def retire(app: str, containers: list[str]) -> None:
    """SIGTERM old containers, give them stop-timeout-seconds, then remove them."""
    timeout = int(setting(app, "ps", "stop-timeout-seconds", "30"))
    targets = containers or [c.name for c in app_containers(app) if ".retired-" in c.name]
    for name in targets:
        info = engine.container(name)
        if info is None or info.labels.get(engine.LABEL_APP) != app:
            continue
        if ".retired-" not in info.name:
            raise DokkuError(f"Refusing to retire live container {name}")
        engine.stop_container(name, timeout=timeout)
        engine.remove_container(name)
