"""Validation of names and keys before they reach a path, a container name or a file."""

from __future__ import annotations

import re

from pydokku.errors import DokkuError

APP_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9.-]*\Z")  # \Z: `$` would accept a trailing newline
ENV_KEY_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\Z")
# A DNS label holds 63 characters; Dokku derives `APP.PROC.N` container names and
# `APP.<domain>` hosts from the name, so the whole name must fit in one label.
APP_NAME_MAX = 63
GLOBAL_SCOPE = "--global"


def app_name_problem(name: str) -> str | None:
    """Return why `name` is not a valid app name, or None when it is valid."""
    if not name:
        return "App name must not be empty"
    if len(name) > APP_NAME_MAX:
        return f"App name must be at most {APP_NAME_MAX} characters"
    if not APP_NAME_RE.match(name):
        return (
            "App name must begin with a lowercase alphanumeric character, "
            "and contain only lowercase alphanumeric characters, periods, and dashes"
        )
    if ".." in name or name.endswith((".", "-")):
        return "App name must not end with a period or dash, nor contain '..'"
    return None


def validate_app_name(name: str) -> str:
    """Return `name` unchanged if it is a valid app name, else raise a DokkuError."""
    problem = app_name_problem(name)
    if problem:
        raise DokkuError(f"{problem}: {name!r}" if name else problem)
    return name


def validate_env_key(key: str) -> str:
    """Return `key` unchanged if it is a valid environment variable name."""
    if not ENV_KEY_RE.match(key):
        raise DokkuError(f"Invalid config key {key!r}: keys must match [A-Za-z_][A-Za-z0-9_]*")
    return key
