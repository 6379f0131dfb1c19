"""Schema migrations of the state store: named steps, each applied once, in order.

A migration is `(name, statements)`. The names applied are kept in the table
`schema_migrations`, so migrations added on different branches merge in any order;
`PRAGMA user_version` holds a checksum of the applied names, so opening an up-to-date
store costs one pragma. Stores from before names existed (user_version = a count)
take their first N names as applied.

Convention: a table with an `app` column holds per-app state; renaming or
destroying an app updates or deletes its rows in every such table. The scope
`--global` in that column holds global values.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable

    # A step is an SQL statement, or a function run with the connection (same transaction).
    Step = str | Callable[[sqlite3.Connection], None]


def _seal_stored_secrets(conn: sqlite3.Connection) -> None:
    """Seal config values and release snapshots stored in clear (password files: install)."""
    from pydokku.plugins.config.sealing import seal_legacy

    seal_legacy(conn)


MIGRATIONS: tuple[tuple[str, tuple[Step, ...]], ...] = (
    (
        "core",
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
    ),
    (
        "releases-formation-domains-ports",
        (
            """CREATE TABLE releases (
            app TEXT NOT NULL,
            version INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            kind TEXT NOT NULL,
            status TEXT NOT NULL,
            image TEXT NOT NULL DEFAULT '',
            image_id TEXT NOT NULL DEFAULT '',
            git_rev TEXT NOT NULL DEFAULT '',
            procfile TEXT NOT NULL DEFAULT '{}',
            app_json TEXT NOT NULL DEFAULT '{}',
            config TEXT NOT NULL DEFAULT '{}',
            formation TEXT NOT NULL DEFAULT '{}',
            web_port INTEGER NOT NULL DEFAULT 5000,
            actor TEXT NOT NULL DEFAULT '',
            description TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (app, version)
        )""",
            """CREATE TABLE formation (
            app TEXT NOT NULL,
            process TEXT NOT NULL,
            quantity INTEGER NOT NULL,
            PRIMARY KEY (app, process)
        )""",
            """CREATE TABLE domains (
            app TEXT NOT NULL,
            domain TEXT NOT NULL,
            PRIMARY KEY (app, domain)
        )""",
            """CREATE TABLE ports (
            app TEXT NOT NULL,
            scheme TEXT NOT NULL,
            host_port INTEGER NOT NULL,
            container_port INTEGER NOT NULL,
            PRIMARY KEY (app, scheme, host_port)
        )""",
        ),
    ),
    (
        "ssh-keys",
        (
            """CREATE TABLE ssh_keys (
            name TEXT PRIMARY KEY,
            fingerprint TEXT NOT NULL UNIQUE,
            key_type TEXT NOT NULL,
            key_blob TEXT NOT NULL,
            comment TEXT NOT NULL DEFAULT '',
            added_at TEXT NOT NULL
        )""",
        ),
    ),
    (
        "services",
        (
            """CREATE TABLE services (
            type TEXT NOT NULL,
            name TEXT NOT NULL,
            created_at TEXT NOT NULL,
            image TEXT NOT NULL,
            version TEXT NOT NULL,
            image_source TEXT NOT NULL DEFAULT '',
            config_options TEXT NOT NULL DEFAULT '',
            memory_mb INTEGER NOT NULL DEFAULT 0,
            exposed TEXT NOT NULL DEFAULT '',
            backup_schedule TEXT NOT NULL DEFAULT '',
            backup_dir TEXT NOT NULL DEFAULT '',
            backup_retention INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (type, name)
        )""",
            """CREATE TABLE service_links (
            type TEXT NOT NULL,
            service TEXT NOT NULL,
            app TEXT NOT NULL,
            var TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (type, service, app)
        )""",
        ),
    ),
    (
        "ops-release-failure",
        (
            "ALTER TABLE releases ADD COLUMN failure_reason TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE releases ADD COLUMN failure_logs TEXT NOT NULL DEFAULT '[]'",
        ),
    ),
    (
        "ops-builds",
        (
            """CREATE TABLE builds (
            id TEXT PRIMARY KEY,
            app TEXT NOT NULL,
            kind TEXT NOT NULL,
            source TEXT NOT NULL,
            status TEXT NOT NULL,
            pid INTEGER NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT NOT NULL DEFAULT '',
            exit_code INTEGER,
            release INTEGER NOT NULL DEFAULT 0,
            reason TEXT NOT NULL DEFAULT ''
        )""",
            "CREATE INDEX builds_app ON builds (app, started_at)",
        ),
    ),
    (
        "secrets-sealed",
        (
            """CREATE TABLE secret_keys (
            id TEXT PRIMARY KEY,
            created_at TEXT NOT NULL
        )""",
            _seal_stored_secrets,
        ),
    ),
    (
        "storage-mounts",
        (
            """CREATE TABLE storage_mounts (
            app TEXT NOT NULL,
            host_path TEXT NOT NULL,
            container_path TEXT NOT NULL,
            options TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            PRIMARY KEY (app, container_path)
        )""",
        ),
    ),
    (
        "service-networks",
        (
            "ALTER TABLE services ADD COLUMN initial_network TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE services ADD COLUMN post_create_network TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE services ADD COLUMN post_start_network TEXT NOT NULL DEFAULT ''",
        ),
    ),
    (
        "builds-stage",
        ("ALTER TABLE builds ADD COLUMN stage TEXT NOT NULL DEFAULT 'build'",),
    ),
    (
        "service-settings",
        (
            "ALTER TABLE services ADD COLUMN custom_env TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE services ADD COLUMN shm_size TEXT NOT NULL DEFAULT ''",
        ),
    ),
    (
        "acl",
        (
            # The `app` column: apps:destroy drops an app's grants, apps:rename moves them.
            """CREATE TABLE acl_apps (
            app TEXT NOT NULL,
            user TEXT NOT NULL,
            PRIMARY KEY (app, user)
        )""",
            """CREATE TABLE acl_services (
            type TEXT NOT NULL,
            service TEXT NOT NULL,
            user TEXT NOT NULL,
            PRIMARY KEY (type, service, user)
        )""",
            """CREATE TRIGGER acl_services_gone AFTER DELETE ON services BEGIN
            DELETE FROM acl_services WHERE type = OLD.type AND service = OLD.name;
        END""",
        ),
    ),
)
