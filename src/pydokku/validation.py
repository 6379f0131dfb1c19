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
# Service containers are `dokku.TYPE.NAME` (service names may hold dots): an app named
# `dokku.postgres.x` would get containers named like a service's.
RESERVED_APP_PREFIX = "dokku."


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
    if name.startswith(RESERVED_APP_PREFIX):
        return f"App names beginning with {RESERVED_APP_PREFIX!r} are kept for service containers"
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


# Path-valued properties (procfile-path, dockerfile-path, build-dir, app.json path, log
# paths, CA bundles, backup dirs): one rule for all, checked at set time and again at use.
_PATH_CHARS = _KEY_CHARS | frozenset("0123456789.-_/@+=,:~%")
PATH_MAX = 255


def relative_path_problem(value: str) -> str | None:
    """Return why `value` is not a relative path that stays inside a tree, or None.

    Accepted: `Procfile`, `deploy/Procfile`, `./sub`; refused: an absolute path, a `..`
    component, an empty component, control characters, spaces and shell or nginx syntax.
    """
    if not value:
        return "must not be empty"
    if len(value) > PATH_MAX:
        return f"must be at most {PATH_MAX} characters"
    if value.startswith("/"):
        return "must be a relative path inside the app's source"
    if not _PATH_CHARS.issuperset(value):
        return "may contain only letters, digits and ._-/@+=,:~%"
    parts = value.rstrip("/").split("/")
    if ".." in parts:
        return "must not contain '..'"
    if "" in parts:
        return "must not contain '//'"
    return None


def validate_relative_path(value: str, what: str) -> str:
    """Return `value` if it is a relative path inside a tree, else raise naming `what`."""
    problem = relative_path_problem(value)
    if problem:
        raise DokkuError(f"Invalid {what} {value!r}: {problem}")
    return value


def path_in_dirs_problem(value: str, roots: tuple[str, ...]) -> str | None:
    """Return why `value` is not an absolute path inside one of `roots`, or None.

    The path is checked as written (no `..`, no `//`, the safe characters); `resolved_in_dirs`
    checks where symlinks lead when the file is used.
    """
    where = " or ".join(f"{root}/" for root in roots)
    if not value.startswith("/") or len(value) > PATH_MAX:
        return f"expected an absolute path under {where}"
    problem = relative_path_problem(value[1:])
    if problem:
        return problem
    if not any(value.startswith(root.rstrip("/") + "/") for root in roots):
        return f"expected a path under {where}"
    return None


def resolved_in_dirs(value: str, roots: tuple[str, ...], what: str) -> str:
    """Return the real path of `value` when it (and where its links lead) stays in `roots`."""
    problem = path_in_dirs_problem(value, roots)
    if problem:
        raise DokkuError(f"Invalid {what} {value!r}: {problem}")
    import os.path

    real = os.path.realpath(value)
    real_roots = [os.path.realpath(root) for root in roots]
    if not any(real.startswith(root.rstrip("/") + "/") for root in real_roots):
        raise DokkuError(f"Invalid {what} {value!r}: it leads outside {', '.join(roots)}")
    return real
