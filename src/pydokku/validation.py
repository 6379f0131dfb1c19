"""Validation of names and keys before they reach a path, a container name or a file."""

from __future__ import annotations

from pydokku.errors import DokkuError

# Character sets instead of regular expressions: `re` costs every `dokku` call ~5 ms.
_LOWER_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_APP_NAME_CHARS = _LOWER_ALNUM | frozenset(".-")
_KEY_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_KEY_CHARS = _KEY_START | frozenset("0123456789")
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
    if name[0] not in _LOWER_ALNUM or not _APP_NAME_CHARS.issuperset(name):
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


def is_env_key(key: str) -> bool:
    """Tell whether `key` is a valid environment variable name ([A-Za-z_][A-Za-z0-9_]*)."""
    return bool(key) and key[0] in _KEY_START and _KEY_CHARS.issuperset(key)


def validate_env_key(key: str) -> str:
    """Return `key` unchanged if it is a valid environment variable name."""
    if not is_env_key(key):
        raise DokkuError(f"Invalid config key {key!r}: keys must match [A-Za-z_][A-Za-z0-9_]*")
    return key
