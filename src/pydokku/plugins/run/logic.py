"""One-off containers from an app's current image (`run`, `run:detached`)."""

from __future__ import annotations

import secrets
import shlex

from pydokku import engine, release
from pydokku.errors import DokkuError
from pydokku.plugins.apps.logic import require_app
from pydokku.release import Release
from pydokku.validation import validate_env_key

RUN_TYPE = "run"
DEFAULT_DETACHED_TTL_S = 86400
# Dokku's label: seconds a one-off container may run before `run:retire` stops it.
DEADLINE_LABEL = "com.dokku.active-deadline-seconds"


def current_release(app: str) -> Release:
    """Return the release one-off containers start from."""
    found = release.current(require_app(app))
    if found is None:
        raise DokkuError(f"App {app} has not been deployed")
    return found


def resolve_command(rel: Release, words: list[str]) -> list[str]:
    """Turn `run` words into a command; a Procfile process name runs that entry."""
    if not words:
        return ["/bin/sh"]
    entry = rel.procfile.get(words[0])
    if entry:
        line = " ".join([entry, *(shlex.quote(w) for w in words[1:])])
        return ["/bin/sh", "-c", line]
    return words


def parse_env_options(pairs: list[str]) -> dict[str, str]:
    """Parse `-e KEY=VALUE` options."""
    env = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise DokkuError(f"Invalid -e value {pair!r}: expected KEY=VALUE")
        env[validate_env_key(key)] = value
    return env


def container_name(app: str) -> str:
    """Return a fresh one-off container name `APP.run.NNNN`."""
    return f"{app}.{RUN_TYPE}.{secrets.randbelow(9000) + 1000}"


def one_off_labels(app: str, ttl: int = 0) -> dict[str, str]:
    """Return the labels of a one-off container (with its deadline, if it has one)."""
    labels = {
        engine.LABEL_DOKKU: "",
        engine.LABEL_APP: app,
        engine.LABEL_PROCESS: RUN_TYPE,
        "com.dokku.container-type": RUN_TYPE,
    }
    if ttl > 0:
        labels[DEADLINE_LABEL] = str(ttl)
    return labels


def attach_argv(name: str) -> list[str]:
    """Return the docker CLI words that start a created one-off attached to this terminal."""
    return ["start", "--attach", "--interactive", name]


def run(
    app: str,
    words: list[str],
    extra_env: dict[str, str],
    *,
    tty: bool,
    detach: bool,
    ttl: int = 0,
) -> tuple[int, str]:
    """Run a one-off container; return (exit code, container name).

    The container is created through the engine adapter with the run-phase options
    (docker-options, resources, mounts, networks); the docker CLI only attaches to it.
    """
    from pydokku import dockerargs

    rel = current_release(app)
    env = {**rel.config, "DYNO": f"{RUN_TYPE}.1"}
    options = dockerargs.container_options("run", app, RUN_TYPE)
    options["environment"] = {**options.get("environment", {}), **extra_env}  # -e wins
    options.update(auto_remove=detach, tty=tty, stdin_open=not detach)
    name = container_name(app)
    command = resolve_command(rel, words)
    labels = one_off_labels(app, ttl)
    engine.start_app_container(
        name, rel.image, command, env=env, labels=labels, options=options, start=detach
    )
    if detach:
        return 0, name
    try:
        code = engine.exec_interactive(attach_argv(name))
        report_oom(app, name)
        return code, name
    finally:
        engine.remove_container(name)  # kept until now to read why it stopped


def report_oom(app: str, name: str) -> None:
    """Say so, and record an event, when a one-off container was killed for memory."""
    from pydokku import output, state

    info = engine.container(name)
    if info is None or not info.oom_killed:
        return
    detail = f"{name} was killed: out of memory (limit {info.memory_limit // (1 << 20)} MB)"
    output.warn(detail)
    with state.transaction() as conn:
        state.record_event(conn, app, "run:oom", detail)


def stop_later(name: str, seconds: int) -> None:
    """Stop a detached one-off container after its time to live, from a detached process."""
    from pydokku import runner

    runner.spawn_dokku("run:stop", "--container", name, "--after", str(seconds))


def one_off_containers(app: str | None) -> list[engine.ContainerInfo]:
    """Return the running one-off containers of an app, or of every app."""
    labels = {"com.dokku.container-type": RUN_TYPE}
    if app:
        labels[engine.LABEL_APP] = require_app(app)
    return engine.containers(labels)


def find_one_off(name: str) -> engine.ContainerInfo:
    """Return a one-off container by name, refusing any other container."""
    info = engine.container(name)
    if info is None or info.labels.get("com.dokku.container-type") != RUN_TYPE:
        raise DokkuError(f"No one-off container named {name}")
    return info
