"""`--parallel N` for commands over many apps: N `dokku` processes at a time.

Serial (the default, N of 0 or 1) runs in this process. In parallel each app is a
separate `dokku CMD APP` run, as Dokku does with GNU parallel; each run's output is
printed whole when it ends, so lines of different apps never interleave.
"""

from __future__ import annotations

import os
import subprocess
import sys

from pydokku.errors import DokkuError, UsageError

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from collections.abc import Callable


def workers(parallel: int) -> int:
    """Return the number of simultaneous runs for `--parallel` (-1: one per CPU)."""
    if parallel == -1:
        return os.cpu_count() or 1
    if parallel < -1:
        raise UsageError("--parallel must be -1 (one per CPU), 0 or more")
    return max(parallel, 1)


def for_each(
    apps: list[str], action: Callable[[str], None], parallel: int, argv: Callable[[str], list[str]]
) -> None:
    """Run `action(app)` for every app, or `dokku ARGV(app)` N at a time with --parallel N."""
    count = workers(parallel)
    if count <= 1 or len(apps) <= 1:
        for app in apps:
            action(app)
        return
    failed = run_all([argv(app) for app in apps], count)
    if failed:
        raise DokkuError(f"Failed for {len(failed)} of {len(apps)} apps: {', '.join(failed)}")


def run_all(commands: list[list[str]], count: int) -> list[str]:
    """Run `dokku` command lines, `count` at a time; return the failed ones (joined)."""
    from concurrent.futures import ThreadPoolExecutor, as_completed

    failed = []
    with ThreadPoolExecutor(max_workers=count) as pool:
        futures = {pool.submit(_run, words): words for words in commands}
        for future in as_completed(futures):
            proc = future.result()
            sys.stdout.write(proc.stdout)
            sys.stderr.write(proc.stderr)
            if proc.returncode != 0:
                failed.append(" ".join(futures[future]))
    sys.stdout.flush()
    return sorted(failed)


def _run(words: list[str]) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "pydokku", *words]
    return subprocess.run(  # noqa: S603 (argument list, no shell)
        argv, capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False
    )
