"""Where secrets are sealed at rest, the first sealing of old values, and key rotation.

Sealed: `config.value` (app and global vars), each value of a release's config snapshot,
and every service's `PASSWORD` file. The state directory is 0700 and its files 0600.
"""

from __future__ import annotations

import os
import sqlite3

from pydokku import paths, state, vault
from pydokku.errors import DokkuError
from pydokku.validation import GLOBAL_SCOPE

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from collections.abc import Callable

    Reseal = Callable[[str], str | None]  # a stored value -> its new form, or None: keep it

# Opening a new store runs `seal_legacy` (a migration): it imports neither pathlib nor json.
PASSWORD_FILE = "PASSWORD"  # noqa: S105 (services/store.py writes it; a name, not a secret)


def seal_legacy(conn: sqlite3.Connection, *, with_files: bool = False) -> int:
    """Seal every value the store holds in clear (and password files); return the count.

    The migration seals the store only: a file it may not rewrite must not stop every
    command. `plugin:install` (as root) seals the password files too.
    """
    tighten_store_files()

    def reseal(value: str) -> str | None:
        return None if vault.is_sealed(value) else vault.seal(conn, value)

    count = _config_rows(conn, reseal) + _snapshots(conn, reseal)
    return count + (_password_files(reseal) if with_files else 0)


def rotate_key() -> int:
    """Re-seal every secret under a new key in one transaction; return how many values."""
    pending_path = vault.pending_key_file()
    pending = vault.read_key_file(pending_path)
    if pending is None:  # else: finish the rotation a crash interrupted, to the same key
        pending = vault.new_key()
        if not vault.write_key_file(pending_path, *pending):
            raise DokkuError("Another config:rotate-key is under way; run it again afterwards")
    vault.forget_keys()
    key_id, key = pending

    def reseal(value: str) -> str:
        return vault.seal_with(key_id, key, vault.unseal(value))

    with state.transaction() as conn:
        count = reseal_everything(conn, reseal)
        conn.execute("DELETE FROM secret_keys")
        conn.execute(
            "INSERT INTO secret_keys (id, created_at) VALUES (?, ?)", (key_id, state.now())
        )
        state.record_event(conn, GLOBAL_SCOPE, "config:rotate-key", key_id)
    os.replace(pending_path, vault.key_file())
    vault.forget_keys()
    checkpoint()
    return count


def reseal_everything(conn: sqlite3.Connection, reseal: Reseal) -> int:
    """Apply `reseal` to every sealed place: password files, config rows, snapshots,
    services' custom env."""
    return (
        _password_files(reseal)
        + _config_rows(conn, reseal)
        + _snapshots(conn, reseal)
        + _service_env(conn, reseal)
    )


def _service_env(conn: sqlite3.Connection, reseal: Reseal) -> int:
    import json

    count = 0
    sql = "SELECT rowid, custom_env FROM services WHERE custom_env != ''"
    for rowid, text in conn.execute(sql).fetchall():
        env = json.loads(text)
        fresh = {key: reseal(value) for key, value in env.items()}
        changed = {key: value for key, value in fresh.items() if value is not None}
        if changed:
            env.update(changed)
            conn.execute(
                "UPDATE services SET custom_env = ? WHERE rowid = ?", (json.dumps(env), rowid)
            )
            count += len(changed)
    return count


def _config_rows(conn: sqlite3.Connection, reseal: Reseal) -> int:
    count = 0
    for rowid, value in conn.execute("SELECT rowid, value FROM config").fetchall():
        fresh = reseal(value)
        if fresh is not None:
            conn.execute("UPDATE config SET value = ? WHERE rowid = ?", (fresh, rowid))
            count += 1
    return count


def _snapshots(conn: sqlite3.Connection, reseal: Reseal) -> int:
    rows = conn.execute("SELECT rowid, config FROM releases").fetchall()
    if not rows:
        return 0
    import json

    count = 0
    for rowid, text in rows:
        snapshot = json.loads(text)
        changed = {key: reseal(value) for key, value in snapshot.items()}
        fresh = {key: value for key, value in changed.items() if value is not None}
        if fresh:
            snapshot.update(fresh)
            conn.execute(
                "UPDATE releases SET config = ? WHERE rowid = ?", (json.dumps(snapshot), rowid)
            )
            count += len(fresh)
    return count


def password_files() -> list[str]:
    """Return the password file of every service, of every type."""
    return [
        os.path.join(service, PASSWORD_FILE)
        for service in subdirs(2, os.path.join(paths.lib_root_dir(), "services"))
        if os.path.isfile(os.path.join(service, PASSWORD_FILE))
    ]


def subdirs(depth: int, top: str) -> list[str]:
    """Return the directories `depth` levels below `top`, sorted."""
    found = [top]
    for _ in range(depth):
        found = [
            os.path.join(parent, name)
            for parent in found
            if os.path.isdir(parent)
            for name in sorted(os.listdir(parent))
            if os.path.isdir(os.path.join(parent, name))
        ]
    return found


def _password_files(reseal: Reseal) -> int:
    count = 0
    for path in password_files():
        with open(path, encoding="utf-8") as handle:
            fresh = reseal(handle.read().strip())
        if fresh is not None:
            replace_file(path, fresh + "\n")
            count += 1
    return count


def replace_file(path: str, text: str) -> None:
    """Atomically rewrite a file as mode 0600, keeping its owner."""
    before = os.stat(path)
    fresh = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.{os.getpid()}.new")
    fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    if os.geteuid() == 0:
        os.chown(fresh, before.st_uid, before.st_gid)
    os.replace(fresh, path)


def tighten_store_files() -> list[str]:
    """Make the state directory 0700 and every file in it 0600; return what changed."""
    directory = os.path.dirname(paths.state_db_file())
    changed = [directory] if _chmod(directory, 0o700) else []
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        if os.path.isfile(path) and _chmod(path, 0o600):
            changed.append(path)
    return changed


def checkpoint() -> None:
    """Copy the WAL into the database and empty it, so no old page lingers there."""
    state.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _chmod(path: str, mode: int) -> bool:
    if os.stat(path).st_mode & 0o777 == mode:
        return False
    try:
        os.chmod(path, mode)
    except PermissionError:  # another owner's file: plugin:install (root) fixes it
        return False
    return True
