"""Config vars of apps and of `--global`; global vars merge under an app's own."""

from __future__ import annotations

import binascii

from pydokku import state, vault
from pydokku.errors import DokkuError
from pydokku.plugins.manager import hook
from pydokku.validation import GLOBAL_SCOPE, validate_env_key


def check_scope(scope: str) -> str:
    """Return `scope` if it is `--global` or an existing app, else raise."""
    if scope != GLOBAL_SCOPE:
        from pydokku.plugins.apps.logic import require_app

        require_app(scope)
    return scope


def get_env(scope: str) -> dict[str, str]:
    """Return the vars set on an app (or `--global`) itself, sorted by key."""
    rows = state.query("SELECT key, value FROM config WHERE app = ? ORDER BY key", (scope,))
    return {row["key"]: vault.unseal(row["value"]) for row in rows}


def get_keys(scope: str, merged: bool = False) -> list[str]:
    """Return the names of an app's vars (with `merged`, the global ones too), no values."""
    other = GLOBAL_SCOPE if merged else scope
    rows = state.query(
        "SELECT DISTINCT key FROM config WHERE app IN (?, ?) ORDER BY key", (scope, other)
    )
    return [row["key"] for row in rows]


def merged_env(app: str) -> dict[str, str]:
    """Return global vars overridden by the app's own, sorted by key."""
    env = get_env(GLOBAL_SCOPE)
    if app != GLOBAL_SCOPE:
        env.update(get_env(app))
    return dict(sorted(env.items()))


def env_for(scope: str, merged: bool) -> dict[str, str]:
    """Return the app's own vars, or with `merged` the global ones under them."""
    return merged_env(scope) if merged else get_env(scope)


def parse_pairs(pairs: list[str], encoded: bool = False) -> dict[str, str]:
    """Turn `KEY=VALUE` arguments into a map (values base64 when `encoded`)."""
    env: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise DokkuError(f"Invalid env pair {pair!r}: expected KEY=VALUE")
        validate_env_key(key)
        env[key] = _decode(key, value) if encoded else value
    return env


def _decode(key: str, value: str) -> str:
    try:
        import base64

        return base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise DokkuError(f"Value of {key} is not valid base64 UTF-8 text") from exc


def set_vars(
    scope: str, env: dict[str, str], *, restart: bool = True, replace: bool = False
) -> None:
    """Store vars in one transaction; with `replace`, vars not given are removed."""
    check_scope(scope)
    for key, value in env.items():
        validate_env_key(key)
        if "\0" in value:
            # The kernel cannot pass a NUL byte in an environment variable.
            raise DokkuError(f"The value of {key} holds a NUL byte: no process can receive it")
    saved = _stored_rows(scope)
    with state.transaction() as conn:
        if replace:
            conn.execute("DELETE FROM config WHERE app = ?", (scope,))
        conn.executemany(
            "INSERT INTO config (app, key, value) VALUES (?, ?, ?) "
            "ON CONFLICT (app, key) DO UPDATE SET value = excluded.value",
            [(scope, k, vault.seal(conn, v)) for k, v in env.items()],
        )
        state.record_event(conn, scope, "config:set", " ".join(sorted(env)))
    _notify(scope, "set", sorted(env), restart, saved)


def unset_vars(scope: str, keys: list[str], *, restart: bool = True) -> list[str]:
    """Remove vars; return the keys that were set."""
    check_scope(scope)
    for key in keys:
        validate_env_key(key)
    saved = _stored_rows(scope)
    with state.transaction() as conn:
        removed = [
            key
            for key in keys
            if conn.execute("DELETE FROM config WHERE app = ? AND key = ?", (scope, key)).rowcount
        ]
        if removed:
            state.record_event(conn, scope, "config:unset", " ".join(removed))
    if removed:
        _notify(scope, "unset", removed, restart, saved)
    return removed


def clear_vars(scope: str, *, restart: bool = True) -> list[str]:
    """Remove every var of an app (or `--global`); return the removed keys."""
    check_scope(scope)
    saved = _stored_rows(scope)
    with state.transaction() as conn:
        keys = [r[0] for r in conn.execute("SELECT key FROM config WHERE app = ?", (scope,))]
        conn.execute("DELETE FROM config WHERE app = ?", (scope,))
        state.record_event(conn, scope, "config:clear", " ".join(keys))
    _notify(scope, "clear", keys, restart, saved)
    return keys


def _stored_rows(scope: str) -> list[tuple[str, str]]:
    """Return the scope's (key, sealed value) rows, to put back if the restart fails."""
    rows = state.query("SELECT key, value FROM config WHERE app = ?", (scope,))
    return [(row["key"], row["value"]) for row in rows]


def _notify(
    scope: str, action: str, keys: list[str], restart: bool, saved: list[tuple[str, str]]
) -> None:
    """Run post-config-update; if the restart it triggers fails, undo the config change.

    The old release keeps serving with the old values, so the stored config goes back
    to match it: a later push then does not crash on a change nobody saw take effect.
    """
    try:
        # Global changes reach apps at their next deploy, as in Dokku.
        hook().post_config_update(
            app=scope, action=action, keys=keys, restart=restart and scope != GLOBAL_SCOPE
        )
    except DokkuError as exc:
        with state.transaction() as conn:
            conn.execute("DELETE FROM config WHERE app = ?", (scope,))
            conn.executemany(
                "INSERT INTO config (app, key, value) VALUES (?, ?, ?)",
                [(scope, key, value) for key, value in saved],
            )
            state.record_event(conn, scope, f"config:{action}", "undone: the restart failed")
        undone = DokkuError(
            f"{exc.message}\nThe config change was undone: {scope} keeps the config it runs "
            f"with. Fix the cause, or use --no-restart to store the change without restarting",
            exc.exit_code,
        )
        undone.log_lines = exc.log_lines
        raise undone from None
