"""Schema migrations of the state store, applied in order by `PRAGMA user_version`.

Convention: a table with an `app` column holds per-app state; renaming or
destroying an app updates or deletes its rows in every such table. The scope
`--global` in that column holds global values.
"""

from __future__ import annotations

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE apps (
            name TEXT PRIMARY KEY,
            created_at TEXT NOT NULL,
            locked INTEGER NOT NULL DEFAULT 0
        )""",
        """CREATE TABLE config (
            app TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (app, key)
        )""",
        """CREATE TABLE properties (
            plugin TEXT NOT NULL,
            app TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (plugin, app, key)
        )""",
        """CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            target TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT ''
        )""",
    ),
)
