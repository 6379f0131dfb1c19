"""The deploy pipeline: build an image, release it, run it, route traffic to it."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pydokku import (
    appjson,
    engine,
    output,
    procfile,
    properties,
    release,
    sourcetree,
    strategies,
)
from pydokku.errors import DokkuError
from pydokku.plugins.apps.logic import is_locked, require_app
from pydokku.plugins.config.logic import merged_env
from pydokku.plugins.deploy.lock import deploy_lock
from pydokku.plugins.manager import hook
from pydokku.plugins.ports import logic as ports
from pydokku.plugins.ps import formation
from pydokku.release import Release


def image_repository(app: str) -> str:
    """Return the image repository of an app (`dokku/APP`)."""
    return f"dokku/{app}"


def new_image_tag(app: str, git_rev: str) -> str:
    """Return a fresh, immutable image tag for a build."""
    suffix = git_rev[:7] if git_rev else secrets.token_hex(3)
    return f"{image_repository(app)}:{time.strftime('%Y%m%d%H%M%S')}-{suffix}"


def deploy_from_source(
    app: str, source: Path, git_rev: str = "", builder: strategies.Builder | None = None
) -> Release:
    """Build a source tree into an image and deploy it; raise DokkuError on failure.

    `builder` skips builder selection and build-dir (deploys of a prebuilt image).
    """
    require_app(app)
    with deploy_lock(app):
        _refuse_if_locked(app)
        build_source = source if builder else _build_dir(app, source)
        procs = _read_procfile(app, build_source)
        app_json = _read_app_json(app, build_source)
        _add_legacy_checks(app_json, build_source)
        _apply_env_defaults(app, app_json)
        tag = new_image_tag(app, git_rev)
        builder = builder or _select_builder(app, build_source)
        hook().pre_build(app=app, source=str(build_source))  # the pushed files were accepted
        env = merged_env(app)
        image_id = builder.build(app, build_source, [tag, f"{image_repository(app)}:latest"], env)
        hook().post_build(app=app, image=tag)
        new = Release(
            app,
            kind="deploy",
            image=tag,
            image_id=image_id,
            git_rev=git_rev,
            procfile=procs,
            app_json=app_json,
            description=f"Deploy {git_rev[:7] or tag}",
        )
        return deploy_release(new)


def redeploy(app: str, kind: str, description: str, base: Release | None = None) -> Release:
    """Deploy an existing release's image again with the current config (restart, config)."""
    require_app(app)
    with deploy_lock(app):
        current = base or release.current(app)
        if current is None:
            raise DokkuError(f"App {app} has not been deployed")
        again = Release(
            app,
            kind=kind,
            image=current.image,
            image_id=current.image_id,
            git_rev=current.git_rev,
            procfile=current.procfile,
            app_json=current.app_json,
            description=description,
        )
        return deploy_release(again)


def deploy_release(new: Release, config: dict[str, str] | None = None) -> Release:
    """Run a release (caller holds the deploy lock): release phase, containers, proxy."""
    with _not_stopped_by_hangup():
        return _deploy_release(new, config)


@contextmanager
def _not_stopped_by_hangup() -> Iterator[None]:
    """Keep deploying when the client's terminal hangs up: a switch or a rollback must finish."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGHUP, previous)


def _deploy_release(new: Release, config: dict[str, str] | None) -> Release:
    app = new.app
    if not engine.image_exists(new.image):
        raise DokkuError(
            f"Image {new.image} of {app} is gone; rebuild with `dokku ps:rebuild {app}`"
        )
    _clean_crashed_deploy(app)
    ports.store_detected(app, ports.exposed_tcp_ports(engine.image_config(new.image)))
    if notice := ports.exposed_notice(app):
        output.warn(notice)
    new.web_port = ports.web_container_port(app)
    new.config = config if config is not None else merged_env(app)
    new.formation = formation.resolve(app, new.process_types, new.app_json)
    recorded = release.record(new, "pending")
    try:
        _release_phase(recorded)
        if skips_deploy(recorded):
            release.set_status(recorded, "succeeded")
            output.step("Skipping deployment")
            return recorded
        hook().pre_deploy(release=recorded)
        scheduler = strategies.scheduler_for(app)
        output.step(f"Deploying {app} (v{recorded.version}) via the {scheduler.name} scheduler")
        watch = scheduler.deploy(recorded, route=lambda: rebuild_proxy(app))
    except BaseException as exc:
        release.record_failure(app, recorded, failure_reason(exc), _log_lines(exc))
        raise
    try:
        release.set_status(recorded, "succeeded")
        _mark_deployed(app)
        _run_script(recorded, "postdeploy")
        hook().post_deploy(release=recorded)
        if notice := idle_notice(recorded):
            output.warn(notice)
        elif "web" in recorded.process_types:
            _print_urls(app)
    finally:
        if watch is not None:  # the rest of the watch window, after the command returns
            watch.start()
    return recorded


def idle_notice(new: Release) -> str:
    """Say so when a release runs no process at all (a Procfile without `web`)."""
    if any(new.formation.values()):
        return ""
    first = new.process_types[0]
    why = "" if "web" in new.process_types else "its Procfile has no web process and "
    return (
        f"No process of {new.app} runs: {why}every process type is scaled to 0. "
        f"Start one with: dokku ps:scale {new.app} {first}=1"
    )


def skips_deploy(new: Release) -> bool:
    """Tell whether `ps:set skip-deploy true` stops this release after its release phase.

    As in Dokku, `ps:restart`, rollbacks and scaling still deploy (they start the latest release).
    """
    if new.kind not in ("deploy", "config"):
        return False
    return properties.resolve("ps", new.app, "skip-deploy", "false") == "true"


def failure_reason(exc: BaseException) -> str:
    """Return the one-paragraph reason a deploy stopped, for the failure record."""
    if isinstance(exc, DokkuError):
        return exc.message
    if isinstance(exc, KeyboardInterrupt):
        return "The deploy was interrupted"
    if isinstance(exc, SystemExit):
        return "The deploy process was stopped"
    return f"{type(exc).__name__}: {exc}"


def _log_lines(exc: BaseException) -> list[str]:
    return list(exc.log_lines) if isinstance(exc, DokkuError) else []


def _clean_crashed_deploy(app: str) -> None:
    """Remove what a deploy that crashed left (we hold the deploy lock, so none runs).

    Its staging containers (`APP.PROC.N.vV`) and release-phase containers would run
    forever, and its `pending` release would never end.
    """
    from pydokku.plugins.core.cleanup import CONTAINER_TYPE_LABEL, fail_pending_releases

    labels = {engine.LABEL_DOKKU: "", engine.LABEL_APP: app}
    for info in engine.labelled_containers(labels):
        kind = info.labels.get(CONTAINER_TYPE_LABEL, "")
        if kind == "release" or (kind == "deploy" and is_staging_name(info.name)):
            engine.remove_container(info.id)
            output.verbose(f"Removed {info.name}, left by a deploy that did not finish")
    fail_pending_releases(app)


def is_staging_name(name: str) -> bool:
    """Tell whether a container name is a staging one: `APP.PROC.N.vV`."""
    head, dot, version = name.rpartition(".v")
    return bool(head and dot and version.isascii() and version.isdigit())


def rebuild_proxy(app: str) -> None:
    """Rebuild the app's proxy config (removed when its proxy is disabled)."""
    from pydokku.plugins.proxy.logic import build_config

    build_config(app)


def _refuse_if_locked(app: str) -> None:
    if is_locked(app):
        raise DokkuError(f"Deploys of {app} are locked; run `dokku apps:unlock {app}` first")


def _build_dir(app: str, source: Path) -> Path:
    from pydokku.plugins.builder.logic import build_dir

    return build_dir(app, source)


def _select_builder(app: str, source: Path) -> strategies.Builder:
    from pydokku.plugins.builder.logic import select_builder

    return select_builder(app, source)


def _read_procfile(app: str, source: Path) -> dict[str, str]:
    name = properties.resolve("ps", app, "procfile-path", "Procfile")
    text = sourcetree.read_text(source, name, what=f"procfile-path {name}")
    if text is None:
        return {}
    output.step(f"Reading {name}")
    return procfile.parse_procfile(text, name)


def _read_app_json(app: str, source: Path) -> dict[str, object]:
    """Read and check app.json before anything is built (formation, healthchecks, cron)."""
    from pydokku.plugins.app_json.logic import read
    from pydokku.plugins.checks.spec import from_app_json

    app_json = read(app, source)
    appjson.formation(app_json)
    from_app_json(app_json)
    hook().app_json_is_valid(app=app, app_json=app_json)
    return app_json


def _apply_env_defaults(app: str, app_json: dict[str, object]) -> None:
    """Set the app.json `env` vars that are not set yet (defaults, generated secrets)."""
    from pydokku.plugins.config.logic import set_vars

    missing = appjson.env_defaults(app_json, merged_env(app))
    if missing:
        output.step(f"Setting config vars from app.json: {' '.join(sorted(missing))}")
        set_vars(app, missing, restart=False)


def _add_legacy_checks(app_json: dict[str, object], source: Path) -> None:
    """Turn a CHECKS file into web healthchecks when app.json declares none."""
    from pydokku.plugins.checks.spec import from_checks_file

    declared = app_json.get("healthchecks")
    if isinstance(declared, dict) and "web" in declared:
        return
    text = sourcetree.read_text(source, "CHECKS")
    if text is None:
        return
    output.warn("The CHECKS file is deprecated; declare healthchecks in app.json instead")
    specs = from_checks_file(text)
    app_json["healthchecks"] = {**(declared if isinstance(declared, dict) else {}), "web": specs}


def _release_phase(new: Release) -> None:
    """Run app.json predeploy and the Procfile `release` command; a failure stops the deploy."""
    _run_script(new, "predeploy")
    command = new.procfile.get(release.RELEASE_PROCESS)
    if command:
        _run_one_off(new, command, "release command")


def _run_script(new: Release, phase: str) -> None:
    command = appjson.script(new.app_json, phase)
    if command:
        _run_one_off(new, command, f"{phase} script", phase)


def _run_one_off(new: Release, command: str, what: str, process: str = "release") -> None:
    from collections import deque

    from pydokku import dockerargs

    output.step(f"Running {what}: {command}")
    env = {**new.config, "DYNO": f"release.{new.version}"}
    tail: deque[str] = deque(maxlen=release.FAILURE_LOG_LINES)

    def show(line: str) -> None:
        tail.append(f"{new.app}[{what}]: {line}")
        output.verbose(line)

    code = engine.run_once(
        new.image,
        ["/bin/sh", "-c", command],
        env=env,
        labels={
            engine.LABEL_DOKKU: "",
            engine.LABEL_APP: new.app,
            "com.dokku.container-type": "release",
        },
        on_line=show,
        options=dockerargs.container_options("run", new.app, process),
    )
    if code != 0:
        error = DokkuError(f"The {what} failed with exit code {code}; the deploy was stopped")
        error.log_lines = list(tail)
        raise error


def _mark_deployed(app: str) -> None:
    from pydokku import state

    if properties.get("ps", app, "stopped") is not None:
        with state.transaction() as conn:
            properties.store(conn, "ps", app, "stopped", None)


def _print_urls(app: str) -> None:
    from pydokku.plugins.domains.urls import app_urls

    urls = app_urls(app)
    if urls:
        output.header("Application deployed:")
        for url in urls:
            output.verbose(url)
