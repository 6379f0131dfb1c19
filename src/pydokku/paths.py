"""Where pydokku keeps its files: the Dokku root and the lib root."""

from __future__ import annotations

import os

TYPE_CHECKING = False  # pathlib costs ~10 ms to import here; the state store needs none of it
if TYPE_CHECKING:
    from pathlib import Path

DEFAULT_DOKKU_ROOT = "/home/dokku"
DEFAULT_LIB_ROOT = "/var/lib/dokku"


def dokku_root() -> Path:
    """Return the Dokku root (`DOKKU_ROOT`, default /home/dokku): app repos and nginx files."""
    from pathlib import Path

    return Path(dokku_root_dir())


def dokku_root_dir() -> str:
    """Return the Dokku root as a string (no pathlib import, for the CLI's hot path)."""
    return os.environ.get("DOKKU_ROOT") or DEFAULT_DOKKU_ROOT


def lib_root() -> Path:
    """Return the lib root (`DOKKU_LIB_ROOT`, default /var/lib/dokku): state and service data."""
    from pathlib import Path

    return Path(os.environ.get("DOKKU_LIB_ROOT") or DEFAULT_LIB_ROOT)


def lib_root_dir() -> str:
    """Return the lib root as a string (no pathlib import, for the CLI's hot path)."""
    return os.environ.get("DOKKU_LIB_ROOT") or DEFAULT_LIB_ROOT


def app_dir(app: str) -> Path:
    """Return the directory of an app (its bare repo and generated files)."""
    return dokku_root() / app


def state_db() -> Path:
    """Return the path of the SQLite state store."""
    from pathlib import Path

    return Path(state_db_file())


def state_db_file() -> str:
    """Return the path of the SQLite state store as a string (no pathlib import)."""
    return os.path.join(lib_root_dir(), "data", "pydokku", "state.db")
