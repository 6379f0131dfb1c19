"""The hostile-input table (tests/hostile.py) over the real SSH entry: `ssh dokku@127.0.0.1`.

Every row must exit non-zero with ` !` error lines only, leave the state store as it was
(dumped as the dokku user before and after each row), write nothing into the canary
directory, /etc/profile.d, /var/log/nginx or the Dokku root, and print no host file.
"""

from __future__ import annotations

import os
import pwd
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from tests.cli.test_hostile import held_fixture, problems  # noqa: F401 (fixture)
from tests.hostile import ALL_ROWS, CANARY_MARK
from tests.integration.conftest import DOKKU_USER, SSH_HOST, SshKey, run_dokku

STATE_DB = "/var/lib/dokku/data/pydokku/state.db"
WATCHED = (Path("/etc/profile.d"), Path("/var/log/nginx"), Path("/home/dokku"))


def dump_as_dokku(app: str, db: str = STATE_DB) -> str:
    """Dump the store as the dokku user (root must not create the WAL files dokku needs).

    Rows of other apps are left out (other apps' cron jobs or renewals may run meanwhile),
    and so is `sqlite_sequence`, which any event anywhere bumps.
    """
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read)
            user = pwd.getpwnam(DOKKU_USER)
            os.setgid(user.pw_gid)
            os.setuid(user.pw_uid)
            with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)) as conn:
                query = "SELECT name FROM sqlite_master WHERE type = 'table'"
                tables = [row[0] for row in conn.execute(query)]
                rows = {t: sorted(map(repr, conn.execute(f"SELECT * FROM {t}"))) for t in tables}
            os.write(write, repr(rows).encode())
        finally:
            os._exit(0)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 1 << 16):
        chunks.append(chunk)
    os.close(read)
    os.waitpid(pid, 0)
    return b"".join(chunks).decode()


def _rows(conn: sqlite3.Connection, app: str) -> dict[str, list[str]]:
    query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'sqlite_sequence'"
    found = {}
    for (table,) in conn.execute(query).fetchall():
        columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
        where = next((c for c in ("app", "target") if c in columns), "")
        sql = f"SELECT * FROM {table}" + (f" WHERE {where} IN (?, '--global')" if where else "")
        found[table] = sorted(map(repr, conn.execute(sql, (app,) if where else ())))
    return found


def listing() -> set[str]:
    """Return the files of the watched host directories (two levels deep)."""
    found = set()
    for root in WATCHED:
        for path in [*root.glob("*"), *root.glob("*/*")]:
            found.add(str(path))
    return found


def test_every_hostile_row_is_refused_over_ssh(
    ssh_key: SshKey, app_name: Callable[[], str], held: int
) -> None:
    app = app_name()
    run_dokku("apps:create", app)
    run_dokku("config:set", "--no-restart", app, "KEEP=1")
    with tempfile.TemporaryDirectory(prefix="pydokku-hostile-") as scratch:
        canary = Path(scratch)
        canary.chmod(0o777)  # the dokku user could write here: nothing may
        secret = canary / "secret.env"
        secret.write_text(f"MARK={CANARY_MARK}\n")
        secret.chmod(0o644)  # and could read this: nothing may print it
        values = {"app": app, "canary": str(canary), "secret": str(secret), "held": str(held)}
        before_files = listing()
        failures = {}
        # One SSH connection for every row; `--` so that a line starting with `--` is not
        # taken for an option of ssh itself.
        shared = [*ssh_key.options(), "-o", "ControlMaster=auto", "-o", "ControlPersist=60"]
        shared += ["-o", f"ControlPath={canary}/ssh-%C"]
        after = dump_as_dokku(app)
        for row in ALL_ROWS:
            before = after
            proc = subprocess.run(
                ["ssh", *shared, "--", f"{DOKKU_USER}@{SSH_HOST}", row.ssh_line(**values)],
                input=row.stdin,
                capture_output=True,
                timeout=120,
                check=False,
            )
            result = {
                "rc": proc.returncode,
                "stdout": proc.stdout.decode("utf-8", "replace"),
                "stderr": proc.stderr.decode("utf-8", "replace"),
                "changed": (after := dump_as_dokku(app)) != before,
            }
            found = problems(row, result)
            if found:
                failures[f"{row.family}: {row.line}"] = found
        assert failures == {}, "\n".join(f"{k} -> {v}" for k, v in failures.items())
        subprocess.run(["ssh", *shared, "-O", "exit", f"{DOKKU_USER}@{SSH_HOST}"], check=False)
        assert sorted(p.name for p in canary.iterdir() if not p.name.startswith("ssh-")) == [
            "secret.env"
        ]
        assert listing() == before_files
