"""Where pydokku keeps its files: the Dokku root and the lib root."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DOKKU_ROOT = "/home/dokku"
DEFAULT_LIB_ROOT = "/var/lib/dokku"


def dokku_root() -> Path:
    """Return the Dokku root (`DOKKU_ROOT`, default /home/dokku): app repos and nginx files."""
    return Path(os.environ.get("DOKKU_ROOT") or DEFAULT_DOKKU_ROOT)


def lib_root() -> Path:
    """Return the lib root (`DOKKU_LIB_ROOT`, default /var/lib/dokku): state and service data."""
    return Path(os.environ.get("DOKKU_LIB_ROOT") or DEFAULT_LIB_ROOT)


def app_dir(app: str) -> Path:
    """Return the directory of an app (its bare repo and generated files)."""
    return dokku_root() / app


def state_db() -> Path:
    """Return the path of the SQLite state store."""
    return lib_root() / "data" / "pydokku" / "state.db"
