"""Access lists of apps and services, and the super users (as the dokku-acl plugin).

A grant names an SSH key name (the `NAME` of `ssh-keys:add`). Grants live in the state
store: `acl_apps` (its `app` column makes apps:destroy drop and apps:rename move them)
and `acl_services` (a trigger drops a service's grants when the service goes).
"""

from __future__ import annotations

import os

from pydokku import properties, state
from pydokku.errors import DokkuError

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from pydokku.services.spec import ServiceType

PLUGIN = "acl"
SUPER_USER_KEY = "super-user"
SUPER_USER_ENV = "DOKKU_SUPER_USER"
GLOBAL = "--global"
TYPE_MAX = 32  # characters of a bad type name echoed back


def validate_user(user: str) -> str:
    """Return `user` if it can be an SSH key name, else raise."""
    from pydokku.plugins.ssh_keys.keys import validate_name

    if not user:
        raise DokkuError("Please specify a user name")
    return validate_name(user)


def super_user_problem(value: str) -> str | None:
    """Property validator for `super-user`: key names separated by spaces."""
    for word in value.split():
        try:
            validate_user(word)
        except DokkuError as exc:
            return exc.message
    return None if value.split() else "expected one or more key names"


def super_users() -> set[str]:
    """Return the super users: the `super-user` property and `$DOKKU_SUPER_USER`."""
    stored = properties.get(PLUGIN, GLOBAL, SUPER_USER_KEY) or ""
    return set(stored.split()) | set(os.environ.get(SUPER_USER_ENV, "").split())


def in_use() -> bool:
    """Tell whether access control applies: a super user is set or any grant exists."""
    if super_users():
        return True
    rows = state.query(
        "SELECT EXISTS (SELECT 1 FROM acl_apps) OR EXISTS (SELECT 1 FROM acl_services)"
    )
    return bool(rows[0][0])


def app_users(app: str) -> list[str]:
    """Return the users granted access to an app, sorted."""
    rows = state.query("SELECT user FROM acl_apps WHERE app = ? ORDER BY user", (app,))
    return [row["user"] for row in rows]


def all_app_users() -> dict[str, list[str]]:
    """Return every app's users (apps without grants included, with none)."""
    from pydokku.plugins.apps.logic import list_apps

    found: dict[str, list[str]] = {app: [] for app in list_apps()}
    for row in state.query("SELECT app, user FROM acl_apps ORDER BY app, user"):
        found.setdefault(row["app"], []).append(row["user"])
    return found


def add_app_user(app: str, user: str) -> None:
    """Grant `user` access to `app`; an existing grant is an error (exit code 2)."""
    require_app(app)
    validate_user(user)
    with state.transaction() as conn:
        sql = "SELECT 1 FROM acl_apps WHERE app = ? AND user = ?"
        if conn.execute(sql, (app, user)).fetchone():
            raise DokkuError("User already has permissions to push to this repository", 2)
        conn.execute("INSERT INTO acl_apps (app, user) VALUES (?, ?)", (app, user))
        state.record_event(conn, app, "acl:add", user)


def remove_app_user(app: str, user: str) -> None:
    """Revoke `user`'s access to `app` (nothing to revoke is not an error)."""
    require_app(app)
    validate_user(user)
    with state.transaction() as conn:
        gone = conn.execute("DELETE FROM acl_apps WHERE app = ? AND user = ?", (app, user))
        if gone.rowcount:
            state.record_event(conn, app, "acl:remove", user)


def allowed_apps(user: str) -> list[str]:
    """Return the apps `user` is granted (every app for a super user)."""
    from pydokku.plugins.apps.logic import list_apps

    validate_user(user)
    if user in super_users():
        return list_apps()
    rows = state.query("SELECT app FROM acl_apps WHERE user = ? ORDER BY app", (user,))
    return [row["app"] for row in rows]


def copy_app_users(old: str, new: str) -> None:
    """Give a cloned app the grants of the app it was cloned from."""
    with state.transaction() as conn:
        conn.execute(
            "INSERT OR IGNORE INTO acl_apps (app, user) SELECT ?, user FROM acl_apps WHERE app = ?",
            (new, old),
        )


def service_type(name: str) -> ServiceType:
    """Return the service type called `name` (postgres, redis, ...), or raise."""
    import importlib
    import re

    from pydokku.plugins import owner_of
    from pydokku.services.spec import ServiceType

    if not name:
        raise DokkuError("No service type specified")
    plugin = owner_of(name) if re.fullmatch(r"[a-z][a-z0-9-]{0,31}", name) else None
    module = importlib.import_module(f"pydokku.plugins.{plugin}") if plugin else None
    found = getattr(module, "SERVICE", None)
    if not isinstance(found, ServiceType):
        raise DokkuError(f"{name[:TYPE_MAX]!r} service plugin not detected")
    return found


def require_service(type_name: str, service: str) -> ServiceType:
    """Return the service's type if a service of that type and name exists, else raise."""
    from pydokku.services import store

    stype = service_type(type_name)
    if not service or not store.exists(stype, service):
        raise DokkuError(f"Service {service[:64]} of type {type_name} does not exist")
    return stype


def service_users(type_name: str, service: str) -> list[str]:
    """Return the users granted access to a service, sorted."""
    rows = state.query(
        "SELECT user FROM acl_services WHERE type = ? AND service = ? ORDER BY user",
        (type_name, service),
    )
    return [row["user"] for row in rows]


def add_service_user(type_name: str, service: str, user: str) -> None:
    """Grant `user` access to a service; an existing grant is an error (exit code 2)."""
    require_service(type_name, service)
    validate_user(user)
    key = (type_name, service, user)
    with state.transaction() as conn:
        if conn.execute(
            "SELECT 1 FROM acl_services WHERE type = ? AND service = ? AND user = ?", key
        ).fetchone():
            raise DokkuError("User already has permissions to this service", 2)
        conn.execute("INSERT INTO acl_services (type, service, user) VALUES (?, ?, ?)", key)
        state.record_event(conn, service, "acl:add-service", f"{type_name} {user}")


def remove_service_user(type_name: str, service: str, user: str) -> None:
    """Revoke `user`'s access to a service (nothing to revoke is not an error)."""
    require_service(type_name, service)
    validate_user(user)
    key = (type_name, service, user)
    with state.transaction() as conn:
        gone = conn.execute(
            "DELETE FROM acl_services WHERE type = ? AND service = ? AND user = ?", key
        )
        if gone.rowcount:
            state.record_event(conn, service, "acl:remove-service", f"{type_name} {user}")


def allowed_services(type_name: str, user: str) -> list[str]:
    """Return the services of a type `user` is granted (all of them for a super user)."""
    from pydokku.services import store

    stype = service_type(type_name)
    validate_user(user)
    if user in super_users():
        return store.names(stype)
    rows = state.query(
        "SELECT service FROM acl_services WHERE type = ? AND user = ? ORDER BY service",
        (type_name, user),
    )
    return [row["service"] for row in rows]


def require_app(app: str) -> None:
    """Raise unless `app` is a valid name of an existing app."""
    from pydokku.plugins.apps import logic as apps

    apps.require_app(app)
