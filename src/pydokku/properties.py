"""The property store behind every `NS:set APP|--global KEY [VALUE]` command.

A value resolves app -> global -> the plugin's built-in default. Each plugin
declares its properties once as `PropertySpec`s; the `:set` command and the
`:report` rows are derived from that declaration.
"""

from __future__ import annotations

from pydokku import state
from pydokku.errors import DokkuError
from pydokku.validation import GLOBAL_SCOPE

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable


class PropertySpec:
    """One settable property of a plugin; `validate` returns a problem, or None."""

    def __init__(
        self,
        key: str,
        default: str = "",
        validate: Callable[[str], str | None] | None = None,
        *,
        global_only: bool = False,
        app_only: bool = False,
        computed_row: bool = True,
    ) -> None:
        self.key = key
        self.default = default
        self.validate = validate
        self.global_only = global_only
        self.app_only = app_only
        self.computed_row = computed_row  # False: the report shows only the raw value


def get(plugin: str, scope: str, key: str, conn: sqlite3.Connection | None = None) -> str | None:
    """Return the raw value stored for `scope` (an app or `--global`), or None."""
    row = (
        (conn or state.connection())
        .execute(
            "SELECT value FROM properties WHERE plugin = ? AND app = ? AND key = ?",
            (plugin, scope, key),
        )
        .fetchone()
    )
    return None if row is None else str(row[0])


def resolve(plugin: str, app: str | None, key: str, default: str = "") -> str:
    """Return the effective value: the app's, else the global one, else `default`."""
    rows = state.query(
        "SELECT app, value FROM properties WHERE plugin = ? AND key = ? AND app IN (?, ?)",
        (plugin, key, app or GLOBAL_SCOPE, GLOBAL_SCOPE),
    )
    found = {row["app"]: row["value"] for row in rows}
    if app and app in found:
        return str(found[app])
    return str(found.get(GLOBAL_SCOPE, default))


def all_for(plugin: str, scope: str) -> dict[str, str]:
    """Return every raw value a scope has for a plugin."""
    rows = state.query(
        "SELECT key, value FROM properties WHERE plugin = ? AND app = ?", (plugin, scope)
    )
    return {row["key"]: row["value"] for row in rows}


def store(conn: sqlite3.Connection, plugin: str, scope: str, key: str, value: str | None) -> None:
    """Set (or with None/empty, unset) a value inside the caller's transaction."""
    if value is None or value == "":
        conn.execute(
            "DELETE FROM properties WHERE plugin = ? AND app = ? AND key = ?", (plugin, scope, key)
        )
        state.record_event(conn, scope, f"{plugin}:set", f"{key} unset")
    else:
        conn.execute(
            "INSERT INTO properties (plugin, app, key, value) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (plugin, app, key) DO UPDATE SET value = excluded.value",
            (plugin, scope, key, value),
        )
        state.record_event(conn, scope, f"{plugin}:set", f"{key}={value}")


def set_value(specs: list[PropertySpec], plugin: str, scope: str, key: str, value: str) -> None:
    """Validate and store a property from `NS:set`; an empty value unsets it."""
    spec = next((s for s in specs if s.key == key), None)
    if spec is None:
        valid = ", ".join(s.key for s in specs)
        raise DokkuError(f"Invalid property {key!r} for {plugin}; valid properties: {valid}")
    if spec.global_only and scope != GLOBAL_SCOPE:
        raise DokkuError(f"Property {key!r} can only be set with --global")
    if spec.app_only and scope == GLOBAL_SCOPE:
        raise DokkuError(f"Property {key!r} cannot be set with --global")
    if value and spec.validate:
        problem = spec.validate(value)
        if problem:
            raise DokkuError(f"Invalid value for {key}: {problem}")
    with state.transaction() as conn:
        store(conn, plugin, scope, key, value)


def report_rows(specs: list[PropertySpec], plugin: str, app: str) -> list[tuple[str, str]]:
    """Return `key`, `global-key` and `computed-key` rows for every property of an app.

    For `--global`, as in Dokku, only the global and computed rows of the properties a
    global value exists for.
    """
    scope_is_global = app == GLOBAL_SCOPE
    app_values = {} if scope_is_global else all_for(plugin, app)
    global_values = all_for(plugin, GLOBAL_SCOPE)
    rows: list[tuple[str, str]] = []
    for spec in specs:
        if scope_is_global and spec.app_only:
            continue
        raw = app_values.get(spec.key, "")
        glob = global_values.get(spec.key, "")
        if not spec.global_only and not scope_is_global:
            rows.append((spec.key, raw))
        if not spec.app_only:
            rows.append((f"global-{spec.key}", glob))
        if spec.computed_row:
            rows.append((f"computed-{spec.key}", raw or glob or spec.default))
    return rows


def validate_bool(value: str) -> str | None:
    """Property validator: accept true or false."""
    return None if value in ("true", "false") else "expected true or false"


def validate_positive_int(value: str) -> str | None:
    """Property validator: accept a whole number of 0 or more."""
    # isascii: str.isdigit() also accepts digits such as "²" that int() refuses.
    return None if value.isascii() and value.isdigit() else "expected a whole number"
