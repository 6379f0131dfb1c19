"""Secrets at rest: values sealed with AES-256-GCM under a key kept outside the database.

A sealed value reads `pydokku:v1:<key id>:<base64 of nonce + ciphertext>`; the key id
is also the associated data, so a value cannot be opened under another key's name.
The key lives in `secret.key` (mode 0600) next to the state store and is made on first
need; the table `secret_keys` names the key in force, so a missing or wrong key file is
a clear error instead of a silent new key. During `config:rotate-key` the next key sits
in `secret.key.new`; both files are tried, so readers never see a value they cannot open.

Only commands that print or use values import the cipher (`cryptography`'s Rust
binding, ~7 ms; its public module costs ~30 ms more), keeping `apps:list` fast.
"""

from __future__ import annotations

import binascii
import os
import sqlite3

from pydokku import paths
from pydokku.errors import DokkuError

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "pydokku:v1:"
KEY_FILE = "secret.key"
PENDING_SUFFIX = ".new"
KEY_BYTES = 32
NONCE_BYTES = 12
_keys: dict[str, dict[str, bytes]] = {}  # key file path -> {key id: key}, per process


class MissingKeyError(DokkuError):
    """A sealed value (or the store) names a key that no key file holds."""


def key_file() -> str:
    """Return the path of the key file: `$DOKKU_LIB_ROOT/data/pydokku/secret.key`."""
    return os.path.join(os.path.dirname(paths.state_db_file()), KEY_FILE)


def pending_key_file() -> str:
    """Return the path of the next key while a rotation is under way."""
    return key_file() + PENDING_SUFFIX


def is_sealed(value: str) -> bool:
    """Tell whether a stored value is sealed (anything else is a value from before sealing)."""
    return value.startswith(PREFIX)


def seal(conn: sqlite3.Connection, value: str) -> str:
    """Seal a value under the key in force; call inside the write transaction storing it."""
    key_id = current_key_id(conn)
    return seal_with(key_id, _key(key_id), value)


def seal_with(key_id: str, key: bytes, value: str) -> str:
    """Seal a value under a given key."""
    nonce = os.urandom(NONCE_BYTES)
    box = _cipher()(key).encrypt(nonce, value.encode("utf-8"), _aad(key_id))
    return f"{PREFIX}{key_id}:{binascii.b2a_base64(nonce + box, newline=False).decode()}"


def unseal(value: str) -> str:
    """Return the clear text of a stored value (a value from before sealing is returned as is)."""
    if not is_sealed(value):
        return value
    key_id, _, body = value[len(PREFIX) :].partition(":")
    key = _key(key_id)
    try:
        blob = binascii.a2b_base64(body)
        return _cipher()(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], _aad(key_id)).decode()
    except Exception as exc:  # InvalidTag, bad base64: the value or the key file was altered
        raise DokkuError(
            f"A stored secret does not open with key {key_id} ({type(exc).__name__}): "
            f"the key file {key_file()} or the state store was altered"
        ) from exc


def seal_map(conn: sqlite3.Connection, env: dict[str, str]) -> dict[str, str]:
    """Seal every value of a map."""
    return {key: seal(conn, value) for key, value in env.items()} if env else {}


def unseal_map(env: dict[str, str]) -> dict[str, str]:
    """Open every value of a map."""
    return {key: unseal(value) for key, value in env.items()}


def current_key_id(conn: sqlite3.Connection) -> str:
    """Return the id of the key in force, making the key on first need."""
    row = conn.execute("SELECT id FROM secret_keys LIMIT 1").fetchone()
    if row is None:
        return _adopt_or_create_key(conn)
    _key(row[0])
    return str(row[0])


def keyring() -> dict[str, bytes]:
    """Return every key a value may be sealed with: the key file and a pending next key."""
    path = key_file()
    ring = _keys.get(path)
    if ring is None:
        ring = {}
        for candidate in (path, path + PENDING_SUFFIX):
            found = read_key_file(candidate)
            if found:
                ring[found[0]] = found[1]
        _keys[path] = ring
    return ring


def _key(key_id: str) -> bytes:
    """Return a key by id, reading the key files again once (a rotation may have ended)."""
    key = keyring().get(key_id)
    if key is None:
        forget_keys()
        key = keyring().get(key_id)
    if key is None:
        raise _missing(key_id)
    return key


def forget_keys() -> None:
    """Drop the keys this process read (after a rotation, or when tests change roots)."""
    _keys.clear()


def read_key_file(path: str) -> tuple[str, bytes] | None:
    """Return (key id, key) from a key file, or None when there is none."""
    try:
        with open(path, encoding="ascii") as handle:
            text = handle.read().strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise DokkuError(f"Cannot read the secret key {path}: {exc}") from exc
    key_id, _, encoded = text.partition(":")
    try:
        key = binascii.a2b_base64(encoded)
    except binascii.Error:
        key = b""
    if len(key) != KEY_BYTES or not key_id.isalnum():
        raise DokkuError(f"The secret key file {path} is damaged (expected `ID:BASE64`)")
    return key_id, key


def new_key() -> tuple[str, bytes]:
    """Return a fresh (key id, key)."""
    return os.urandom(4).hex(), os.urandom(KEY_BYTES)


def write_key_file(path: str, key_id: str, key: bytes) -> bool:
    """Create a key file (mode 0600) unless one exists; return whether this call made it."""
    directory = os.path.dirname(path)
    os.makedirs(directory, mode=0o700, exist_ok=True)
    temp = os.path.join(directory, f".{os.path.basename(path)}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(f"{key_id}:{binascii.b2a_base64(key, newline=False).decode()}\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.link(temp, path)  # fails if the file exists: two first writers keep one key
        return True
    except FileExistsError:
        return False
    finally:
        os.unlink(temp)


def _adopt_or_create_key(conn: sqlite3.Connection) -> str:
    """Record the key file's key as the one in force, writing a new key file if there is none."""
    found = read_key_file(key_file())
    if found is None:
        write_key_file(key_file(), *new_key())
        forget_keys()
        found = read_key_file(key_file())
        if found is None:
            raise DokkuError(f"Cannot create the secret key {key_file()}")
    forget_keys()
    from pydokku.state import now

    conn.execute("INSERT INTO secret_keys (id, created_at) VALUES (?, ?)", (found[0], now()))
    return found[0]


def _missing(key_id: str) -> MissingKeyError:
    held = ", ".join(sorted(keyring())) or "none"
    return MissingKeyError(
        f"The secret key {key_id} is missing (key file {key_file()}; keys found: {held}). "
        "Config values cannot be decrypted: restore the key file from your backup "
        "(see docs/security.md)"
    )


def _aad(key_id: str) -> bytes:
    return f"{PREFIX}{key_id}".encode()


def _cipher() -> type[AESGCM]:
    """Return the AESGCM class, imported the cheap way when this cryptography allows it."""
    try:
        # The public module re-exports this class and imports ~30 ms of helpers with it.
        from cryptography.hazmat.bindings._rust import openssl

        cipher: type[AESGCM] = openssl.aead.AESGCM
        return cipher
    except (ImportError, AttributeError):
        from cryptography.hazmat.primitives.ciphers import aead

        return aead.AESGCM
