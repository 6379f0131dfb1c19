"""The hostile-input table (tests/hostile.py) run locally: every row refused, cleanly.

All rows run in one helper process that forks a fresh `dokku` per row (tests/hostile_runner.py),
so the table costs seconds. The same rows run over SSH in tests/integration/test_hostile_ssh.py.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.test_domains import IsolatedDokku
from tests.conftest import Dokku
from tests.hostile import ALL_ROWS, CANARY_MARK, Row

APP = "hostile"


def problems(row: Row, result: dict[str, object]) -> list[str]:
    """Return what is wrong with how one row was refused (empty when all is well)."""
    found = []
    stderr, stdout = str(result["stderr"]), str(result["stdout"])
    lines = stderr.splitlines()
    if result["rc"] == 0:
        found.append("exit 0")
    if not lines or not all(line.startswith(" !") for line in lines) or len(lines) > 2:
        found.append(f"not a ` !` error: {stderr[:300]!r}")
    if "Traceback" in stderr + stdout or "Unexpected error" in stderr:
        found.append("traceback or unexpected error")
    if result["changed"]:
        found.append("the state store changed")
    if CANARY_MARK in stderr + stdout or "PRETTY_NAME" in stderr + stdout:
        found.append("a host file's content was printed")
    return found


def tree(own: Path, *roots: Path) -> set[str]:
    """Return every file under the roots but the app's own directory `own` (locks aside)."""
    skipped = ("state.db-wal", "state.db-shm", ".lock")
    return {
        str(path)
        for root in roots
        for path in root.rglob("*")
        if not path.name.endswith(skipped)
        and not path.is_relative_to(own)
        and "locks" not in path.parts  # lock files are how commands queue
    }


@pytest.fixture(name="dokku")
def dokku_fixture(tmp_path: Path) -> Dokku:
    return IsolatedDokku(tmp_path)


@pytest.fixture(name="held")
def held_fixture() -> Iterator[int]:
    """A TCP port this test listens on: another program's port, for the proxy."""
    with socket.socket() as holder:
        holder.bind(("0.0.0.0", 0))
        holder.listen()
        yield holder.getsockname()[1]


def test_every_hostile_row_is_refused_locally(dokku: Dokku, tmp_path: Path, held: int) -> None:
    canary = tmp_path / "canary"
    canary.mkdir()
    secret = tmp_path / "secret.env"
    secret.write_text(f"MARK={CANARY_MARK}\n")
    dokku.ok("apps:create", APP)
    dokku.ok("config:set", APP, "KEEP=1")
    values = {"app": APP, "canary": str(canary), "secret": str(secret), "held": str(held)}
    rows = [row for row in ALL_ROWS if not row.ssh_only]
    assert len(ALL_ROWS) >= 150
    cases = [
        {
            "argv": row.words(**values),
            "stdin": base64.b64encode(row.stdin).decode(),
            "env": dokku.env(),
        }
        for row in rows
    ]
    before = tree(dokku.root / APP, dokku.root, dokku.lib_root)
    proc = subprocess.run(
        [sys.executable, "-m", "tests.hostile_runner", str(dokku.db)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
        env={**dokku.env(), "PYTHONPATH": os.getcwd()},
    )
    results = json.loads(proc.stdout)
    failures = {
        f"{row.family}: {row.line}": found
        for row, result in zip(rows, results, strict=True)
        if (found := problems(row, result))
    }
    assert failures == {}, "\n".join(f"{k} -> {v}" for k, v in failures.items())
    assert tree(dokku.root / APP, dokku.root, dokku.lib_root) == before
    assert list(canary.iterdir()) == []
