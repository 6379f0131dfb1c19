"""The docker-local scheduler: an app's processes as containers on this engine.

A deploy starts the new containers beside the old ones under staging names,
waits until they are ready, points the proxy at them, and only then renames the
old ones aside and retires them in the background. If anything fails before
the switch, the new containers are removed and the old ones keep serving.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from pydokku import engine, output, properties, runner, state
from pydokku.errors import DokkuError
from pydokku.plugins.checks import logic as checks
from pydokku.plugins.deploy.lock import end_watch
from pydokku.plugins.scheduler_docker_local import containers as names
from pydokku.release import Release
from pydokku.strategies import Watch

PLUGIN = "scheduler-docker-local"


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


def set_active(app: str, version: int) -> None:
    """Record which release's containers serve the app (0: none)."""
    with state.transaction() as conn:
        properties.store(conn, PLUGIN, app, "active-release", str(version) if version else None)


class DockerLocalScheduler:
    """Scheduler `docker-local`."""

    name = "docker-local"

    def deploy(self, release: Release, route: Callable[[], None] | None = None) -> Watch | None:
        """Start the release beside the old containers, switch traffic, retire the old ones.

        Return the rest of the watch window when it is left to a background watcher
        (`checks:set foreground-wait`); the caller starts it once the release is recorded.
        """
        app = release.app
        old = live_containers(app)
        previous = active_version(app)
        stopped_first = _stop_unchecked(app, old)
        started: list[tuple[str, str, str]] = []  # (process, staging name, final name)
        switched = False
        try:
            for process in release.process_types:
                for index in range(1, release.formation.get(process, 0) + 1):
                    staging = names.staging_name(app, process, index, release.version)
                    _start(release, process, index, staging)
                    final = names.container_name(app, process, index)
                    started.append((process, staging, final))
            new = [(p, s) for p, s, _ in started]
            started_at = time.monotonic()
            checks.verify(release, new, _check_host(app))
            _post_deploy(app, [s for _, s in new])
            set_active(app, release.version)
            switched = True
            if route:
                route()
            watched, remaining = checks.probation(release, new, started_at)
        except BaseException as exc:
            if isinstance(exc, DokkuError):
                exc.log_lines = failed_log_lines(app, [s for _, s, _ in started])
            _undo(app, previous, started, stopped_first, route if switched else None)
            raise
        names_before = [c.name for c in old]
        _swap_names(app, old, started)
        if remaining > 0:
            from pydokku.plugins.scheduler_docker_local.watch import PendingWatch

            return PendingWatch(
                app,
                release.version,
                previous=previous,
                started=started,
                stopped_first=stopped_first,
                old=[[before, c.name] for before, c in zip(names_before, old, strict=True)],
                watched=[final for _, staging, final in started if staging in watched],
                remaining=remaining,
                window=checks.setting(app, "default-wait"),
            )
        retire_later(app, [c.name for c in old])
        return None

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
        checks.verify(release, added, _check_host(app))
        _post_deploy(app, [name for _, name in added])
        extra = [current[d] for d in sorted(set(current) - wanted)]
        for info in extra:
            retired = _retired_name(info.name, str(release.version))
            engine.rename_container(info.name, retired)
            info.name = retired
        if route:
            route()
        retire_later(app, [c.name for c in extra])

    def restart_process(
        self, release: Release, process: str, route: Callable[[], None] | None = None
    ) -> None:
        """Start fresh containers of one process type beside the old, then retire the old."""
        app = release.app
        old = [c for c in live_containers(app) if c.labels.get(engine.LABEL_PROCESS) == process]
        started: list[tuple[str, str, str]] = []
        try:
            for index in range(1, release.formation.get(process, 0) + 1):
                staging = names.staging_name(app, process, index, release.version)
                _start(release, process, index, staging)
                started.append((process, staging, names.container_name(app, process, index)))
            checks.verify(release, [(p, s) for p, s, _ in started], _check_host(app))
            _post_deploy(app, [s for _, s, _ in started])
        except BaseException:
            for _, staging, _ in started:
                engine.remove_container(staging)
            raise
        _swap_names(app, old, started)
        if route:
            route()
        retire_later(app, [c.name for c in old])

    def stop(self, app: str) -> None:
        """Stop the app's containers (they stay, for `ps:start`)."""
        end_watch(app)
        timeout = int(setting(app, "ps", "stop-timeout-seconds", "30"))
        for info in live_containers(app):
            if info.running:
                engine.stop_container(info.name, timeout=timeout)

    def start(self, app: str) -> bool:
        """Start the app's stopped containers; return False when it has none."""
        end_watch(app)
        found = live_containers(app)
        for info in found:
            if not info.running:
                engine.start_container(info.name)
        return bool(found)

    def destroy(self, app: str) -> None:
        """Remove every container of the app: deploy, retiring and one-off ones."""
        end_watch(app)
        for info in engine.containers({engine.LABEL_APP: app}):
            engine.remove_container(info.name)
        set_active(app, 0)

    def web_upstreams(self, app: str) -> list[str]:
        """Return the bridge IPs of the app's running web containers."""
        return [
            c.ip
            for c in live_containers(app)
            if c.running and c.ip and c.labels.get(engine.LABEL_PROCESS) == "web"
        ]


def _start(release: Release, process: str, index: int, name: str) -> None:
    from pydokku import dockerargs

    app = release.app
    rev_var = setting(app, "git", "rev-env-var", "GIT_REV")
    env = names.environment(release, process, index, rev_var)
    entrypoint = engine.image_config(release.image).get("Entrypoint")
    options = dockerargs.container_options("deploy", app, process)
    start_cmd, dockerfile_start_cmd = start_overrides(app)
    engine.remove_container(name)
    output.verbose(f"Starting {names.container_name(app, process, index)}")
    engine.run_container(
        name,
        release.image,
        command=names.command(release, process, entrypoint, env, start_cmd, dockerfile_start_cmd),
        env=env,
        labels=names.labels(release, process, index),
        extra=options,
    )


def _post_deploy(app: str, containers: list[str]) -> None:
    """Run `core_post_deploy` for checked containers (networks joined before the switch)."""
    if containers:
        from pydokku.plugins.manager import hook

        hook().core_post_deploy(app=app, containers=containers)


def start_overrides(app: str) -> tuple[str, str]:
    """Return (start-cmd, dockerfile-start-cmd): the first for auto-built apps, else the second.

    As in Dokku, `start-cmd` is for buildpack-style builds (here the auto builder) and
    `dockerfile-start-cmd` for Dockerfile and image deploys.
    """
    if properties.get("builder", app, "detected") == "auto":
        return properties.get("ps", app, "start-cmd") or "", ""
    return "", properties.get("ps", app, "dockerfile-start-cmd") or ""


def failed_log_lines(app: str, containers: list[str], per_container: int = 20) -> list[str]:
    """Return the last log lines of new containers, `APP[web.1]:`-prefixed (failed ones first)."""
    infos = [i for i in (engine.container(n) for n in containers) if i is not None]
    infos.sort(key=lambda i: i.running and i.restart_count == 0)
    lines: list[str] = []
    for info in infos:
        dyno = info.labels.get(engine.LABEL_DYNO, info.name)
        try:
            lines += [f"{app}[{dyno}]: {ln}" for ln in engine.logs(info.name, tail=per_container)]
        except DokkuError:
            continue
    return lines


def _check_host(app: str) -> str:
    """Return the Host header checks send: the app's first domain."""
    from pydokku.plugins.domains.logic import app_vhosts

    vhosts = app_vhosts(app)
    return vhosts[0] if vhosts else ""


def _stop_unchecked(app: str, old: list[engine.ContainerInfo]) -> list[str]:
    """Stop old containers of processes with checks disabled (Dokku's downtime mode)."""
    stopped = []
    for info in old:
        process = info.labels.get(engine.LABEL_PROCESS, "")
        if info.running and checks.mode(app, process) == "disabled":
            engine.stop_container(info.name, int(setting(app, "ps", "stop-timeout-seconds", "30")))
            stopped.append(info.name)
    return stopped


def _undo(
    app: str,
    previous: int,
    started: list[tuple[str, str, str]],
    stopped_first: list[str],
    route: Callable[[], None] | None,
) -> None:
    """Put the old containers back in charge after a failed deploy."""
    for name in stopped_first:
        engine.start_container(name)
    set_active(app, previous)
    for _, staging, _ in started:
        engine.remove_container(staging)
    if route:
        output.warn("Switching traffic back to the previous release")
        route()


def _swap_names(
    app: str, old: list[engine.ContainerInfo], started: list[tuple[str, str, str]]
) -> None:
    """Give the new containers their final names and the old ones retiring names."""
    for info in old:
        version = info.labels.get(names.RELEASE_LABEL, "0")
        retired = _retired_name(info.name, version)
        engine.rename_container(info.name, retired)
        engine.update_restart_policy(retired, "no")
        info.name = retired
    for _, staging, final in started:
        engine.rename_container(staging, final)


def _retired_name(name: str, version: str) -> str:
    """Return a free retiring name (a restart of one process keeps the release version)."""
    retired = f"{name}.retired-v{version}"
    if engine.container(retired) is None:
        return retired
    import secrets

    return f"{retired}.{secrets.token_hex(3)}"


def retire_later(app: str, containers: list[str], wait_s: int | None = None) -> None:
    """Stop and remove old containers in a detached process after wait-to-retire."""
    if not containers:
        return
    wait = wait_s if wait_s is not None else int(setting(app, "checks", "wait-to-retire", "60"))
    runner.spawn_dokku("ps:retire", app, "--after", str(wait), *containers)


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
