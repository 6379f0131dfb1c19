"""SSH keys: `$DOKKU_ROOT/.ssh/authorized_keys` is the source of truth, as in Dokku.

Each command first brings the store in line with the file (a key line added, removed
or restored by hand is what `ssh-keys:list` shows, as sshd honours it), then changes
the store and rewrites the file in the same transaction, so a failed write leaves
both as they were. Lines without a key name (an admin's own key) are kept as they are.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from pydokku import paths, state
from pydokku.errors import DokkuError
from pydokku.plugins.ssh_keys import invocation
from pydokku.plugins.ssh_keys.keys import (
    PublicKey,
    authorized_keys_line,
    parse_managed_line,
    parse_public_key,
    validate_fingerprint,
    validate_name,
)
from pydokku.validation import GLOBAL_SCOPE

# What marks a line of ours: a forced command carrying the key's name and fingerprint.
_MANAGED_MARKS = ('command="', 'NAME=\\"', "FINGERPRINT=")


class StoredKey:
    """A key as stored: its name, the key itself and when it was added."""

    def __init__(self, name: str, key: PublicKey, added_at: str) -> None:
        self.name = name
        self.key = key
        self.added_at = added_at

    def as_dict(self) -> dict[str, str]:
        """Return the key as a JSON-ready dict (Dokku's fields first)."""
        return {
            "name": self.name,
            "fingerprint": self.key.fingerprint,
            "SSHCOMMAND_ALLOWED_KEYS": "none",
            "type": self.key.key_type,
            "comment": self.key.comment,
            "added_at": self.added_at,
        }


def authorized_keys_path() -> Path:
    """Return the `authorized_keys` file sshd reads for the dokku user."""
    return paths.dokku_root() / ".ssh" / "authorized_keys"


def add_key(name: str, text: str) -> StoredKey:
    """Store the one public key in `text` under `name` and rewrite `authorized_keys`."""
    validate_name(name)
    key = parse_public_key(text)
    fingerprint = key.fingerprint
    with state.transaction() as conn:
        sync_from_file(conn)
        if conn.execute("SELECT 1 FROM ssh_keys WHERE name = ?", (name,)).fetchone():
            raise DokkuError(f"A key named {name} already exists")
        same = conn.execute(
            "SELECT name FROM ssh_keys WHERE fingerprint = ?", (fingerprint,)
        ).fetchone()
        if same:
            raise DokkuError(f"This key ({fingerprint}) is already added as {same['name']}")
        added_at = state.now()
        conn.execute(
            "INSERT INTO ssh_keys (name, fingerprint, key_type, key_blob, comment, added_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (name, fingerprint, key.key_type, key.blob, key.comment, added_at),
        )
        state.record_event(conn, GLOBAL_SCOPE, "ssh-keys:add", f"{name} {fingerprint}")
        write_authorized_keys(conn)
    return StoredKey(name, key, added_at)


def remove_key(name: str | None = None, fingerprint: str | None = None) -> StoredKey:
    """Remove the key with that name (or fingerprint) and rewrite `authorized_keys`."""
    if fingerprint is not None:
        column, value = "fingerprint", validate_fingerprint(fingerprint)
    elif name is not None:
        column, value = "name", validate_name(name)
    else:
        raise DokkuError("Give a key name or --fingerprint")
    with state.transaction() as conn:
        sync_from_file(conn)
        rows = _select(conn, f"WHERE {column} = ?", (value,))
        if not rows:
            raise DokkuError(f"No key with {column} {value}")
        conn.execute("DELETE FROM ssh_keys WHERE name = ?", (rows[0].name,))
        detail = f"{rows[0].name} {rows[0].key.fingerprint}"
        state.record_event(conn, GLOBAL_SCOPE, "ssh-keys:remove", detail)
        write_authorized_keys(conn)
    return rows[0]


def list_keys(name: str | None = None) -> list[StoredKey]:
    """Return every key of `authorized_keys` (or the one named `name`), by name."""
    if _file_keys() != _stored_keys(state.connection()):
        with state.transaction() as writing:
            sync_from_file(writing)
    conn = state.connection()
    if name is None:
        return _select(conn)
    return _select(conn, "WHERE name = ?", (validate_name(name),))


def _file_keys() -> dict[str, str]:
    """Return name -> fingerprint of the named keys in `authorized_keys` (none if absent)."""
    found: dict[str, str] = {}
    for line in _read_lines(authorized_keys_path()):
        parsed = parse_managed_line(line)
        if parsed:
            found.setdefault(parsed[0], parsed[1].fingerprint)
    return found


def _stored_keys(conn: sqlite3.Connection) -> dict[str, str]:
    return {
        r["name"]: r["fingerprint"] for r in conn.execute("SELECT name, fingerprint FROM ssh_keys")
    }


def sync_from_file(conn: sqlite3.Connection) -> None:
    """Make the stored keys those `authorized_keys` names (edited or restored by hand)."""
    keys: dict[str, PublicKey] = {}
    for line in _read_lines(authorized_keys_path()):
        parsed = parse_managed_line(line)
        if parsed and parsed[0] not in keys:
            keys[parsed[0]] = parsed[1]
    stored = _stored_keys(conn)
    wanted = {name: key.fingerprint for name, key in keys.items()}
    if wanted == stored:
        return
    for name in stored.keys() - wanted.keys():
        conn.execute("DELETE FROM ssh_keys WHERE name = ?", (name,))
    for name, key in keys.items():
        if stored.get(name) == key.fingerprint:
            continue
        conn.execute(
            "DELETE FROM ssh_keys WHERE name = ? OR fingerprint = ?", (name, key.fingerprint)
        )
        conn.execute(
            "INSERT INTO ssh_keys (name, fingerprint, key_type, key_blob, comment, added_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (name, key.fingerprint, key.key_type, key.blob, key.comment, state.now()),
        )
    detail = " ".join(sorted(wanted)) or "no keys"
    state.record_event(conn, GLOBAL_SCOPE, "ssh-keys:sync", f"from authorized_keys: {detail}")


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []


def write_authorized_keys(conn: sqlite3.Connection | None = None) -> Path:
    """Rewrite `authorized_keys` from the store, atomically, keeping lines not ours."""
    path = authorized_keys_path()
    command, env = invocation.dokku_command(), invocation.root_env()
    ours = [authorized_keys_line(k.name, k.key, command, env) for k in _select(conn)]
    _write_private(path, "".join(f"{line}\n" for line in foreign_lines(path) + ours))
    return path


def foreign_lines(path: Path) -> list[str]:
    """Return the lines of an `authorized_keys` file that pydokku did not write."""
    return [line for line in _read_lines(path) if line.strip() and not is_managed(line)]


def is_managed(line: str) -> bool:
    """Tell whether an `authorized_keys` line is one pydokku writes."""
    return line.startswith(_MANAGED_MARKS[0]) and all(m in line for m in _MANAGED_MARKS[1:])


def _select(
    conn: sqlite3.Connection | None, where: str = "", params: tuple[object, ...] = ()
) -> list[StoredKey]:
    rows = (conn or state.connection()).execute(
        "SELECT name, key_type, key_blob, comment, added_at FROM ssh_keys "  # noqa: S608
        f"{where} ORDER BY name",
        params,
    )
    return [
        StoredKey(r["name"], PublicKey(r["key_type"], r["key_blob"], r["comment"]), r["added_at"])
        for r in rows
    ]


def _write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read, in a directory only its owner can enter."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    fd, temp = tempfile.mkstemp(prefix=".authorized_keys.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
