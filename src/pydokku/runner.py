"""The one place external programs run: argument lists only, never a shell string."""

from __future__ import annotations

import subprocess
import sys

from pydokku.errors import DokkuError

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence


def run(
    argv: Sequence[str],
    *,
    check: bool = True,
    input_text: str | None = None,
    env: Mapping[str, str] | None = None,
    cwd: str | None = None,
    timeout: float | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run a program, capture its output as text, and raise a DokkuError if it fails."""
    try:
        proc = subprocess.run(  # noqa: S603 (argument list, no shell)
            list(argv),
            input=input_text,
            capture_output=True,
            text=True,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError as exc:
        raise _not_found(argv, cwd, exc) from exc
    except subprocess.TimeoutExpired as exc:
        raise DokkuError(f"{argv[0]} did not finish within {timeout:.0f} s") from exc
    if check and proc.returncode != 0:
        detail = (proc.stderr.strip() or proc.stdout.strip()).splitlines()
        raise DokkuError(
            f"{' '.join(argv[:2])} failed: {detail[-1] if detail else proc.returncode}"
        )
    return proc


def stream(
    argv: Sequence[str],
    *,
    on_line: Callable[[str], None] | None = None,
    env: Mapping[str, str] | None = None,
    cwd: str | None = None,
) -> int:
    """Run a program, passing each output line (stdout and stderr) to `on_line`; return its code."""
    emit = on_line or _print_line
    try:
        proc = subprocess.Popen(  # noqa: S603 (argument list, no shell)
            list(argv),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=dict(env) if env is not None else None,
            cwd=cwd,
        )
    except FileNotFoundError as exc:
        raise _not_found(argv, cwd, exc) from exc
    try:
        for line in proc.stdout or ():
            emit(line.rstrip("\n"))
    except BaseException:  # interrupted (a canceled build): the program must not run on
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        raise
    return proc.wait()


def _not_found(argv: Sequence[str], cwd: str | None, exc: FileNotFoundError) -> DokkuError:
    # A missing working directory raises FileNotFoundError too, naming the directory.
    if cwd is not None and exc.filename == cwd:
        return DokkuError(f"Cannot run {argv[0]}: directory {cwd} does not exist")
    return DokkuError(f"{argv[0]} is not installed")


def _print_line(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def spawn_dokku(*args: str, pass_fds: Sequence[int] = ()) -> None:
    """Start `dokku ARGS` (this pydokku) detached from this process: its own session, no stdio.

    `pass_fds`: descriptors the child keeps (a lock it takes over).
    """
    subprocess.Popen(  # noqa: S603 (argument list, no shell)
        [sys.executable, "-m", "pydokku", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        pass_fds=tuple(pass_fds),
    )
