"""Secrets at rest, end to end: what the state directory holds after real commands."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.conftest import Dokku

SECRETS = ("hunter2-app-secret", "glob4l-secret", "imp0rted-secret")


def state_dir(dokku: Dokku) -> Path:
    return dokku.db.parent


def everything_stored(dokku: Dokku) -> bytes:
    """The bytes of every file in the state directory (store, WAL, shared memory, key)."""
    return b"".join(p.read_bytes() for p in state_dir(dokku).iterdir() if p.is_file())


def key_id(dokku: Dokku) -> str:
    return (state_dir(dokku) / "secret.key").read_text().split(":")[0]


def set_secrets(dokku: Dokku, app: str) -> None:
    dokku.ok("config:set", "--no-restart", app, f"URL=postgres://u:{SECRETS[0]}@db/x")
    dokku.ok("config:set", "--no-restart", "--global", f"G={SECRETS[1]}")
    dokku.ok("config:import", "--no-restart", app, stdin=f"IMPORTED={SECRETS[2]}\n")


def test_no_value_is_stored_in_clear(dokku: Dokku, app: str) -> None:
    set_secrets(dokku, app)
    dokku.ok("config:unset", "--no-restart", app, "IMPORTED")
    data = everything_stored(dokku)
    for secret in SECRETS:
        assert secret.encode() not in data
    assert dokku.ok("config:get", app, "URL").stdout == f"postgres://u:{SECRETS[0]}@db/x\n"
    assert dokku.ok("config:get", app, "G").stdout == f"{SECRETS[1]}\n"


def test_output_is_unchanged(dokku: Dokku, app: str) -> None:
    dokku.ok("config:set", "--no-restart", app, "A=x y", "B=it's")
    assert dokku.ok("config:show", app).stdout == "=====> myapp env vars\nA:  x y\nB:  it's\n"
    assert dokku.ok("config:export", "--format", "shell", app).stdout == "A='x y' B='it'\"'\"'s'\n"
    assert dokku.ok("config:keys", app).stdout == "A\nB\n"
    assert "Config keys:" in dokku.ok("report", app).stdout


def test_the_state_directory_is_owner_only(dokku: Dokku, app: str) -> None:
    set_secrets(dokku, app)
    assert state_dir(dokku).stat().st_mode & 0o777 == 0o700
    for path in state_dir(dokku).iterdir():
        if path.is_file():
            assert path.stat().st_mode & 0o777 == 0o600, path.name


def test_rotation_keeps_every_value_readable(dokku: Dokku, app: str) -> None:
    set_secrets(dokku, app)
    dokku.ok("apps:clone", app, "copy")
    before = dokku.ok("config:export", "--format", "json", "--merged", app).stdout
    old = key_id(dokku)
    result = dokku.ok("config:rotate-key")
    assert result.stdout.startswith("-----> Re-encrypting stored secrets under a new key\n")
    assert "5 values re-encrypted" in result.stdout  # 2 vars, 1 global, 2 on the clone
    assert key_id(dokku) != old
    assert dokku.ok("config:export", "--format", "json", "--merged", app).stdout == before
    assert dokku.ok("config:get", "copy", "IMPORTED").stdout == f"{SECRETS[2]}\n"
    assert old.encode() not in everything_stored(dokku)
    conn = sqlite3.connect(dokku.db)
    values = [row[0] for row in conn.execute("SELECT value FROM config")]
    conn.close()
    assert values
    assert all(v.startswith(f"pydokku:v1:{key_id(dokku)}:") for v in values)


def test_renamed_and_cloned_apps_keep_their_values(dokku: Dokku, app: str) -> None:
    set_secrets(dokku, app)
    dokku.ok("apps:clone", app, "copy")
    dokku.ok("apps:rename", app, "renamed")
    for name in ("copy", "renamed"):
        assert dokku.ok("config:get", name, "IMPORTED").stdout == f"{SECRETS[2]}\n"


def test_a_lost_key_is_a_clear_error(dokku: Dokku, app: str) -> None:
    set_secrets(dokku, app)
    (state_dir(dokku) / "secret.key").unlink()
    result = dokku("config:get", app, "URL")
    assert result.rc == 1
    assert result.stderr.startswith(" !     The secret key ")
    assert "restore the key file" in result.stderr
    assert "Traceback" not in result.stderr
    refused = dokku("config:set", "--no-restart", app, "NEW=value")
    assert refused.rc == 1
    assert "is missing" in refused.stderr
    assert not (state_dir(dokku) / "secret.key").exists()  # no second key made silently
    assert dokku.ok("config:keys", app).stdout == "IMPORTED\nURL\n"  # names need no key
    assert dokku.ok("apps:list").stdout.splitlines()[-1] == app
