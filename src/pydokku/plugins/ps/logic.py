"""Process management: scale, stop, start, restart, rebuild and restore apps."""

from __future__ import annotations

import json
import re
import tempfile
import time
from pathlib import Path

from pydokku import engine, output, paths, properties, release, runner, state, strategies
from pydokku.errors import DokkuError
from pydokku.plugins.apps.logic import list_apps, require_app
from pydokku.plugins.ps import formation

PLUGIN = "ps"
_RESTART_POLICY_RE = re.compile(r"^(no|always|unless-stopped|on-failure(:[0-9]+)?)$")


def validate_restart_policy(value: str) -> str | None:
    """Property validator: a Docker restart policy."""
    ok = _RESTART_POLICY_RE.match(value)
    return None if ok else "expected no, always, unless-stopped or on-failure[:N]"


def validate_words(value: str) -> str | None:
    """Property validator: words a shell could split (balanced quotes)."""
    import shlex

    try:
        shlex.split(value)
    except ValueError as exc:
        return f"cannot split it into words ({exc})"
    return None


def is_stopped(app: str) -> bool:
    """Tell whether the app was stopped by hand (`ps:stop`)."""
    return properties.get(PLUGIN, app, "stopped") == "true"


def _set_stopped(app: str, stopped: bool) -> None:
    with state.transaction() as conn:
        properties.store(conn, PLUGIN, app, "stopped", "true" if stopped else None)


def scale(app: str, quantities: dict[str, int], *, skip_deploy: bool = False) -> None:
    """Store new quantities and, for a running app, add or remove containers to match."""
    require_app(app)
    current = release.current(app)
    if current is not None:
        unknown = [p for p in quantities if p not in current.process_types]
        if unknown:
            known = ", ".join(current.process_types)
            raise DokkuError(f"Unknown process type {unknown[0]!r}; the app has: {known}")
    formation.store(app, quantities)
    if current is None or skip_deploy or is_stopped(app):
        return
    from pydokku.plugins.deploy.lock import deploy_lock
    from pydokku.plugins.deploy.logic import rebuild_proxy

    with deploy_lock(app):
        current.formation = formation.resolve(app, current.process_types, current.app_json)
        strategies.scheduler_for(app).scale(current, route=lambda: rebuild_proxy(app))


def stop(app: str) -> None:
    """Stop the app's processes; it stays stopped across restores until `ps:start`."""
    require_app(app)
    _set_stopped(app, True)
    _route(app)  # traffic leaves first: requests get a quick 502, not a dead upstream
    strategies.scheduler_for(app).stop(app)


def start(app: str) -> None:
    """Start a stopped app, or deploy its current release if it has no containers."""
    require_app(app)
    _set_stopped(app, False)
    if release.current(app) is None:
        raise DokkuError(f"App {app} has not been deployed")
    _pre_start(app)
    if strategies.scheduler_for(app).start(app):
        _route(app)
        return
    restart(app)


def restart(app: str) -> None:
    """Replace the app's containers with fresh ones of the current release."""
    from pydokku.plugins.deploy.logic import redeploy

    _set_stopped(app, False)
    redeploy(app, "restart", "Restart")


def restart_process(app: str, process: str) -> None:
    """Replace one process type's containers with fresh ones of the current release."""
    from pydokku.plugins.deploy.lock import deploy_lock
    from pydokku.plugins.deploy.logic import rebuild_proxy

    current = release.current(require_app(app))
    if current is None:
        raise DokkuError(f"App {app} has not been deployed")
    if process not in current.process_types:
        known = ", ".join(current.process_types)
        raise DokkuError(f"Unknown process type {process!r}; the app has: {known}")
    with deploy_lock(app):
        current.formation = formation.resolve(app, current.process_types, current.app_json)
        if not current.formation.get(process):
            raise DokkuError(f"Process type {process} of {app} is scaled to 0")
        strategies.scheduler_for(app).restart_process(
            current, process, route=lambda: rebuild_proxy(app)
        )


def rebuild(app: str) -> None:
    """Build the app again from the deploy branch of its repo, then deploy it."""
    from pydokku.plugins.builds.record import recording
    from pydokku.plugins.deploy.logic import deploy_from_source

    require_app(app)
    repo = paths.app_dir(app)
    branch = properties.resolve("git", app, "deploy-branch", "master")
    rev = runner.run(
        ["git", "-C", str(repo), "rev-parse", "--verify", f"{branch}^{{commit}}"], check=False
    )
    if rev.returncode != 0:
        raise DokkuError(f"App {app} has no pushed code on branch {branch} to rebuild")
    sha = rev.stdout.strip()
    with recording(app, "ps:rebuild"), tempfile.TemporaryDirectory(prefix=f"pydokku-{app}-") as tmp:
        _extract(repo, sha, Path(tmp))
        _set_stopped(app, False)
        deploy_from_source(app, Path(tmp), sha)


def _extract(repo: Path, sha: str, target: Path) -> None:
    from pydokku.archive import safe_extract

    with tempfile.TemporaryDirectory(prefix="pydokku-archive-") as scratch:
        archive = Path(scratch) / "source.tar"
        runner.run(["git", "-C", str(repo), "archive", "--format=tar", "-o", str(archive), sha])
        safe_extract(archive, target)


def restore(apps: list[str] | None = None) -> list[str]:
    """Bring back every app not stopped by hand (after a reboot or a dockerd restart).

    One app that cannot come back (its image was deleted, say) does not keep the others
    down: each failure is reported, and the command fails at the end naming them all.
    """
    restored, failed = [], []
    for app in apps or list_apps():
        if is_stopped(app) or release.current(app) is None:
            continue
        if properties.resolve(PLUGIN, app, "restore", "true") == "false":
            continue
        output.step(f"Restoring {app}")
        try:
            _restore_one(app)
        except DokkuError as exc:
            output.warn(exc.message)
            failed.append(app)
            continue
        restored.append(app)
    if failed:
        raise DokkuError(f"Could not restore {len(failed)} app(s): {' '.join(failed)}")
    return restored


def _restore_one(app: str) -> None:
    _pre_start(app)
    if strategies.scheduler_for(app).start(app) and _web_ready(app):
        _route(app)
    else:
        restart(app)


def _pre_start(app: str) -> None:
    """Let plugins start what the app needs first (linked database services)."""
    from pydokku.plugins.manager import hook

    hook().pre_start(app=app)


def _web_ready(app: str, wait_s: float = 10.0) -> bool:
    """Wait briefly for started web containers to get their addresses back."""
    deadline = time.monotonic() + wait_s
    current = release.current(app)
    expected = current.formation.get("web", 0) if current else 0
    while time.monotonic() < deadline:
        if len(strategies.scheduler_for(app).web_upstreams(app)) >= expected:
            return True
        time.sleep(0.2)
    return False


def _route(app: str) -> None:
    from pydokku.plugins.deploy.logic import rebuild_proxy

    rebuild_proxy(app)


def report_rows(app: str) -> list[tuple[str, str]]:
    """Report rows: deployed, running, process counts and each container's status."""
    from pydokku.plugins.scheduler_docker_local.logic import live_containers

    current = release.current(app)
    live = live_containers(app) if current else []
    running = [c for c in live if c.running]
    state_word = "true" if live and len(running) == len(live) else "mixed" if running else "false"
    rows = [
        ("deployed", "true" if current else "false"),
        ("processes", str(len(live))),
        ("running", state_word),
        ("stopped-by-user", "true" if is_stopped(app) else "false"),
        ("last-failed-deploy", _last_failed_deploy(app)),
    ]
    for info in sorted(live, key=lambda c: c.labels.get(engine.LABEL_DYNO, "")):
        dyno = info.labels.get(engine.LABEL_DYNO, info.name).replace(".", "-")
        rows.append((f"status-{dyno}", f"{info.status} (CID: {info.id[:12]})"))
    return rows


def _last_failed_deploy(app: str) -> str:
    """Describe a failed deploy newer than the running release (where to read why)."""
    failed = release.last_failure(app)
    if failed is None:
        return ""
    reason = (failed.failure_reason.splitlines() or ["unknown reason"])[0]
    return f"v{failed.version}: {reason} (dokku logs:failed {app})"


def inspect(app: str) -> str:
    """Return `docker inspect` of the app's containers with config values hidden."""
    from pydokku.plugins.scheduler_docker_local.logic import live_containers

    require_app(app)
    found = []
    for info in live_containers(app):
        attrs = engine.inspect_container(info.name)
        env = attrs.get("Config", {}).get("Env") or []
        attrs["Config"]["Env"] = [item.split("=", 1)[0] + "=<hidden>" for item in env]
        found.append(attrs)
    return json.dumps(found, indent=2)
