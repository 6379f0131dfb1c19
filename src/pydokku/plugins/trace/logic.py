"""The trace switch: a `.dokkurc/DOKKU_TRACE` file under the Dokku root, as in Dokku.

The CLI checks the file with one stat (`trace_file`), so it costs every command nothing
worth measuring; when it exists, commands run as if `--trace` were given.
"""

from __future__ import annotations

import os

from pydokku.paths import dokku_root_dir

CONTENT = "export DOKKU_TRACE=1\n"


def trace_file() -> str:
    """Return the path of the switch file (no pathlib: the CLI's hot path reads it)."""
    return os.path.join(dokku_root_dir(), ".dokkurc", "DOKKU_TRACE")


def is_on() -> bool:
    """Tell whether trace mode is on for every command."""
    return os.path.exists(trace_file())


def turn_on() -> None:
    """Turn trace mode on for every later command."""
    path = trace_file()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(CONTENT)


def turn_off() -> None:
    """Turn trace mode off (a no-op when it is off)."""
    if is_on():
        os.unlink(trace_file())
