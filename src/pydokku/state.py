"""The state store: one SQLite database under the lib root.

WAL mode and a busy timeout let many CLI processes (SSH sessions) work at once;
every change runs in one `BEGIN IMMEDIATE` transaction so concurrent writers
queue instead of losing updates, and a killed process leaves the last committed
state behind.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from pydokku import paths
from pydokku.errors import DokkuError
from pydokku.schema import MIGRATIONS
from pydokku.validation import GLOBAL_SCOPE

BUSY_TIMEOUT_MS = 60_000
_connections: dict[str, sqlite3.Connection] = {}


def now() -> str:
    """Return the current UTC time as an ISO 8601 string (seconds)."""
    import datetime

    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def connection() -> sqlite3.Connection:
    """Return this process's connection to the store, creating and migrating it."""
    path = paths.state_db_file()
    conn = _connections.get(path)
    if conn is None:
        conn = _open(path)
        _connections[path] = conn
    return conn


def _open(path: str) -> sqlite3.Connection:
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        if not os.path.exists(path):
            # Owner-only from the start: SQLite gives the -wal and -shm files the same mode.
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise DokkuError(f"Cannot open the state store {path}: {exc}") from exc
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA secure_delete = ON")  # deleted values (secrets) are zeroed, not left
    _migrate(conn)
    return conn


def schema_checksum(names: list[str]) -> int:
    """Return the `user_version` that marks a store holding exactly these migrations."""
    import zlib

    # Never 0..len: those values mean a store from before named migrations.
    return 1000 + zlib.crc32("\n".join(names).encode()) % 2_000_000_000


def _migrate(conn: sqlite3.Connection) -> None:
    wanted = [name for name, _ in MIGRATIONS]
    if conn.execute("PRAGMA user_version").fetchone()[0] == schema_checksum(wanted):
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        applied = _applied_migrations(conn)
        for name, statements in MIGRATIONS:
            if name in applied:
                continue
            for statement in statements:
                if callable(statement):
                    statement(conn)
                else:
                    conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)", (name, now())
            )
            applied.append(name)
        conn.execute(f"PRAGMA user_version = {schema_checksum(wanted)}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _applied_migrations(conn: sqlite3.Connection) -> list[str]:
    """Return the names of the migrations the store holds, creating the ledger if needed."""
    known = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    ).fetchone()
    if known:
        return [row[0] for row in conn.execute("SELECT name FROM schema_migrations ORDER BY rowid")]
    conn.execute("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    # A store from before named migrations: its user_version counts the steps it applied.
    count = conn.execute("PRAGMA user_version").fetchone()[0]
    legacy = [name for name, _ in MIGRATIONS[:count]]
    for name in legacy:
        conn.execute(
            "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)", (name, now())
        )
    return legacy


@contextmanager
def transaction() -> Iterator[sqlite3.Connection]:
    """Run the block as one write transaction: all of it is stored, or none of it."""
    conn = connection()
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def query(sql: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
    """Run a read-only query and return all rows."""
    return connection().execute(sql, params).fetchall()


def app_tables(conn: sqlite3.Connection) -> list[str]:
    """Return the tables holding per-app rows (those with an `app` column)."""
    tables = [
        row[0]
        for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not row[0].startswith("sqlite_")
    ]
    return [
        t for t in tables if any(c[1] == "app" for c in conn.execute(f"PRAGMA table_info({t})"))
    ]


def record_event(conn: sqlite3.Connection, target: str, action: str, detail: str = "") -> None:
    """Append an event inside the caller's transaction, unless events are turned off."""
    switch = conn.execute(
        "SELECT value FROM properties WHERE plugin = 'events' AND app = ? AND key = 'enabled'",
        (GLOBAL_SCOPE,),
    ).fetchone()
    if switch is not None and switch[0] == "false":
        return
    from pydokku.cli.registry import actor_name

    conn.execute(
        "INSERT INTO events (at, target, actor, action, detail) VALUES (?, ?, ?, ?, ?)",
        (now(), target, actor_name(), action, detail),
    )


def close_all() -> None:
    """Close every open connection (tests that change roots call this)."""
    for conn in _connections.values():
        conn.close()
    _connections.clear()
