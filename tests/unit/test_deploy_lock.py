"""The per-app deploy lock, held by another process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pydokku.errors import DokkuError
from pydokku.plugins.deploy.lock import deploy_lock, lock_path

# Holds myapp's lock until stdin closes (or for argv[1] seconds when given).
_HOLDER = """
import sys, time
from pydokku.plugins.deploy.lock import deploy_lock
with deploy_lock("myapp", wait_s=0):
    print("locked", flush=True)
    if len(sys.argv) > 1:
        time.sleep(float(sys.argv[1]))
    else:
        sys.stdin.readline()
"""


def start_holder(*args: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    assert proc.stdout is not None
    assert proc.stdout.readline() == "locked\n", proc.stderr.read() if proc.stderr else ""
    return proc


@pytest.fixture
def holder(store: Path) -> Iterator[subprocess.Popen[str]]:
    proc = start_holder()
    yield proc
    proc.kill()
    proc.communicate(timeout=10)


def release_holder(proc: subprocess.Popen[str]) -> None:
    proc.communicate("\n", timeout=10)
    assert proc.returncode == 0


def test_second_holder_times_out_naming_the_deploy_in_progress(
    holder: subprocess.Popen[str],
) -> None:
    started = time.monotonic()
    with pytest.raises(DokkuError) as info, deploy_lock("myapp", wait_s=0.3):
        pass
    assert time.monotonic() - started < 5
    assert info.value.message == (
        f"Another deploy of myapp is in progress (pid {holder.pid}); try again later"
    )


def test_lock_is_free_after_the_holder_releases(holder: subprocess.Popen[str]) -> None:
    with pytest.raises(DokkuError, match="in progress"), deploy_lock("myapp", wait_s=0):
        pass
    release_holder(holder)
    with deploy_lock("myapp", wait_s=0):
        assert Path(lock_path("myapp")).read_text() == str(os.getpid())


def test_a_waiting_deploy_proceeds_when_the_holder_finishes(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    proc = start_holder("0.5")
    entered = False
    with deploy_lock("myapp", wait_s=30):
        entered = True
    proc.communicate(timeout=10)
    assert entered
    assert proc.returncode == 0
    assert "Waiting for another deploy of myapp to finish" in capsys.readouterr().out


def test_other_apps_are_not_blocked(holder: subprocess.Popen[str]) -> None:
    with deploy_lock("otherapp", wait_s=0):
        pass


def test_wait_defaults_to_the_environment(
    holder: subprocess.Popen[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOKKU_DEPLOY_LOCK_WAIT", "0.2")
    with pytest.raises(DokkuError, match="in progress"), deploy_lock("myapp"):
        pass


def test_lock_is_released_when_the_block_raises(store: Path) -> None:
    with pytest.raises(RuntimeError), deploy_lock("myapp", wait_s=0):
        raise RuntimeError("deploy failed")
    with deploy_lock("myapp", wait_s=0):
        pass


def test_lock_file_lives_under_the_lib_root(store: Path) -> None:
    assert lock_path("myapp") == str(store / "data" / "pydokku" / "locks" / "myapp.lock")


# A background watcher: inherits the lock's descriptor, marks itself, ends when asked.
_WATCHER = """
import signal, sys, threading
from pydokku.plugins.deploy.lock import mark_watcher
asked = threading.Event()
signal.signal(signal.SIGUSR1, lambda *_: asked.set())
mark_watcher(int(sys.argv[1]))
print("watching", flush=True)
asked.wait(30)
print("asked" if asked.is_set() else "not asked", flush=True)
"""


def test_a_watcher_keeps_the_lock_until_a_newer_deploy_asks_it_to_end(store: Path) -> None:
    from pydokku.plugins.deploy.lock import held_fd

    with deploy_lock("myapp", wait_s=0):
        fd = held_fd("myapp")
        assert fd is not None
        proc = subprocess.Popen(
            [sys.executable, "-c", _WATCHER, str(fd)],
            pass_fds=(fd,),
            stdout=subprocess.PIPE,
            text=True,
            env=dict(os.environ),
        )
        assert proc.stdout is not None
        assert proc.stdout.readline() == "watching\n"
    assert held_fd("myapp") is None
    try:
        assert Path(lock_path("myapp")).read_text() == f"{proc.pid} watch"
        with pytest.raises(DokkuError, match=f"pid {proc.pid}"), deploy_lock("myapp", wait_s=0):
            pass
        started = time.monotonic()
        with deploy_lock("myapp", wait_s=20):
            assert time.monotonic() - started < 10
        assert proc.stdout.read() == "asked\n"
    finally:
        proc.kill()
        proc.wait(timeout=10)
