"""Shared fixtures: a `dokku` runner against temp roots, and an in-process temp store."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pydokku import state

# Variables that would change who the actor is or whether a run counts as SSH.
_SCRUBBED = (
    "SSH_ORIGINAL_COMMAND",
    "SSH_CONNECTION",
    "SSH_NAME",
    "NAME",
    "DOKKU_TRACE",
    "DOKKU_SUPER_USER",
)


@dataclass
class Result:
    """What one `dokku` run produced."""

    rc: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        """Lines of stdout."""
        return self.stdout.splitlines()


class Dokku:
    """Run the real `dokku` entry point in a subprocess, with roots under a temp dir."""

    def __init__(self, base: Path) -> None:
        self.root = base / "home-dokku"
        self.lib_root = base / "var-lib-dokku"
        self.root.mkdir()
        self.lib_root.mkdir()

    @property
    def db(self) -> Path:
        """Path of the state store the runs use."""
        return self.lib_root / "data" / "pydokku" / "state.db"

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        """Environment of a run: the test's own, minus SSH variables, plus the roots."""
        env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED}
        env.update(
            DOKKU_ROOT=str(self.root),
            DOKKU_LIB_ROOT=str(self.lib_root),
            LOGNAME="tester",  # the local actor name (getpass reads LOGNAME first)
            USER="tester",
        )
        env.update(extra or {})
        return env

    def argv(self, args: tuple[str, ...]) -> list[str]:
        """Full command line of a run."""
        return [sys.executable, "-m", "pydokku", *args]

    def __call__(
        self, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
    ) -> Result:
        """Run `dokku ARGS` and return its exit code and output."""
        proc = subprocess.run(
            self.argv(args),
            input=stdin if stdin is not None else "",
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=self.env(env),
            timeout=60,
            check=False,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    def ok(self, *args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Result:
        """Run `dokku ARGS` and fail the test unless it exits 0."""
        result = self(*args, stdin=stdin, env=env)
        assert result.rc == 0, f"dokku {' '.join(args)} -> {result.rc}\n{result.stderr}"
        return result

    def start(self, *args: str) -> subprocess.Popen[str]:
        """Start `dokku ARGS` without waiting (for concurrency tests)."""
        return subprocess.Popen(
            self.argv(args),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=self.env(),
        )


@pytest.fixture
def dokku(tmp_path: Path) -> Dokku:
    """A `dokku` runner whose DOKKU_ROOT and DOKKU_LIB_ROOT are fresh temp dirs."""
    return Dokku(tmp_path)


@pytest.fixture
def app(dokku: Dokku) -> str:
    """An existing app named `myapp`."""
    dokku.ok("apps:create", "myapp")
    return "myapp"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point this process's state store at a temp lib root; yield the lib root."""
    lib_root = tmp_path / "lib"
    monkeypatch.setenv("DOKKU_LIB_ROOT", str(lib_root))
    monkeypatch.setenv("DOKKU_ROOT", str(tmp_path / "root"))
    for name in _SCRUBBED:
        monkeypatch.delenv(name, raising=False)
    state.close_all()
    yield lib_root
    state.close_all()
