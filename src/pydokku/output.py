"""Dokku's output conventions: steps, headers, verbose lines and errors."""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

STEP = "-----> "
HEADER = "=====> "
VERBOSE = "       "
ERROR = " !     "

_quiet = False
_sinks: list[Callable[[str], None]] = []


def add_sink(sink: Callable[[str], None]) -> None:
    """Also hand everything this process writes to stdout and stderr to `sink` (build logs).

    Works once `guard_streams` has wrapped the streams (the CLI does it first thing);
    `--quiet` lines are never written, so never handed over either.
    """
    _sinks.append(sink)


def remove_sink(sink: Callable[[str], None]) -> None:
    """Stop handing output to `sink`."""
    if sink in _sinks:
        _sinks.remove(sink)


def _to_sinks(text: str) -> None:
    for sink in list(_sinks):
        try:
            sink(text)
        except OSError:
            remove_sink(sink)  # a full disk must not fail the command itself


def set_quiet(quiet: bool) -> None:
    """Silence progress output (steps, headers, verbose lines) for `--quiet`."""
    global _quiet
    _quiet = quiet


def is_quiet() -> bool:
    """Tell whether `--quiet` is on (table headers are left out too, as in Dokku)."""
    return _quiet


def step(message: str) -> None:
    """Print a progress line: `-----> message`."""
    if not _quiet:
        _emit(STEP + message)


def header(message: str) -> None:
    """Print a section header: `=====> message`."""
    if not _quiet:
        _emit(HEADER + message)


def verbose(message: str) -> None:
    """Print a detail line indented under a step."""
    if not _quiet:
        _emit(VERBOSE + message)


def row(message: str) -> None:
    """Print an indented data line (Dokku's LogVerbose): kept under `--quiet`."""
    _emit(VERBOSE + message)


def echo(message: str = "") -> None:
    """Print a plain line on stdout (data output, never silenced)."""
    _emit(message)


def warn(message: str) -> None:
    """Print a warning on stderr: ` !     message`."""
    for line in message.splitlines() or [""]:
        sys.stderr.write(ERROR + line + "\n")
    sys.stderr.flush()


error = warn


def _emit(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class _Guarded:
    """A stdout/stderr that never fails the command: once the reader is gone (EPIPE, EIO),
    its file descriptor is pointed at /dev/null and everything later is dropped.

    A client that disconnects mid-deploy must not turn a failure into success nor stop a
    switch-back half-way; what happened is in the events either way.
    """

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: Any) -> int:
        if _sinks and isinstance(text, str):
            _to_sinks(text)
        try:
            return int(self._stream.write(text))
        except OSError:
            _divert(self._stream)
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError:
            _divert(self._stream)

    @property
    def buffer(self) -> Any:
        return _Guarded(self._stream.buffer) if hasattr(self._stream, "buffer") else None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _divert(stream: Any) -> None:
    """Point a stream whose reader left at /dev/null, dropping what it still buffers."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
        stream.flush()
    except (OSError, ValueError):
        pass


def guard_streams() -> None:
    """Make output errors on stdout and stderr harmless for the rest of the process."""
    if not isinstance(sys.stdout, _Guarded) and sys.stdout is not None:
        sys.stdout = _Guarded(sys.stdout)
    if not isinstance(sys.stderr, _Guarded) and sys.stderr is not None:
        sys.stderr = _Guarded(sys.stderr)
