"""Dokku's output conventions: steps, headers, verbose lines and errors."""

from __future__ import annotations

import sys

STEP = "-----> "
HEADER = "=====> "
VERBOSE = "       "
ERROR = " !     "

_quiet = False


def set_quiet(quiet: bool) -> None:
    """Silence progress output (steps, headers, verbose lines) for `--quiet`."""
    global _quiet
    _quiet = quiet


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
