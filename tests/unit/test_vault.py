"""Secrets at rest: sealing, the key file, snapshots, password files, rotation, migration."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from pydokku import release, schema, state, vault
from pydokku.errors import DokkuError
from pydokku.plugins.config import logic as config
from pydokku.plugins.config import sealing, secure_files
from pydokku.release import Release
from pydokku.services import store as services
from pydokku.validation import GLOBAL_SCOPE

STATE_DIR = ("data", "pydokku")


@pytest.fixture(autouse=True)
def _fresh_keys(store: Path) -> None:
    vault.forget_keys()


def make_app(name: str = "myapp") -> str:
    with state.transaction() as conn:
        conn.execute("INSERT INTO apps (name, created_at) VALUES (?, ?)", (name, state.now()))
    return name


def seal(value: str) -> str:
    with state.transaction() as conn:
        return vault.seal(conn, value)


def raw_config() -> dict[tuple[str, str], str]:
    rows = state.query("SELECT app, key, value FROM config")
    return {(r["app"], r["key"]): r["value"] for r in rows}


def stored_bytes(lib_root: Path) -> bytes:
    directory = lib_root.joinpath(*STATE_DIR)
    return b"".join(p.read_bytes() for p in directory.iterdir() if p.is_file())


def test_seal_round_trips_and_hides_the_value(store: Path) -> None:
    token = seal("postgres://u:hunter2@db/app")
    assert vault.is_sealed(token)
    assert "hunter2" not in token
    assert vault.unseal(token) == "postgres://u:hunter2@db/app"
    assert seal("same") != seal("same")  # a fresh nonce every time
    assert vault.unseal(seal("")) == ""
    assert vault.unseal(seal("γάμμα\n\t'\"$")) == "γάμμα\n\t'\"$"


def test_a_value_from_before_sealing_reads_as_is(store: Path) -> None:
    assert vault.unseal("plain old value") == "plain old value"


def test_the_key_is_made_on_first_need_owner_only(store: Path) -> None:
    key_file = Path(vault.key_file())
    state.connection()
    assert not key_file.exists()
    seal("x")
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert key_file.parent.stat().st_mode & 0o777 == 0o700
    key_id = key_file.read_text().split(":")[0]
    assert [r["id"] for r in state.query("SELECT id FROM secret_keys")] == [key_id]
    assert seal("y").startswith(f"{vault.PREFIX}{key_id}:")


def test_the_fast_cipher_import_is_the_public_class() -> None:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    assert vault._cipher() is AESGCM


def test_an_altered_value_is_a_clear_error(store: Path) -> None:
    token = seal("secret")
    middle = len(token) - 10  # inside the ciphertext, clear of base64 padding
    flipped = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]
    with pytest.raises(DokkuError, match="does not open with key"):
        vault.unseal(flipped)


def test_a_missing_key_file_is_a_clear_error_and_no_new_key(store: Path) -> None:
    token = seal("secret")
    os.unlink(vault.key_file())
    vault.forget_keys()
    with pytest.raises(vault.MissingKeyError, match="restore the key file"):
        vault.unseal(token)
    with pytest.raises(vault.MissingKeyError):
        seal("another")  # never a second key beside values sealed under the lost one
    assert not Path(vault.key_file()).exists()


def test_a_different_key_file_is_a_clear_error(store: Path) -> None:
    token = seal("secret")
    os.unlink(vault.key_file())
    vault.write_key_file(vault.key_file(), *vault.new_key())
    vault.forget_keys()
    with pytest.raises(vault.MissingKeyError, match="is missing"):
        vault.unseal(token)


def test_a_damaged_key_file_is_a_clear_error(store: Path) -> None:
    seal("x")
    Path(vault.key_file()).write_text("garbage\n")
    vault.forget_keys()
    with pytest.raises(DokkuError, match="damaged"):
        vault.keyring()


def test_config_rows_hold_sealed_values_only(store: Path) -> None:
    app = make_app()
    config.set_vars(app, {"A": "alpha-secret"}, restart=False)
    config.set_vars(GLOBAL_SCOPE, {"G": "global-secret"}, restart=False)
    raw = raw_config()
    assert all(vault.is_sealed(v) for v in raw.values())
    assert config.get_env(app) == {"A": "alpha-secret"}
    assert config.merged_env(app) == {"A": "alpha-secret", "G": "global-secret"}
    assert config.get_keys(app) == ["A"]
    assert config.get_keys(app, merged=True) == ["A", "G"]
    state.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert b"alpha-secret" not in stored_bytes(store)
    assert b"global-secret" not in stored_bytes(store)


def test_release_snapshots_are_sealed_and_keys_need_no_key(store: Path) -> None:
    rel = release.record(Release("myapp", config={"DB": "pw-in-snapshot", "A": "1"}), "succeeded")
    row = state.query("SELECT config FROM releases WHERE version = ?", (rel.version,))[0]
    snapshot = json.loads(row["config"])
    assert sorted(snapshot) == ["A", "DB"]
    assert all(vault.is_sealed(v) for v in snapshot.values())
    found = release.get("myapp", rel.version)
    assert found is not None
    os.unlink(vault.key_file())
    vault.forget_keys()
    assert found.config_keys == ["A", "DB"]  # listing keys opens nothing
    with pytest.raises(vault.MissingKeyError):
        _ = found.config


def test_password_files_are_sealed(store: Path) -> None:
    from pydokku.plugins.redis import SERVICE as REDIS

    services.service_root(REDIS, "cache").mkdir(parents=True)
    services.write_password(REDIS, "cache", "redis-pw-123")
    path = services.service_root(REDIS, "cache") / services.PASSWORD_FILE
    assert vault.is_sealed(path.read_text().strip())
    assert path.stat().st_mode & 0o777 == 0o600
    assert services.read_password(REDIS, "cache") == "redis-pw-123"
    assert sealing.password_files() == [str(path)]


def test_rotation_keeps_every_value_and_retires_the_old_key(store: Path) -> None:
    from pydokku.plugins.redis import SERVICE as REDIS

    app = make_app()
    config.set_vars(app, {"A": "one", "B": "two"}, restart=False)
    config.set_vars(GLOBAL_SCOPE, {"G": "glob"}, restart=False)
    release.record(Release(app, config={"A": "one", "S": "snap"}), "succeeded")
    services.service_root(REDIS, "cache").mkdir(parents=True)
    services.write_password(REDIS, "cache", "pw")
    old_id = vault.read_key_file(vault.key_file())[0]  # type: ignore[index]

    assert sealing.rotate_key() == 6
    vault.forget_keys()
    new_id = vault.read_key_file(vault.key_file())[0]  # type: ignore[index]
    assert new_id != old_id
    assert not Path(vault.pending_key_file()).exists()
    assert all(f":{new_id}:" in v for v in raw_config().values())
    assert config.merged_env(app) == {"A": "one", "B": "two", "G": "glob"}
    assert release.history(app)[0].config == {"A": "one", "S": "snap"}
    assert services.read_password(REDIS, "cache") == "pw"
    assert [r["id"] for r in state.query("SELECT id FROM secret_keys")] == [new_id]
    assert state.query("SELECT action FROM events ORDER BY id DESC LIMIT 1")[0][0] == (
        "config:rotate-key"
    )


def test_an_interrupted_rotation_is_finished_with_the_same_key(store: Path) -> None:
    app = make_app()
    config.set_vars(app, {"A": "one", "B": "two"}, restart=False)
    pending_id, pending_key = vault.new_key()
    vault.write_key_file(vault.pending_key_file(), pending_id, pending_key)
    with state.transaction() as conn:  # the crash came after one row was re-sealed
        conn.execute(
            "UPDATE config SET value = ? WHERE key = 'A'",
            (vault.seal_with(pending_id, pending_key, "one"),),
        )
    vault.forget_keys()
    assert config.get_env(app) == {"A": "one", "B": "two"}  # both keys are tried meanwhile
    sealing.rotate_key()
    vault.forget_keys()
    assert vault.read_key_file(vault.key_file()) == (pending_id, pending_key)
    assert config.get_env(app) == {"A": "one", "B": "two"}


def test_a_new_store_is_owner_only(store: Path) -> None:
    make_app()
    directory = store.joinpath(*STATE_DIR)
    assert directory.stat().st_mode & 0o777 == 0o700
    for name in ("state.db", "state.db-wal", "state.db-shm"):
        assert (directory / name).stat().st_mode & 0o777 == 0o600, name


def old_store(lib_root: Path) -> Path:
    """Write a store as an install from before sealing left it: clear values, 0644 files."""
    directory = lib_root.joinpath(*STATE_DIR)
    directory.mkdir(parents=True)
    directory.chmod(0o755)
    path = directory / "state.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    names = [name for name, _ in schema.MIGRATIONS if name != "secrets-sealed"]
    conn.execute("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
    for name, statements in schema.MIGRATIONS:
        if name in names:
            for statement in statements:
                conn.execute(str(statement))
            conn.execute("INSERT INTO schema_migrations VALUES (?, 'then')", (name,))
    conn.execute("INSERT INTO apps VALUES ('old', 'then', 0)")
    conn.execute("INSERT INTO config VALUES ('old', 'URL', 'postgres://u:old-pw-1@h/d')")
    conn.execute("INSERT INTO config VALUES ('--global', 'G', 'old-global-2')")
    conn.execute(
        "INSERT INTO releases (app, version, created_at, kind, status, config) "
        "VALUES ('old', 1, 'then', 'deploy', 'succeeded', ?)",
        (json.dumps({"URL": "postgres://u:old-pw-1@h/d"}),),
    )
    conn.execute(f"PRAGMA user_version = {state.schema_checksum(names)}")
    conn.commit()
    conn.close()
    path.chmod(0o644)
    return directory


def test_an_old_store_is_sealed_and_tightened_on_first_open(store: Path) -> None:
    from pydokku.plugins.redis import SERVICE as REDIS

    directory = old_store(store)
    services.service_root(REDIS, "cache").mkdir(parents=True)
    password = services.service_root(REDIS, "cache") / services.PASSWORD_FILE
    password.write_text("old-redis-pw-3\n")
    password.chmod(0o644)

    assert config.get_env("old") == {"URL": "postgres://u:old-pw-1@h/d"}
    assert all(vault.is_sealed(v) for v in raw_config().values())
    assert release.history("old")[0].config == {"URL": "postgres://u:old-pw-1@h/d"}
    assert services.read_password(REDIS, "cache") == "old-redis-pw-3"  # read in clear, once
    assert directory.stat().st_mode & 0o777 == 0o700
    assert (directory / "state.db").stat().st_mode & 0o777 == 0o600

    secure_files.secure_host()  # what plugin:install runs: password files, the WAL emptied
    data = stored_bytes(store)
    for secret in (b"old-pw-1", b"old-global-2"):
        assert secret not in data
    assert b"old-redis-pw-3" not in password.read_bytes()
    assert password.stat().st_mode & 0o777 == 0o600
    assert services.read_password(REDIS, "cache") == "old-redis-pw-3"


def test_secure_host_takes_group_and_other_bits_away(store: Path) -> None:
    from pydokku.plugins.redis import SERVICE as REDIS

    make_app()
    root = services.service_root(REDIS, "cache")
    root.mkdir(parents=True)
    root.chmod(0o755)
    tls = Path(os.environ["DOKKU_ROOT"]) / "myapp" / "tls"
    tls.mkdir(parents=True)
    (tls / "server.key").write_text("KEY")
    (tls / "server.key").chmod(0o644)
    (tls / "server.crt").write_text("CRT")
    (tls / "server.crt").chmod(0o644)
    account = store / "data" / "letsencrypt" / "--global"
    account.mkdir(parents=True)
    (account / "account.key").write_text("KEY")
    (account / "account.key").chmod(0o640)

    changed = secure_files.secure_host()
    assert str(root) in changed
    assert root.stat().st_mode & 0o777 == 0o700
    assert (tls / "server.key").stat().st_mode & 0o777 == 0o600
    assert (tls / "server.crt").stat().st_mode & 0o777 == 0o644  # certificates are public
    assert (account / "account.key").stat().st_mode & 0o777 == 0o600
    assert secure_files.secure_host() == []  # idempotent
