"""A comparable dump of the state store, to assert that a command changed nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def dump(db: Path, skip: tuple[str, ...] = ()) -> dict[str, list[tuple[object, ...]]]:
    """Return every row of every table (sorted), except the tables in `skip`."""
    if not db.exists():
        return {}
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        tables = [
            row[0]
            for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if row[0] not in skip
        ]
        return {
            table: sorted(
                conn.execute(f"SELECT * FROM {table}").fetchall(),
                key=repr,
            )
            for table in sorted(tables)
        }
