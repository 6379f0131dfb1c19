"""Many `dokku` processes at once, and processes killed in the middle of a write."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

from tests.conftest import Dokku


def wait_all(procs: list[subprocess.Popen[str]]) -> list[tuple[int, str, str]]:
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        results.append((proc.returncode, out, err))
    return results


def test_concurrent_config_sets_lose_no_update(dokku: Dokku, app: str) -> None:
    procs = [dokku.start("config:set", "--no-restart", app, f"K{i}=v{i}") for i in range(50)]
    failures = [r for r in wait_all(procs) if r[0] != 0]
    assert failures == []
    env = json.loads(dokku.ok("config:export", "--format", "json", app).stdout)
    assert env == {f"K{i}": f"v{i}" for i in range(50)}
    events = json.loads(dokku.ok("events:list", "-n", "1000", "--format", "json").stdout)
    assert sum(e["action"] == "config:set" for e in events) == 50


def test_concurrent_creates_on_a_fresh_store(dokku: Dokku) -> None:
    assert not dokku.db.exists()
    names = [f"app-{i:02d}" for i in range(20)]
    failures = [r for r in wait_all([dokku.start("apps:create", n) for n in names]) if r[0] != 0]
    assert failures == []
    assert json.loads(dokku.ok("apps:list", "--format", "json").stdout) == names
    assert sorted(p.name for p in dokku.root.iterdir()) == names


def test_concurrent_creates_of_one_name_let_exactly_one_win(dokku: Dokku) -> None:
    dokku.ok("apps:list")  # the store exists
    results = wait_all([dokku.start("apps:create", "same") for _ in range(8)])
    assert sorted(rc for rc, _, _ in results) == [0] + [1] * 7
    assert all("Name is already taken: same" in err for rc, _, err in results if rc)
    assert json.loads(dokku.ok("apps:list", "--format", "json").stdout) == ["same"]


# A writer that holds one big uncommitted transaction open until it is killed;
# enough rows that SQLite spills uncommitted pages into the WAL file.
UNCOMMITTED_WRITER = textwrap.dedent(
    """
    import sys, time
    from pydokku import state

    with state.transaction() as conn:
        conn.executemany(
            "INSERT INTO config (app, key, value) VALUES ('myapp', ?, ?)",
            ((f"UNCOMMITTED_{i}", "x" * 200) for i in range(30000)),
        )
        conn.execute("DELETE FROM config WHERE key = 'BEFORE'")
        print("ready", flush=True)
        time.sleep(120)
    """
)

# A writer committing one row per transaction, reporting each commit, until killed.
COMMITTING_WRITER = textwrap.dedent(
    """
    from pydokku import state

    i = 0
    while True:
        with state.transaction() as conn:
            conn.execute(
                "INSERT INTO config (app, key, value) VALUES ('myapp', ?, 'v')", (f"C{i}",)
            )
        print(i, flush=True)
        i += 1
    """
)


def start_writer(dokku: Dokku, code: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dokku.env(),
    )


def check_integrity(dokku: Dokku) -> sqlite3.Connection:
    conn = sqlite3.connect(dokku.db)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    return conn


def test_killed_writer_leaves_the_last_committed_state(dokku: Dokku, app: str) -> None:
    dokku.ok("config:set", app, "BEFORE=1")
    writer = start_writer(dokku, UNCOMMITTED_WRITER)
    assert writer.stdout is not None
    assert writer.stdout.readline() == "ready\n", writer.stderr.read() if writer.stderr else ""
    wal = dokku.db.with_name(dokku.db.name + "-wal")
    assert wal.stat().st_size > 1_000_000  # uncommitted pages really reached the disk
    os.kill(writer.pid, signal.SIGKILL)
    writer.communicate(timeout=30)
    assert writer.returncode == -signal.SIGKILL

    conn = check_integrity(dokku)
    rows = conn.execute("SELECT key FROM config WHERE app = 'myapp'").fetchall()
    conn.close()
    assert rows == [("BEFORE",)]
    assert json.loads(dokku.ok("config:export", "--format", "json", app).stdout) == {"BEFORE": "1"}
    dokku.ok("config:set", app, "AFTER=2")
    dokku.ok("apps:create", "later")
    assert json.loads(dokku.ok("config:export", "--format", "json", app).stdout) == {
        "AFTER": "2",
        "BEFORE": "1",
    }
    check_integrity(dokku).close()


def test_killed_writer_keeps_every_reported_commit(dokku: Dokku, app: str) -> None:
    writer = start_writer(dokku, COMMITTING_WRITER)
    assert writer.stdout is not None
    reported = -1
    while reported < 200:
        reported = int(writer.stdout.readline())
    os.kill(writer.pid, signal.SIGKILL)
    writer.communicate(timeout=30)

    conn = check_integrity(dokku)
    keys = {row[0] for row in conn.execute("SELECT key FROM config WHERE app = 'myapp'")}
    conn.close()
    count = len(keys)
    assert count > reported
    assert keys == {f"C{i}" for i in range(count)}  # a prefix: no gap, nothing half-written
    dokku.ok("config:set", app, "AFTER=1")
    assert dokku.ok("config:get", app, "AFTER").stdout == "1\n"
