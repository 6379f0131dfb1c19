"""App lifecycle: the rows in the store, the app directory, and the hooks around them."""

from __future__ import annotations

import sqlite3

from pydokku import output, paths, properties, state
from pydokku.errors import AppNotFoundError, DokkuError
from pydokku.plugins.manager import hook
from pydokku.validation import validate_app_name

PLUGIN = "apps"
# Tables whose rows a clone copies; other plugins copy theirs in `post_app_clone_setup`.
CLONED_TABLES = ("config", "properties")
# Properties that describe the running app rather than its settings stay behind.
RUNTIME_PROPERTIES = (
    ("scheduler-docker-local", "active-release"),
    ("ps", "stopped"),
    ("apps", "deploy-source"),
    ("apps", "deploy-source-metadata"),
)


def list_apps() -> list[str]:
    """Return every app name, sorted."""
    return [row["name"] for row in state.query("SELECT name FROM apps ORDER BY name")]


def app_exists(app: str) -> bool:
    """Tell whether an app of that (valid) name exists."""
    return bool(state.query("SELECT 1 FROM apps WHERE name = ?", (app,)))


def require_app(app: str) -> str:
    """Return `app` if it is a valid name of an existing app, else raise."""
    validate_app_name(app)
    if not app_exists(app):
        raise AppNotFoundError(app)
    return app


def app_info(app: str) -> dict[str, str]:
    """Return the stored fields of an existing app."""
    row = state.query("SELECT created_at, locked FROM apps WHERE name = ?", (require_app(app),))[0]
    return {"created-at": row["created_at"], "locked": "true" if row["locked"] else "false"}


def autocreation_disabled() -> bool:
    """Tell whether `apps:set --global disable-autocreation true` is in force."""
    return properties.resolve(PLUGIN, None, "disable-autocreation", "false") == "true"


def create_app(app: str) -> None:
    """Create an app: its row, its directory, then the `post_create` hook."""
    validate_app_name(app)
    with state.transaction() as conn:
        if conn.execute("SELECT 1 FROM apps WHERE name = ?", (app,)).fetchone():
            raise DokkuError(f"Name is already taken: {app}")
        conn.execute("INSERT INTO apps (name, created_at) VALUES (?, ?)", (app, state.now()))
        state.record_event(conn, app, "apps:create")
    paths.app_dir(app).mkdir(parents=True, exist_ok=True)
    hook().post_create(app=app)


def destroy_app(app: str) -> None:
    """Destroy an app: plugins clean up (`pre_delete`), then its state and directory go."""
    require_app(app)
    hook().pre_delete(app=app)
    with state.transaction() as conn:
        for table in state.app_tables(conn):
            conn.execute(f"DELETE FROM {table} WHERE app = ?", (app,))  # noqa: S608
        conn.execute("DELETE FROM apps WHERE name = ?", (app,))
        state.record_event(conn, app, "apps:destroy")
    import shutil

    shutil.rmtree(paths.app_dir(app), ignore_errors=True)
    hook().post_delete(app=app)


def rename_app(old: str, new: str) -> None:
    """Rename an app in every per-app table and move its directory: all or nothing.

    A deployed app needs the Docker engine (its containers and images move too), so an
    unreachable engine refuses the rename before anything changes; a hook that fails
    later puts the records, the directory and the hooks' work back under the old name.
    """
    require_app(old)
    validate_app_name(new)
    _refuse_taken(new)
    if _has_images(old):
        from pydokku import engine
        from pydokku.plugins.deploy.lock import end_watch

        engine.ping()
        end_watch(old)  # a background watcher knows the containers by their old names
    _rename_records(old, new, "apps:rename", f"from {old}")
    _move_dir(old, new)
    try:
        hook().post_app_rename(old_app=old, new_app=new)
    except BaseException:
        _move_dir(new, old)
        _rename_records(new, old, "apps:rename", f"failed; {new} renamed back to {old}")
        try:
            hook().post_app_rename(old_app=new, new_app=old)
        except Exception as exc:  # the first error is the one to report
            output.warn(f"Putting {old} back after the failed rename: {exc}")
        raise


def _refuse_taken(new: str) -> None:
    if state.query("SELECT 1 FROM apps WHERE name = ?", (new,)):
        raise DokkuError(f"Name is already taken: {new}")
    if paths.app_dir(new).exists():
        # A leftover directory: moving into it would nest the app's directory inside.
        raise DokkuError(f"Cannot rename to {new}: {paths.app_dir(new)} already exists")


def _has_images(app: str) -> bool:
    return bool(state.query("SELECT 1 FROM releases WHERE app = ? AND image != '' LIMIT 1", (app,)))


def _rename_records(old: str, new: str, action: str, detail: str) -> None:
    with state.transaction() as conn:
        if conn.execute("SELECT 1 FROM apps WHERE name = ?", (new,)).fetchone():
            raise DokkuError(f"Name is already taken: {new}")
        conn.execute("UPDATE apps SET name = ? WHERE name = ?", (new, old))
        for table in state.app_tables(conn):
            conn.execute(f"UPDATE {table} SET app = ? WHERE app = ?", (new, old))  # noqa: S608
        state.record_event(conn, new, action, detail)


def clone_app(old: str, new: str) -> None:
    """Create `new` as a copy of `old`: config, settings and the git repo."""
    require_app(old)
    validate_app_name(new)
    with state.transaction() as conn:
        if conn.execute("SELECT 1 FROM apps WHERE name = ?", (new,)).fetchone():
            raise DokkuError(f"Name is already taken: {new}")
        conn.execute("INSERT INTO apps (name, created_at) VALUES (?, ?)", (new, state.now()))
        for table in CLONED_TABLES:
            _copy_rows(conn, table, old, new)
        for plugin, key in RUNTIME_PROPERTIES:
            conn.execute(
                "DELETE FROM properties WHERE plugin = ? AND app = ? AND key = ?",
                (plugin, new, key),
            )
        state.record_event(conn, new, "apps:clone", f"from {old}")
    source, target = paths.app_dir(old), paths.app_dir(new)
    import shutil

    from pydokku.plugins.git.extract import BUILD_SOURCE

    if source.is_dir():
        # not the last push's build source: the clone builds from its own pushes
        skip = shutil.ignore_patterns(BUILD_SOURCE)
        shutil.copytree(source, target, symlinks=True, dirs_exist_ok=True, ignore=skip)
    target.mkdir(parents=True, exist_ok=True)
    hook().post_create(app=new)
    hook().post_app_clone_setup(old_app=old, new_app=new)


def set_locked(app: str, locked: bool) -> None:
    """Lock or unlock deploys of an app."""
    require_app(app)
    with state.transaction() as conn:
        conn.execute("UPDATE apps SET locked = ? WHERE name = ?", (int(locked), app))
        state.record_event(conn, app, "apps:lock" if locked else "apps:unlock")


def is_locked(app: str) -> bool:
    """Tell whether deploys of an app are locked."""
    return app_info(app)["locked"] == "true"


def _copy_rows(conn: sqlite3.Connection, table: str, old: str, new: str) -> None:
    columns = [c[1] for c in conn.execute(f"PRAGMA table_info({table})") if c[1] != "app"]
    names = ", ".join(columns)
    conn.execute(
        f"INSERT INTO {table} (app, {names}) SELECT ?, {names} FROM {table} WHERE app = ?",  # noqa: S608
        (new, old),
    )


def _move_dir(old: str, new: str) -> None:
    source, target = paths.app_dir(old), paths.app_dir(new)
    import shutil

    if source.is_dir():
        shutil.move(source, target)
    else:
        target.mkdir(parents=True, exist_ok=True)
