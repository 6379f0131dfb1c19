"""Releases: each deploy and each config change records an immutable, numbered release.

A release holds everything needed to run the app again: image, git rev, Procfile,
app.json, config snapshot, formation and the web port.
"""

from __future__ import annotations

import json
from typing import Any

from pydokku import state, vault
from pydokku.cli.registry import actor_name

KINDS = ("deploy", "config", "rollback", "scale", "restart")
RELEASE_PROCESS = "release"  # the Procfile entry run once per deploy, before the swap
FAILURE_LOG_LINES = 100  # container log lines kept with a failed release


class Release:
    """One numbered release of an app."""

    def __init__(self, app: str, **fields: Any) -> None:
        self.app = app
        self.version: int = fields.get("version", 0)
        self.created_at: str = fields.get("created_at", "")
        self.kind: str = fields.get("kind", "deploy")
        self.status: str = fields.get("status", "pending")
        self.image: str = fields.get("image", "")
        self.image_id: str = fields.get("image_id", "")
        self.git_rev: str = fields.get("git_rev", "")
        self.procfile: dict[str, str] = fields.get("procfile", {})
        self.app_json: dict[str, Any] = fields.get("app_json", {})
        self._config: dict[str, str] | None = fields.get("config", {})
        self._sealed_config: dict[str, str] = {}
        self.formation: dict[str, int] = fields.get("formation", {})
        self.web_port: int = fields.get("web_port", 5000)
        self.actor: str = fields.get("actor", "")
        self.description: str = fields.get("description", "")
        self.failure_reason: str = fields.get("failure_reason", "")
        self.failure_logs: list[str] = fields.get("failure_logs", [])

    @property
    def config(self) -> dict[str, str]:
        """The config snapshot, opened on first use (only commands using values pay for it)."""
        if self._config is None:
            self._config = vault.unseal_map(self._sealed_config)
        return self._config

    @config.setter
    def config(self, env: dict[str, str]) -> None:
        self._config = env

    @property
    def config_keys(self) -> list[str]:
        """The names of the snapshot's vars, sorted (no decryption)."""
        return sorted(self._sealed_config if self._config is None else self._config)

    @property
    def process_types(self) -> list[str]:
        """Long-running process types: the Procfile's (without `release`), or just `web`."""
        return [p for p in self.procfile if p != RELEASE_PROCESS] or ["web"]

    def as_dict(self) -> dict[str, Any]:
        """Return the release as a JSON-ready dict (config values in clear)."""
        fields = {key: value for key, value in vars(self).items() if not key.startswith("_")}
        return {**fields, "config": self.config}

    @classmethod
    def from_row(cls, row: Any) -> Release:
        """Build a release from a `releases` row."""
        fields = dict(row)
        for key in ("procfile", "app_json", "formation", "failure_logs"):
            if key in fields:
                fields[key] = json.loads(fields[key])
        rel = cls(fields.pop("app"), **{k: v for k, v in fields.items() if k != "config"})
        rel._config = None
        rel._sealed_config = json.loads(fields["config"])
        return rel


def record(release: Release, status: str) -> Release:
    """Store a release as the app's next version and return it with its number."""
    with state.transaction() as conn:
        row = conn.execute(
            "SELECT COALESCE(MAX(version), 0) FROM releases WHERE app = ?", (release.app,)
        ).fetchone()
        release.version = int(row[0]) + 1
        release.created_at = state.now()
        release.status = status
        release.actor = release.actor or actor_name()
        conn.execute(
            "INSERT INTO releases (app, version, created_at, kind, status, image, image_id, "
            "git_rev, procfile, app_json, config, formation, web_port, actor, description) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                release.app,
                release.version,
                release.created_at,
                release.kind,
                status,
                release.image,
                release.image_id,
                release.git_rev,
                json.dumps(release.procfile),
                json.dumps(release.app_json),
                json.dumps(vault.seal_map(conn, release.config)),
                json.dumps(release.formation),
                release.web_port,
                release.actor,
                release.description,
            ),
        )
        state.record_event(
            conn, release.app, f"release:{release.kind}", f"v{release.version} {status}"
        )
    return release


def set_status(release: Release, status: str) -> None:
    """Change the status of a recorded release (pending -> succeeded | failed), as an event."""
    with state.transaction() as conn:
        conn.execute(
            "UPDATE releases SET status = ? WHERE app = ? AND version = ?",
            (status, release.app, release.version),
        )
        state.record_event(
            conn, release.app, f"release:{release.kind}", f"v{release.version} {status}"
        )
    release.status = status


def record_failure(
    app: str, release: Release | int, reason: str, log_lines: list[str] | None = None
) -> None:
    """Mark a release failed and keep why: the reason and the failing containers' last lines.

    The one record of a failed deploy: `releases:info`, `logs:failed`, `builds` and
    `ps:report` read it. `log_lines=None` keeps lines recorded earlier for the release.
    """
    version = release if isinstance(release, int) else release.version
    reason = reason.strip() or "unknown reason"
    with state.transaction() as conn:
        sets, params = "status = 'failed', failure_reason = ?", [reason]
        if log_lines is not None:
            sets += ", failure_logs = ?"
            params.append(json.dumps(log_lines[:FAILURE_LOG_LINES]))
        conn.execute(
            f"UPDATE releases SET {sets} WHERE app = ? AND version = ?",  # noqa: S608 (fixed text)
            (*params, app, version),
        )
        kind = conn.execute(
            "SELECT kind FROM releases WHERE app = ? AND version = ?", (app, version)
        ).fetchone()
        action = f"release:{kind[0] if kind else 'deploy'}"
        state.record_event(conn, app, action, f"v{version} failed: {reason.splitlines()[0]}")
    if isinstance(release, Release):
        release.status = "failed"
        release.failure_reason = reason
        if log_lines is not None:
            release.failure_logs = log_lines[:FAILURE_LOG_LINES]


def last_failure(app: str) -> Release | None:
    """Return the app's latest failed release newer than its current one, or None."""
    rows = state.query(
        "SELECT * FROM releases WHERE app = ? AND status = 'failed' AND version > "
        "(SELECT COALESCE(MAX(version), 0) FROM releases WHERE app = ? AND status = 'succeeded') "
        "ORDER BY version DESC LIMIT 1",
        (app, app),
    )
    return Release.from_row(rows[0]) if rows else None


def latest_failed(app: str) -> Release | None:
    """Return the app's latest failed release, even if a later one succeeded."""
    rows = state.query(
        "SELECT * FROM releases WHERE app = ? AND status = 'failed' ORDER BY version DESC LIMIT 1",
        (app,),
    )
    return Release.from_row(rows[0]) if rows else None


def current(app: str) -> Release | None:
    """Return the app's latest succeeded release that has an image, or None."""
    rows = state.query(
        "SELECT * FROM releases WHERE app = ? AND status = 'succeeded' AND image != '' "
        "ORDER BY version DESC LIMIT 1",
        (app,),
    )
    return Release.from_row(rows[0]) if rows else None


def history(app: str, limit: int = 100) -> list[Release]:
    """Return the app's releases, newest first."""
    rows = state.query(
        "SELECT * FROM releases WHERE app = ? ORDER BY version DESC LIMIT ?", (app, limit)
    )
    return [Release.from_row(r) for r in rows]


def get(app: str, version: int) -> Release | None:
    """Return one release by number."""
    rows = state.query("SELECT * FROM releases WHERE app = ? AND version = ?", (app, version))
    return Release.from_row(rows[0]) if rows else None


def has_image(app: str) -> bool:
    """Tell whether a release with an image exists that is not failed (a deploy may be live)."""
    rows = state.query(
        "SELECT 1 FROM releases WHERE app = ? AND image != '' AND status != 'failed' LIMIT 1",
        (app,),
    )
    return bool(rows)
