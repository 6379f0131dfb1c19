"""Services and their links in the state store; service directories and the password file.

`services` rows describe how to (re)create a service's container; `service_links` rows
have an `app` column, so renaming or destroying an app moves or drops its links.
Service settings stay out of the `properties` table on purpose: its `app` column would
tie a service's settings to an app of the same name.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from pydokku import paths, state, vault
from pydokku.errors import DokkuError
from pydokku.services.spec import ServiceType

PASSWORD_FILE = "PASSWORD"  # noqa: S105 (a file name, not a secret)
# Columns a caller may change with `update`.
FIELDS = (
    "image",
    "version",
    "image_source",
    "config_options",
    "memory_mb",
    "exposed",
    "backup_schedule",
    "backup_dir",
    "backup_retention",
    "initial_network",
    "post_create_network",
    "post_start_network",
    "custom_env",
    "shm_size",
)


class Service:
    """One service's stored settings."""

    def __init__(self, stype: ServiceType, row: sqlite3.Row) -> None:
        self.stype = stype
        self.name: str = row["name"]
        self.image: str = row["image"]
        self.version: str = row["version"]
        self.image_source: str = row["image_source"]
        self.config_options: str = row["config_options"]
        self.memory_mb: int = int(row["memory_mb"])
        self.exposed: str = row["exposed"]
        self.created_at: str = row["created_at"]
        self.backup_schedule: str = row["backup_schedule"]
        self.backup_dir: str = row["backup_dir"]
        self.backup_retention: int = int(row["backup_retention"])
        self.initial_network: str = row["initial_network"]
        self.post_create_network: str = row["post_create_network"]
        self.post_start_network: str = row["post_start_network"]
        self.custom_env: str = row["custom_env"]  # JSON of sealed values (services.admin)
        self.shm_size: str = row["shm_size"]

    @property
    def root(self) -> Path:
        """The service's directory under the lib root."""
        return service_root(self.stype, self.name)


def services_root(stype: ServiceType) -> Path:
    """Return `$DOKKU_LIB_ROOT/services/<type>`."""
    return paths.lib_root() / "services" / stype.name


def service_root(stype: ServiceType, name: str) -> Path:
    """Return `$DOKKU_LIB_ROOT/services/<type>/<name>` (name validated by the caller)."""
    return services_root(stype) / name


def data_dir(stype: ServiceType, name: str) -> Path:
    """Return the host directory holding the service's data (bind-mounted)."""
    return service_root(stype, name) / "data"


def config_dir(stype: ServiceType, name: str) -> Path:
    """Return the host directory holding generated config files (mounted read-only)."""
    return service_root(stype, name) / "config"


def not_found(stype: ServiceType, name: str) -> DokkuError:
    """Return the error for a service that does not exist."""
    return DokkuError(f"{stype.title} service {name} does not exist")


def get(stype: ServiceType, name: str) -> Service:
    """Return a stored service, or raise when there is none of that name."""
    rows = state.query("SELECT * FROM services WHERE type = ? AND name = ?", (stype.name, name))
    if not rows:
        raise not_found(stype, name)
    return Service(stype, rows[0])


def exists(stype: ServiceType, name: str) -> bool:
    """Tell whether a service of that name exists."""
    sql = "SELECT 1 FROM services WHERE type = ? AND name = ?"
    return bool(state.query(sql, (stype.name, name)))


def names(stype: ServiceType) -> list[str]:
    """Return the names of every service of a type, sorted."""
    rows = state.query("SELECT name FROM services WHERE type = ? ORDER BY name", (stype.name,))
    return [row["name"] for row in rows]


def reserve(stype: ServiceType, name: str, image: str, version: str, **fields: object) -> None:
    """Store a new service row, or raise if the name is taken (atomic across processes)."""
    columns = {"image": image, "version": version, **fields}
    unknown = set(columns) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown service fields: {sorted(unknown)}")
    names_sql = ", ".join(columns)
    marks = ", ".join("?" for _ in columns)
    with state.transaction() as conn:
        taken = conn.execute(
            "SELECT 1 FROM services WHERE type = ? AND name = ?", (stype.name, name)
        ).fetchone()
        if taken:
            raise DokkuError(f"{stype.title} service {name} already exists")
        conn.execute(
            f"INSERT INTO services (type, name, created_at, {names_sql}) "  # noqa: S608
            f"VALUES (?, ?, ?, {marks})",
            (stype.name, name, state.now(), *columns.values()),
        )
        state.record_event(conn, name, f"{stype.name}:create", image)


def update(stype: ServiceType, name: str, **fields: object) -> None:
    """Change stored settings of a service."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown service fields: {sorted(unknown)}")
    assignments = ", ".join(f"{key} = ?" for key in fields)
    with state.transaction() as conn:
        conn.execute(
            f"UPDATE services SET {assignments} WHERE type = ? AND name = ?",  # noqa: S608
            (*fields.values(), stype.name, name),
        )


def delete(stype: ServiceType, name: str, action: str = "destroy") -> None:
    """Remove a service row and its links."""
    with state.transaction() as conn:
        conn.execute("DELETE FROM services WHERE type = ? AND name = ?", (stype.name, name))
        conn.execute("DELETE FROM service_links WHERE type = ? AND service = ?", (stype.name, name))
        state.record_event(conn, name, f"{stype.name}:{action}")


def write_password(stype: ServiceType, name: str, password: str) -> None:
    """Store the password, sealed, in the service dir, readable by its owner only."""
    path = service_root(stype, name) / PASSWORD_FILE
    tmp = path.with_name(f".{PASSWORD_FILE}.tmp")
    with state.transaction() as conn:  # seals under the key in force, even mid-rotation
        sealed = vault.seal(conn, password)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(sealed + "\n")
    os.replace(tmp, path)


def read_password(stype: ServiceType, name: str) -> str:
    """Return the service's password."""
    path = service_root(stype, name) / PASSWORD_FILE
    try:
        return vault.unseal(path.read_text(encoding="utf-8").strip())
    except OSError as exc:
        raise DokkuError(f"Cannot read the password of {stype.name} service {name}: {exc}") from exc


# --- links -------------------------------------------------------------------------------


class Link:
    """An app linked to a service through one config var."""

    def __init__(self, row: sqlite3.Row) -> None:
        self.service: str = row["service"]
        self.app: str = row["app"]
        self.var: str = row["var"]


def links_of(stype: ServiceType, name: str) -> list[Link]:
    """Return the links of a service, by app name."""
    rows = state.query(
        "SELECT * FROM service_links WHERE type = ? AND service = ? ORDER BY app",
        (stype.name, name),
    )
    return [Link(row) for row in rows]


def app_links(stype: ServiceType, app: str) -> list[Link]:
    """Return the links of an app to services of a type, by service name."""
    rows = state.query(
        "SELECT * FROM service_links WHERE type = ? AND app = ? ORDER BY service",
        (stype.name, app),
    )
    return [Link(row) for row in rows]


def find_link(stype: ServiceType, name: str, app: str) -> Link | None:
    """Return the link between a service and an app, or None."""
    rows = state.query(
        "SELECT * FROM service_links WHERE type = ? AND service = ? AND app = ?",
        (stype.name, name, app),
    )
    return Link(rows[0]) if rows else None


def save_link(stype: ServiceType, name: str, app: str, var: str) -> None:
    """Record (or re-point) the link between a service and an app."""
    with state.transaction() as conn:
        conn.execute(
            "INSERT INTO service_links (type, service, app, var, created_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (type, service, app) DO UPDATE SET var = "
            "excluded.var",
            (stype.name, name, app, var, state.now()),
        )
        state.record_event(conn, app, f"{stype.name}:link", f"{name} as {var}")


def remove_link(stype: ServiceType, name: str, app: str) -> None:
    """Forget the link between a service and an app."""
    with state.transaction() as conn:
        conn.execute(
            "DELETE FROM service_links WHERE type = ? AND service = ? AND app = ?",
            (stype.name, name, app),
        )
        state.record_event(conn, app, f"{stype.name}:unlink", name)


def copy_links(stype: ServiceType, old_app: str, new_app: str) -> None:
    """Give a cloned app the links of the app it was cloned from."""
    with state.transaction() as conn:
        conn.execute(
            "INSERT OR IGNORE INTO service_links (type, service, app, var, created_at) "
            "SELECT type, service, ?, var, ? FROM service_links WHERE type = ? AND app = ?",
            (new_app, state.now(), stype.name, old_app),
        )
