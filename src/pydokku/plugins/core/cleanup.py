"""`dokku cleanup [APP]`: remove the containers and images pydokku made and no longer uses.

Only containers labelled by pydokku for an app (`dokku` and `com.dokku.app-name`) are
considered, never service containers nor anything else on the host:
- every container of an app that no longer exists;
- exited, dead or never-started containers, except the live ones of the active release
  (`ps:stop` leaves those for `ps:start`);
- staging containers (`APP.PROC.N.vV`) and release-phase containers a crashed deploy left
  running, and releases it left `pending`: only while no deploy of the app runs (the
  app's deploy lock is taken for the sweep, an app whose lock is busy is skipped);
- untagged (`<none>`) images labelled by pydokku that no container uses.
"""

from __future__ import annotations

import re
from contextlib import ExitStack
from dataclasses import dataclass, field

from pydokku import engine, output, state
from pydokku.errors import DokkuError
from pydokku.validation import app_name_problem

STALE_STATUSES = frozenset({"exited", "dead", "created"})
CONTAINER_TYPE_LABEL = "com.dokku.container-type"
RELEASE_LABEL = "com.dokku.release"
_STAGING_RE = re.compile(r"\.v\d+\Z")


@dataclass
class Summary:
    """What one cleanup removed, and the apps it left alone."""

    containers: list[str] = field(default_factory=list)
    images: int = 0
    releases: int = 0
    busy: list[str] = field(default_factory=list)


def cleanup(app: str | None = None) -> Summary:
    """Remove what pydokku made and no longer uses, for one app or for all."""
    from pydokku.plugins.apps.logic import list_apps

    summary = Summary()
    by_app = _containers_by_app(app)
    existing = set(list_apps())
    names = {app} if app else set(by_app) | _apps_with_pending_releases()
    for name in sorted(names):
        _sweep_app(name, name in existing, by_app.get(name, []), summary)
    labels = {engine.LABEL_DOKKU: ""}
    if app:
        labels[engine.LABEL_APP] = app
    for image_id in engine.dangling_images(labels):
        if engine.remove_unused_image(image_id):
            summary.images += 1
    return summary


def is_unused(info: engine.ContainerInfo, app_exists: bool, active_release: int) -> bool:
    """Tell whether a container of an app is a leftover (the app's deploy lock is held)."""
    if not app_exists:
        return True
    kind = info.labels.get(CONTAINER_TYPE_LABEL, "")
    if kind == "deploy":
        live = (
            info.labels.get(RELEASE_LABEL) == str(active_release)
            and ".retired-" not in info.name
            and not _STAGING_RE.search(info.name)
        )
        if live:
            return False
        if _STAGING_RE.search(info.name):
            return True  # a crashed deploy's container: no deploy runs while we hold the lock
    if kind == "release":
        return True
    return info.status in STALE_STATUSES


def _containers_by_app(app: str | None) -> dict[str, list[engine.ContainerInfo]]:
    labels = {engine.LABEL_DOKKU: "", engine.LABEL_APP: app or ""}
    found: dict[str, list[engine.ContainerInfo]] = {}
    for info in engine.labelled_containers(labels):
        owner = info.labels.get(engine.LABEL_APP, "")
        if info.labels.get(engine.LABEL_DOKKU) == "service" or app_name_problem(owner):
            continue
        found.setdefault(owner, []).append(info)
    return found


def _apps_with_pending_releases() -> set[str]:
    rows = state.query("SELECT DISTINCT app FROM releases WHERE status = 'pending'")
    return {str(row["app"]) for row in rows}


def _sweep_app(
    app: str, exists: bool, containers: list[engine.ContainerInfo], summary: Summary
) -> None:
    from pydokku.plugins.deploy.lock import deploy_lock
    from pydokku.plugins.scheduler_docker_local.logic import active_version

    with ExitStack() as stack:
        try:
            stack.enter_context(deploy_lock(app, wait_s=0))
        except DokkuError:
            output.warn(f"A deploy of {app} is in progress; skipping it")
            summary.busy.append(app)
            return
        active = active_version(app) if exists else 0
        for info in containers:
            if is_unused(info, exists, active):
                engine.remove_container(info.id)
                output.verbose(f"Removed container {info.name}")
                summary.containers.append(info.name)
        if exists:
            summary.releases += fail_pending_releases(app)


def fail_pending_releases(app: str) -> int:
    """Mark the `pending` releases a crashed deploy left as failed; return how many."""
    with state.transaction() as conn:
        cursor = conn.execute(
            "UPDATE releases SET status = 'failed' WHERE app = ? AND status = 'pending'", (app,)
        )
        count = cursor.rowcount
        if count:
            state.record_event(conn, app, "cleanup", f"{count} pending release(s) marked failed")
    if count:
        output.verbose(f"Marked {count} pending release(s) of {app} as failed")
    return count
