"""Secrets at rest on the installed host: other users read nothing, the store holds no value.

`runuser -u nobody` stands for any other local user.
"""

from __future__ import annotations

import secrets
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.integration.conftest import DokkuRunner, run_dokku

STATE_DIR = Path("/var/lib/dokku/data/pydokku")
SERVICES = Path("/var/lib/dokku/services")


def nobody_reads(path: Path) -> bool:
    """Tell whether the `nobody` user can read a file (or list a directory)."""
    argv = ["ls", str(path)] if path.is_dir() else ["cat", str(path)]
    proc = subprocess.run(
        ["runuser", "-u", "nobody", "--", *argv], capture_output=True, timeout=30, check=False
    )
    return proc.returncode == 0


def stored_bytes() -> bytes:
    return b"".join(p.read_bytes() for p in STATE_DIR.iterdir() if p.is_file())


@pytest.fixture
def redis_service() -> Iterator[str]:
    name = f"t-{secrets.token_hex(4)}"
    yield name
    if run_dokku("redis:exists", name, check=False).returncode == 0:
        for app in run_dokku("redis:links", name, check=False).stdout.split():
            run_dokku("redis:unlink", name, app, "-n", check=False)
        run_dokku("--force", "redis:destroy", name, check=False)


def test_other_users_read_no_secret_and_the_store_holds_no_value(
    dokku: DokkuRunner, app_name: Callable[[], str], redis_service: str
) -> None:
    app, value = app_name(), f"s3cret-{secrets.token_hex(8)}"
    dokku("apps:create", app)
    dokku("config:set", "--no-restart", app, f"API_TOKEN={value}")
    dokku("certs:generate", app, f"{app}.localhost")
    dokku("redis:create", redis_service)
    dokku("redis:link", redis_service, app, "--no-restart")
    url = dokku("config:get", app, "REDIS_URL").stdout.strip()
    password = urlsplit(url).password or ""
    assert len(password) >= 16
    assert dokku("config:get", app, "API_TOKEN").stdout == f"{value}\n"

    private = [
        STATE_DIR,
        *sorted(p for p in STATE_DIR.iterdir() if p.is_file()),
        Path("/home/dokku") / app / "tls" / "server.key",
        SERVICES / "redis" / redis_service,
        SERVICES / "redis" / redis_service / "PASSWORD",
    ]
    # state.db-wal and -shm exist only while a connection is open: checked when present
    assert {p.name for p in private} >= {"state.db", "secret.key", "PASSWORD"}
    readable = [str(p) for p in private if nobody_reads(p)]
    assert readable == []

    assert value.encode() not in stored_bytes()
    assert password.encode() not in stored_bytes()
    assert password not in (SERVICES / "redis" / redis_service / "PASSWORD").read_text()


def test_plugin_install_brings_an_old_install_to_owner_only(dokku: DokkuRunner) -> None:
    """An install from before left the state directory 0755 and its files 0644."""
    files = [p for p in STATE_DIR.iterdir() if p.is_file()]
    STATE_DIR.chmod(0o755)
    for path in files:
        path.chmod(0o644)
    assert nobody_reads(STATE_DIR / "state.db")
    try:
        dokku("plugin:install")
    finally:
        modes = {p.name: p.stat().st_mode & 0o777 for p in [STATE_DIR, *files]}
        STATE_DIR.chmod(0o700)
        for path in files:
            path.chmod(0o600)
    assert modes == {STATE_DIR.name: 0o700, **{p.name: 0o600 for p in files}}
    assert all(p.owner() == "dokku" for p in [STATE_DIR, *STATE_DIR.iterdir()])
    assert not nobody_reads(STATE_DIR / "state.db")
