"""Stored bind mounts of apps, and the storage directories under the lib root.

Mounts are rows of `storage_mounts` (an `app` column: renames follow, destroys delete
the rows, never the data). They reach deploy and one-off containers through the
`docker_args_deploy` / `docker_args_run` hooks, so every container made afterwards
(deploy, rollback, `ps:rebuild`, `run`, cron, release phase) has them.
"""

from __future__ import annotations

import os

from pydokku import output, paths, state
from pydokku.errors import DokkuError
from pydokku.plugins.apps.logic import require_app
from pydokku.plugins.storage import mounts
from pydokku.plugins.storage.mounts import Mount

# `--chown` names and the uid each stands for (Dokku's table).
CHOWN_IDS = {"herokuish": 32767, "heroku": 1000, "paketo": 2000, "packeto": 2000, "root": 0}
USERNS_OFFSET = 165536
MAX_UID = 65535
_DIR_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def storage_root() -> str:
    """Return the directory `storage:ensure-directory` creates into."""
    return os.path.join(paths.lib_root_dir(), "data", "storage")


def protected_dirs() -> tuple[str, ...]:
    """Return pydokku's own roots (as configured here), which are never mounted."""
    return (paths.dokku_root_dir(), paths.lib_root_dir())


def parse_mount(text: str) -> Mount:
    """Parse and check a `HOST:CONTAINER[:OPTIONS]` argument against this host's roots."""
    return mounts.parse(text, protected_dirs(), storage_root())


def app_mounts(app: str) -> list[Mount]:
    """Return an app's mounts in the order they were added."""
    rows = state.query(
        "SELECT host_path, container_path, options FROM storage_mounts "
        "WHERE app = ? ORDER BY created_at, rowid",
        (app,),
    )
    return [Mount(r["host_path"], r["container_path"], r["options"]) for r in rows]


def mount(app: str, text: str) -> Mount:
    """Add a bind mount to an app (applies to containers made from now on)."""
    require_app(app)
    new = parse_mount(text)
    with state.transaction() as conn:
        row = conn.execute(
            "SELECT host_path FROM storage_mounts WHERE app = ? AND container_path = ?",
            (app, new.container_path),
        ).fetchone()
        if row is not None and row[0] == new.host_path:
            raise DokkuError("Mount path already exists.")
        if row is not None:
            raise DokkuError(
                f"Container path {new.container_path} is already mounted from {row[0]}"
            )
        conn.execute(
            "INSERT INTO storage_mounts (app, host_path, container_path, options, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (app, new.host_path, new.container_path, new.options, state.now()),
        )
        state.record_event(conn, app, "storage:mount", new.spec)
    return new


def unmount(app: str, text: str) -> Mount:
    """Remove a bind mount (matched by host and container path) from an app."""
    require_app(app)
    gone = parse_mount(text)
    with state.transaction() as conn:
        cursor = conn.execute(
            "DELETE FROM storage_mounts WHERE app = ? AND host_path = ? AND container_path = ?",
            (app, gone.host_path, gone.container_path),
        )
        if cursor.rowcount == 0:
            raise DokkuError("Mount path does not exist.")
        state.record_event(conn, app, "storage:unmount", gone.spec)
    return gone


def copy_mounts(old: str, new: str) -> None:
    """Give a cloned app the mounts of its source (same host directories)."""
    with state.transaction() as conn:
        conn.execute(
            "INSERT OR IGNORE INTO storage_mounts "
            "(app, host_path, container_path, options, created_at) "
            "SELECT ?, host_path, container_path, options, created_at FROM storage_mounts "
            "WHERE app = ?",
            (new, old),
        )


def volumes(app: str) -> list[str]:
    """Return the app's mounts as Docker SDK `volumes` entries (`HOST:CONTAINER[:OPTS]`)."""
    return [m.spec for m in app_mounts(app)]


def report_rows(app: str) -> list[tuple[str, str]]:
    """Return Dokku's storage report rows: the `-v` flags of each phase."""
    flags = " ".join(f"-v {m.spec}" for m in app_mounts(app))
    return [("build-mounts", ""), ("deploy-mounts", flags), ("run-mounts", flags)]


def check_directory_name(name: str) -> str:
    """Return `name` if it may name a storage directory ([A-Za-z0-9_-]), else raise."""
    if not name:
        raise DokkuError("Please specify a directory to create")
    if not _DIR_CHARS.issuperset(name):
        raise DokkuError(
            "Directory can only contain the following set of characters: [A-Za-z0-9_-]"
        )
    return name


def chown_id(flag: str) -> int | None:
    """Return the uid a `--chown` value stands for (None for `false`), else raise."""
    if flag == "false":
        return None
    if flag in CHOWN_IDS:
        return CHOWN_IDS[flag]
    if flag.isascii() and flag.isdigit() and int(flag) <= MAX_UID:
        return int(flag)
    raise DokkuError(
        f"Unsupported chown permissions {flag!r}: expected herokuish, heroku, paketo, root, "
        f"false or a uid from 0 to {MAX_UID}"
    )


def ensure_directory(name: str, chown: str) -> str:
    """Create `$DOKKU_LIB_ROOT/data/storage/NAME` and hand it to the app's user; return it."""
    check_directory_name(name)
    uid = chown_id(chown)
    directory = os.path.join(storage_root(), name)
    output.step(f"Ensuring {directory} exists")
    try:
        os.makedirs(directory, mode=0o755, exist_ok=True)
    except OSError as exc:
        raise DokkuError(f"Unable to create directory: {exc.strerror}") from exc
    if uid is not None:
        uid += USERNS_OFFSET if _userns_enabled() else 0
        output.verbose(f"Setting directory ownership to {uid}:{uid}")
        _chown_tree(directory, uid)
    output.verbose("Directory ready for mounting")
    return directory


def _userns_enabled() -> bool:
    """Tell whether the engine remaps users (container uid 0 is then host uid 165536)."""
    from pydokku import engine

    try:
        options = engine.host_info().get("SecurityOptions") or []
    except DokkuError:
        return False  # no engine: nothing can run yet, the plain uid is the best guess
    return "name=userns" in options


def _chown_tree(directory: str, uid: int) -> None:
    """Give a directory tree to `uid:uid`; as a non-root user, through a helper container."""
    try:
        for root, dirs, files in os.walk(directory):
            for name in [root, *(os.path.join(root, n) for n in dirs + files)]:
                os.lchown(name, uid, uid)
        return
    except PermissionError:
        pass  # the dokku user cannot give files away; the engine's root can
    except OSError as exc:
        raise DokkuError(f"Unable to set directory ownership: {exc.strerror}") from exc
    from pydokku import engine
    from pydokku.services.spec import BASE_IMAGE

    if not engine.image_exists(BASE_IMAGE):
        raise DokkuError(
            f"Unable to set directory ownership: the helper image {BASE_IMAGE} is missing"
        )
    code, text = engine.run_helper(
        BASE_IMAGE, f"chown -R {uid}:{uid} /storage", {directory: "/storage"}
    )
    if code != 0:
        raise DokkuError(f"Unable to set directory ownership: {text.strip() or code}")


def kept_dirs_note(app: str) -> str | None:
    """Return the line `apps:destroy` prints about host directories it keeps, if any."""
    hosts = [m.host_path for m in app_mounts(app)]
    if not hosts:
        return None
    return f"Mounted storage is kept (delete it yourself if unneeded): {', '.join(hosts)}"
