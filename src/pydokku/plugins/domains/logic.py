"""The domains (vhosts) of apps and of `--global`, stored in the `domains` table.

An app's default vhosts are `APP.<global domain>` for each global domain, added
when the app is created; an app whose name is itself a domain (it has a dot)
gets its own name instead. With vhosts disabled the proxy listens on the app's
port without a `server_name`. The global domains live in `$DOKKU_ROOT/VHOST` too, as
in Dokku, and that file wins when edited by hand (`hostfiles`).
"""

from __future__ import annotations

import sqlite3

from pydokku import properties, state
from pydokku.plugins.domains import hostfiles
from pydokku.plugins.domains.names import domain_problem, is_ipv4, normalize_domains
from pydokku.plugins.manager import hook
from pydokku.validation import GLOBAL_SCOPE

PLUGIN = "domains"


def check_app(app: str) -> str:
    """Return `app` if it names an existing app, else raise."""
    from pydokku.plugins.apps.logic import require_app

    return require_app(app)


def stored_domains(scope: str) -> list[str]:
    """Return the domains of an app (or `--global`: VHOST first), in the order they were added."""
    if scope == GLOBAL_SCOPE and (from_files := hostfiles.global_from_files()) is not None:
        return from_files
    rows = state.query("SELECT domain FROM domains WHERE app = ? ORDER BY rowid", (scope,))
    return [row["domain"] for row in rows]


def global_domains() -> list[str]:
    """Return the global domains."""
    return stored_domains(GLOBAL_SCOPE)


def vhost_enabled(app: str) -> bool:
    """Tell whether the app is served by name (its domains) rather than by port only."""
    return properties.get(PLUGIN, app, "vhost-enabled") != "false"


def app_vhosts(app: str) -> list[str]:
    """Return the names the proxy serves the app under (empty when vhosts are disabled)."""
    return stored_domains(app) if vhost_enabled(app) else []


def default_domains(app: str) -> list[str]:
    """Return an app's default domains: its own name if it is a domain, else `APP.<global>`."""
    if "." in app:
        return [app] if domain_problem(app) is None else []
    derived = [f"{app}.{domain}" for domain in global_domains() if not is_ipv4(domain)]
    return [d for d in derived if domain_problem(d) is None]


def add_domains(scope: str, domains: list[str]) -> list[str]:
    """Add domains to an app (or `--global`); return those that were new."""
    wanted = normalize_domains(domains)
    _check_scope(scope)
    with state.transaction() as conn:
        _adopt_host_files(conn, scope)
        added = [
            domain
            for domain in wanted
            if conn.execute(
                "INSERT OR IGNORE INTO domains (app, domain) VALUES (?, ?)", (scope, domain)
            ).rowcount
        ]
        state.record_event(conn, scope, _action(scope, "add"), " ".join(added))
        _write_host_files(conn, scope)
    _notify(scope, "add", added)
    return added


def remove_domains(scope: str, domains: list[str]) -> list[str]:
    """Remove domains from an app (or `--global`); return those that were there."""
    wanted = normalize_domains(domains)
    _check_scope(scope)
    with state.transaction() as conn:
        _adopt_host_files(conn, scope)
        removed = [
            domain
            for domain in wanted
            if conn.execute(
                "DELETE FROM domains WHERE app = ? AND domain = ?", (scope, domain)
            ).rowcount
        ]
        state.record_event(conn, scope, _action(scope, "remove"), " ".join(removed))
        _write_host_files(conn, scope)
    _notify(scope, "remove", removed)
    return removed


def set_domains(scope: str, domains: list[str]) -> list[str]:
    """Replace the domains of an app (or `--global`) with `domains`, in that order."""
    wanted = normalize_domains(domains)
    _check_scope(scope)
    _replace(scope, wanted, _action(scope, "set"))
    _notify(scope, "set", wanted)
    return wanted


def clear_domains(scope: str) -> list[str]:
    """Remove every domain of an app (or `--global`); return the removed ones."""
    _check_scope(scope)
    removed = stored_domains(scope)
    _replace(scope, [], _action(scope, "clear"))
    _notify(scope, "clear", removed)
    return removed


def reset_domains(app: str) -> list[str]:
    """Replace an app's domains with its defaults (derived from the global domains)."""
    check_app(app)
    defaults = default_domains(app)
    _replace(app, defaults, "domains:reset")
    _notify(app, "reset", defaults)
    return defaults


def setup_defaults(app: str) -> list[str]:
    """Give a new app its default domains (unless it already has some)."""
    defaults = default_domains(app)
    if stored_domains(app) or not defaults:
        return []
    return add_domains(app, defaults)


def set_vhost_enabled(app: str, enabled: bool) -> None:
    """Turn name-based serving on or off for an app (enabling restores default domains)."""
    check_app(app)
    with state.transaction() as conn:
        properties.store(conn, PLUGIN, app, "vhost-enabled", "true" if enabled else "false")
    if enabled and not stored_domains(app):
        _replace(app, default_domains(app), "domains:setup")
    _notify(app, "enable" if enabled else "disable", stored_domains(app))


def rename_defaults(old_app: str, new_app: str) -> None:
    """Swap an app's default domains derived from its old name for the new name's."""
    old = set(_defaults_for_name(old_app))
    current = stored_domains(new_app)
    if not old.intersection(current):
        return
    kept = [d for d in current if d not in old]
    _replace(new_app, [*default_domains(new_app), *kept], "domains:rename")
    _notify(new_app, "rename", stored_domains(new_app))


def apps_using(domain: str, except_app: str) -> list[str]:
    """Return the other apps that already answer to `domain`."""
    rows = state.query(
        "SELECT app FROM domains WHERE domain = ? AND app NOT IN (?, ?) ORDER BY app",
        (domain, except_app, GLOBAL_SCOPE),
    )
    return [row["app"] for row in rows]


def report_rows(scope: str) -> list[tuple[str, str]]:
    """Return the `domains:report` rows of an app (or just the global ones)."""
    glob = global_domains()
    rows = [("global-enabled", _bool(bool(glob))), ("global-vhosts", " ".join(glob))]
    if scope == GLOBAL_SCOPE:
        return rows
    app_rows = [("app-enabled", _bool(vhost_enabled(scope))), ("app-vhosts", _joined(scope))]
    return app_rows + rows


def _joined(app: str) -> str:
    return " ".join(stored_domains(app))


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _defaults_for_name(app: str) -> list[str]:
    if "." in app:
        return [app]
    return [f"{app}.{domain}" for domain in global_domains()]


def _replace(scope: str, domains: list[str], action: str) -> None:
    with state.transaction() as conn:
        conn.execute("DELETE FROM domains WHERE app = ?", (scope,))
        conn.executemany(
            "INSERT OR IGNORE INTO domains (app, domain) VALUES (?, ?)",
            [(scope, d) for d in domains],
        )
        state.record_event(conn, scope, action, " ".join(domains))
        _write_host_files(conn, scope, hostname=action == "domains:set-global")


def _adopt_host_files(conn: sqlite3.Connection, scope: str) -> None:
    """Before changing the global domains, take VHOST's as they are (edited by hand)."""
    from_files = hostfiles.global_from_files() if scope == GLOBAL_SCOPE else None
    if from_files is None:
        return
    conn.execute("DELETE FROM domains WHERE app = ?", (scope,))
    conn.executemany(
        "INSERT OR IGNORE INTO domains (app, domain) VALUES (?, ?)",
        [(scope, d) for d in from_files],
    )


def _write_host_files(conn: sqlite3.Connection, scope: str, *, hostname: bool = False) -> None:
    """After changing the global domains, write VHOST (in the transaction: all or nothing)."""
    if scope != GLOBAL_SCOPE:
        return
    rows = conn.execute("SELECT domain FROM domains WHERE app = ? ORDER BY rowid", (scope,))
    hostfiles.write_global([row["domain"] for row in rows], hostname=hostname)


def _check_scope(scope: str) -> None:
    if scope != GLOBAL_SCOPE:
        check_app(scope)


def _action(scope: str, verb: str) -> str:
    return f"domains:{verb}-global" if scope == GLOBAL_SCOPE else f"domains:{verb}"


def _notify(scope: str, action: str, domains: list[str]) -> None:
    hook().post_domains_update(app=scope, action=action, domains=domains)
