"""Running a cron task: a one-off container of the current release, its output logged.

The container is Dokku's: named `APP.cron.N`, labelled `com.dokku.container-type=cron`,
`com.dokku.cron-id` and `com.dokku.concurrency-policy`, with the app's config and the
run-phase container options (docker-options, resources, storage, networks). Its output
is appended to the app's cron log (`cron:logs`), prefixed like `logs` lines.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from pydokku import engine, output, paths, state
from pydokku.engine.create import wait_container
from pydokku.errors import DokkuError
from pydokku.plugins.cron.settings import find_task
from pydokku.plugins.cron.tasks import CronTask, command_words

CRON_TYPE = "cron"
CRON_ID_LABEL = "com.dokku.cron-id"
POLICY_LABEL = "com.dokku.concurrency-policy"
TYPE_LABEL = "com.dokku.container-type"
TTL_S = 86400  # Dokku's default: `run:retire` removes a task running longer
LOG_ROTATE_BYTES = 5 * 1024 * 1024


def log_path(app: str) -> Path:
    """Return the app's cron log (kept with one rotated file, `cron.log.1`)."""
    return paths.lib_root() / "data" / "cron" / app / "cron.log"


def log(app: str, dyno: str, line: str) -> None:
    """Append a line of a run to the app's cron log, stamped and prefixed `APP[cron.N]:`."""
    from pydokku import logfile

    logfile.append_line(log_path(app), f"{state.now()} {app}[{dyno}]: {line}", LOG_ROTATE_BYTES)


def running(task: CronTask) -> list[engine.ContainerInfo]:
    """Return the running containers of a task."""
    labels = {engine.LABEL_APP: task.app, CRON_ID_LABEL: task.id}
    return engine.containers(labels, include_stopped=False)


def apply_policy(task: CronTask) -> None:
    """Refuse (forbid) or stop (replace) a run of the task that is still going."""
    if task.concurrency_policy == "allow":
        return
    busy = running(task)
    if not busy:
        return
    if task.concurrency_policy == "forbid":
        log(task.app, CRON_TYPE, f"skipped task {task.id}: {busy[0].name} is still running")
        raise DokkuError(f"{task.app} currently has a cron lock in place for {task.id}; exiting")
    for info in busy:
        output.warn(f"Replacing running container {info.name} for {task.id}")
        engine.update_restart_policy(info.id, "no")
        engine.stop_container(info.id, timeout=10)


def start(app: str, task_id: str) -> tuple[str, str]:
    """Start a run of a task in the background; return (container name, dyno)."""
    from pydokku import dockerargs
    from pydokku.plugins.run.logic import current_release, resolve_command

    task = find_task(app, task_id)
    rel = current_release(app)
    words = command_words(task.command)
    apply_policy(task)
    dyno = f"{CRON_TYPE}.{secrets.randbelow(32768)}"
    name = f"{app}.{dyno}"
    labels = {
        engine.LABEL_DOKKU: "",
        engine.LABEL_APP: app,
        engine.LABEL_PROCESS: CRON_TYPE,
        TYPE_LABEL: CRON_TYPE,
        CRON_ID_LABEL: task.id,
        POLICY_LABEL: task.concurrency_policy,
        "com.dokku.active-deadline-seconds": str(TTL_S),
    }
    options = dockerargs.container_options("run", app, CRON_TYPE)
    options.update(tty=False, stdin_open=False, init=True)
    env = {**rel.config, "DYNO": dyno}
    log(app, dyno, f"starting task {task.id} in {name}: {task.command}")
    try:
        engine.start_app_container(
            name, rel.image, resolve_command(rel, words), env=env, labels=labels, options=options
        )
    except DokkuError as exc:
        log(app, dyno, f"could not start: {exc.message}")
        raise
    return name, dyno


def drain(app: str, name: str, echo: bool) -> int:
    """Copy a cron container's output to the cron log until it exits; remove it; return its code."""
    info = engine.container(name)
    if info is None or info.labels.get(TYPE_LABEL) != CRON_TYPE:
        raise DokkuError(f"No cron container named {name}")
    if info.labels.get(engine.LABEL_APP) != app:
        raise DokkuError(f"Container {name} does not belong to {app}")
    dyno = name[len(app) + 1 :]
    try:
        for line in engine.logs(name, follow=True):
            log(app, dyno, line)
            if echo:
                output.echo(line)
        code = wait_container(name)
        log(app, dyno, f"exited with code {code}")
        return code
    finally:
        engine.remove_container(name)


def run(app: str, task_id: str, detach: bool) -> tuple[int, str]:
    """Run a task now; attached, wait and return its exit code, else return at once."""
    name, _ = start(app, task_id)
    if detach:
        from pydokku import runner

        runner.spawn_dokku("cron:drain", app, name)
        return 0, name
    return drain(app, name, echo=True), name
