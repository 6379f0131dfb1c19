"""Build records: rows of the `builds` table plus one private output file per build.

Files live in Dokku's place, `$DOKKU_LIB_ROOT/data/builds/APP/ID.log` (0600, in 0700
directories). Statuses are Dokku's: running, succeeded, failed, canceled; a running
record whose process is gone shows as `abandoned`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydokku import paths, properties, state
from pydokku.errors import DokkuError
from pydokku.ids import is_build_id

PLUGIN = "builds"
DEFAULT_RETENTION = 20
KINDS = ("build", "deploy")
STATUSES = ("running", "succeeded", "failed", "canceled", "abandoned")
OUTPUT_CAP_BYTES = 10 * 1024 * 1024  # per build; the rest is dropped with a note


def log_path(app: str, build_id: str) -> Path:
    """Return the output file of a build."""
    return paths.lib_root() / "data" / "builds" / app / f"{build_id}.log"


def pid_alive(pid: int) -> bool:
    """Tell whether a process with this id exists (EPERM: it does, as another user)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def insert(build_id: str, app: str, source: str, pid: int) -> None:
    """Record a build that has started."""
    with state.transaction() as conn:
        conn.execute(
            "INSERT INTO builds (id, app, kind, source, status, pid, started_at) "
            "VALUES (?, ?, 'build', ?, 'running', ?, ?)",
            (build_id, app, source, pid, state.now()),
        )
        state.record_event(conn, app, "builds:start", f"{build_id} ({source})")


def set_stage(build_id: str, stage: str) -> None:
    """Note that a running build moved on (`deploy`: its containers are being switched)."""
    with state.transaction() as conn:
        conn.execute("UPDATE builds SET stage = ? WHERE id = ?", (stage, build_id))


def finish(build_id: str, status: str, exit_code: int, release: int = 0, reason: str = "") -> bool:
    """Close a running build; return False when it was closed already (e.g. by a cancel)."""
    with state.transaction() as conn:
        row = conn.execute("SELECT app, status FROM builds WHERE id = ?", (build_id,)).fetchone()
        if row is None or row["status"] != "running":
            return False
        conn.execute(
            "UPDATE builds SET status = ?, finished_at = ?, exit_code = ?, release = ?, "
            "reason = ? WHERE id = ?",
            (status, state.now(), exit_code, release, reason[:500], build_id),
        )
        state.record_event(conn, row["app"], f"builds:{status}", build_id)
    return True


def get(app: str, build_id: str) -> dict[str, Any]:
    """Return one build of an app, or raise."""
    if not is_build_id(build_id):
        raise DokkuError(f"Invalid build id {build_id[:40]!r}; see `dokku builds:list {app}`")
    rows = state.query("SELECT * FROM builds WHERE app = ? AND id = ?", (app, build_id))
    if not rows:
        raise DokkuError(f"No build record found for {app}/{build_id}")
    return dict(rows[0])


def for_app(app: str) -> list[dict[str, Any]]:
    """Return an app's builds, newest first."""
    rows = state.query("SELECT * FROM builds WHERE app = ? ORDER BY id DESC", (app,))
    return [dict(r) for r in rows]


def running(app: str | None = None) -> list[dict[str, Any]]:
    """Return the builds still marked running (of one app, or of all), newest first."""
    sql, params = "SELECT * FROM builds WHERE status = 'running'", [app] if app else []
    if app:
        sql += " AND app = ?"
    return [dict(r) for r in state.query(sql + " ORDER BY id DESC", tuple(params))]


def live(app: str) -> dict[str, Any] | None:
    """Return the app's build in progress (running, its process alive), or None."""
    return next((b for b in running(app) if pid_alive(int(b["pid"]))), None)


def display_status(build: dict[str, Any]) -> str:
    """Return the status to show: `abandoned` for a running record whose process is gone."""
    if build["status"] == "running" and not pid_alive(int(build["pid"])):
        return "abandoned"
    return str(build["status"])


def retention(app: str) -> int:
    """Return how many finished builds of the app to keep (app, global, then 20)."""
    value = properties.resolve(PLUGIN, app, "retention", str(DEFAULT_RETENTION))
    return int(value) if value.isdigit() and int(value) >= 1 else DEFAULT_RETENTION


def retention_problem(value: str) -> str | None:
    """Property validator for `retention`: a whole number of 1 or more."""
    if not (value.isascii() and value.isdigit()) or int(value) < 1 or len(value) > 6:
        return "expected a whole number of 1 or more"
    return None


def reap_abandoned(app: str) -> int:
    """Mark running records whose process is gone as failed; return how many."""
    gone = [b["id"] for b in running(app) if not pid_alive(int(b["pid"]))]
    for build_id in gone:
        finish(build_id, "failed", -1, reason="the build process ended without a result")
    return len(gone)


def prune(app: str) -> int:
    """Reap abandoned builds and drop the finished ones beyond retention; return how many."""
    reap_abandoned(app)
    finished = [b for b in for_app(app) if b["status"] != "running"]
    extra = finished[retention(app) :]
    if not extra:
        return 0
    with state.transaction() as conn:
        for build in extra:
            conn.execute("DELETE FROM builds WHERE id = ?", (build["id"],))
    for build in extra:
        log_path(app, build["id"]).unlink(missing_ok=True)
    return len(extra)


def remove_all(app: str) -> None:
    """Remove an app's build output files (its rows go with the app)."""
    import shutil

    shutil.rmtree(log_path(app, "x").parent, ignore_errors=True)


def go_duration(seconds: int) -> str:
    """Return a duration as Go prints one rounded to seconds: `0s`, `1m5s`, `2h0m3s`."""
    hours, rest = divmod(max(seconds, 0), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes}m{secs}s"
    return f"{minutes}m{secs}s" if minutes else f"{secs}s"


def view(build: dict[str, Any]) -> dict[str, Any]:
    """Return a build as `builds:list|info --format json` prints it (Dokku's fields)."""
    import datetime

    def parse(text: str) -> datetime.datetime:
        return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.UTC)

    started = parse(build["started_at"])
    end = (
        parse(build["finished_at"]) if build["finished_at"] else datetime.datetime.now(datetime.UTC)
    )
    found: dict[str, Any] = {
        "id": build["id"],
        "app": build["app"],
        "kind": build["kind"],
        "pid": build["pid"],
        "started_at": build["started_at"],
        "status": build["status"],
        "source": build["source"],
        "display_status": display_status(build),
        "duration": go_duration(int((end - started).total_seconds())),
        "log_path": str(log_path(build["app"], build["id"])),
        "release": f"v{build['release']}" if build["release"] else "",
    }
    if build["finished_at"]:
        found["finished_at"] = build["finished_at"]
    if build["exit_code"] is not None:
        found["exit_code"] = build["exit_code"]
    return found
