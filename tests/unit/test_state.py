"""The SQLite state store: migrations, reopening, transactions, per-app tables."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pydokku import paths, schema, state
from pydokku.errors import DokkuError


def user_version() -> int:
    return int(state.query("PRAGMA user_version")[0][0])


def applied() -> list[str]:
    return [r[0] for r in state.query("SELECT name FROM schema_migrations ORDER BY rowid")]


def names(migrations: tuple[tuple[str, tuple[str, ...]], ...]) -> list[str]:
    return [name for name, _ in migrations]


def tables() -> set[str]:
    rows = state.query("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {r[0] for r in rows if not r[0].startswith("sqlite_")}


def test_store_lives_under_the_lib_root(store: Path) -> None:
    state.connection()
    assert paths.state_db() == store / "data" / "pydokku" / "state.db"
    assert paths.state_db().is_file()


def test_new_store_is_migrated_to_the_latest_version(store: Path) -> None:
    assert applied() == names(schema.MIGRATIONS)
    assert user_version() == state.schema_checksum(names(schema.MIGRATIONS))
    assert {"apps", "config", "properties", "events"} <= tables()


def test_new_store_uses_wal(store: Path) -> None:
    assert state.query("PRAGMA journal_mode")[0][0] == "wal"


def test_reopening_is_idempotent_and_keeps_data(store: Path) -> None:
    with state.transaction() as conn:
        conn.execute("INSERT INTO apps (name, created_at) VALUES ('a', 'now')")
    state.close_all()
    assert applied() == names(schema.MIGRATIONS)
    state.close_all()
    assert applied() == names(schema.MIGRATIONS)
    assert [r[0] for r in state.query("SELECT name FROM apps")] == ["a"]


def test_a_new_migration_is_applied_once_on_reopen(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with state.transaction() as conn:
        conn.execute("INSERT INTO apps (name, created_at) VALUES ('a', 'now')")
    state.close_all()
    extra = (("extra", ("CREATE TABLE extra (app TEXT NOT NULL, v TEXT)",)),)
    monkeypatch.setattr(state, "MIGRATIONS", schema.MIGRATIONS + extra)
    assert applied() == [*names(schema.MIGRATIONS), "extra"]
    assert "extra" in tables()
    state.close_all()
    assert applied() == [*names(schema.MIGRATIONS), "extra"]  # no "table already exists"
    assert [r[0] for r in state.query("SELECT name FROM apps")] == ["a"]


def test_a_failing_migration_changes_nothing(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    state.connection()
    state.close_all()
    broken = (("broken", ("CREATE TABLE half (x TEXT)", "THIS IS NOT SQL")),)
    monkeypatch.setattr(state, "MIGRATIONS", schema.MIGRATIONS + broken)
    with pytest.raises(sqlite3.OperationalError):
        state.connection()
    state.close_all()
    monkeypatch.setattr(state, "MIGRATIONS", schema.MIGRATIONS)
    assert applied() == names(schema.MIGRATIONS)
    assert "half" not in tables()


def test_migrations_from_another_branch_merge_in_any_order(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours = (("ours", ("CREATE TABLE ours (app TEXT NOT NULL)",)),)
    theirs = (("theirs", ("CREATE TABLE theirs (app TEXT NOT NULL)",)),)
    monkeypatch.setattr(state, "MIGRATIONS", schema.MIGRATIONS + ours)
    state.connection()
    state.close_all()
    monkeypatch.setattr(state, "MIGRATIONS", schema.MIGRATIONS + theirs + ours)
    state.connection()
    assert {"ours", "theirs"} <= tables()
    assert applied() == [*names(schema.MIGRATIONS), "ours", "theirs"]


def test_a_store_from_before_named_migrations_keeps_its_steps(store: Path) -> None:
    path = paths.state_db_file()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    legacy = sqlite3.connect(path)
    for _, statements in schema.MIGRATIONS[:2]:
        for statement in statements:
            legacy.execute(statement)
    legacy.execute("INSERT INTO apps (name, created_at) VALUES ('old', 'then')")
    legacy.execute("PRAGMA user_version = 2")
    legacy.commit()
    legacy.close()
    assert applied() == names(schema.MIGRATIONS)
    assert [r[0] for r in state.query("SELECT name FROM apps")] == ["old"]


def test_transaction_commits_everything(store: Path) -> None:
    with state.transaction() as conn:
        conn.execute("INSERT INTO config VALUES ('a', 'K1', 'v')")
        conn.execute("INSERT INTO config VALUES ('a', 'K2', 'v')")
    assert len(state.query("SELECT * FROM config")) == 2


def insert_then_fail() -> None:
    with state.transaction() as conn:
        conn.execute("INSERT INTO config VALUES ('a', 'K1', 'v')")
        raise DokkuError("stop")


def test_transaction_rolls_back_everything_on_error(store: Path) -> None:
    with pytest.raises(DokkuError):
        insert_then_fail()
    assert state.query("SELECT * FROM config") == []
    with state.transaction() as conn:  # the connection is usable afterwards
        conn.execute("INSERT INTO config VALUES ('a', 'K1', 'v')")
    assert len(state.query("SELECT * FROM config")) == 1


def test_app_tables_are_those_with_an_app_column(store: Path) -> None:
    with state.transaction() as conn:
        found = set(state.app_tables(conn))
    assert {"config", "properties"} <= found
    assert not {"apps", "events"} & found  # `apps.name` and `events.target` are not `app`


def test_events_are_recorded_unless_switched_off(store: Path) -> None:
    with state.transaction() as conn:
        state.record_event(conn, "a", "demo:one", "x")
        conn.execute("INSERT INTO properties VALUES ('events', '--global', 'enabled', 'false')")
        state.record_event(conn, "a", "demo:two")
    rows = state.query("SELECT target, actor, action, detail FROM events")
    assert [tuple(r) for r in rows] == [("a", state_actor(), "demo:one", "x")]


def state_actor() -> str:
    from pydokku.cli.registry import actor_name

    return actor_name()


def test_unreadable_store_is_a_clear_error(store: Path) -> None:
    store.mkdir(parents=True)
    (store / "data").write_text("not a directory")
    with pytest.raises(DokkuError, match="Cannot open the state store"):
        state.connection()


def test_now_is_utc_iso8601() -> None:
    stamp = state.now()
    assert len(stamp) == 20
    assert (stamp[4], stamp[10], stamp[-1]) == ("-", "T", "Z")
