"""A service's data in and out: export, import, clone, backups to a directory, retention."""

from __future__ import annotations

import os
import re
import shlex
import time
from pathlib import Path
from typing import BinaryIO

from pydokku import engine, output, paths
from pydokku.errors import DokkuError
from pydokku.services import container, names, store
from pydokku.services.spec import ServiceType
from pydokku.services.store import Service
from pydokku.validation import path_in_dirs_problem

_BAD_PATH_CHARS = re.compile(r"[\x00-\x1f\x7f%]")


def running(stype: ServiceType, name: str) -> Service:
    """Return a service whose container runs, or raise saying how to start it."""
    svc = store.get(stype, names.validate_name(stype, name))
    if container.status(svc) != "running":
        raise DokkuError(
            f"{stype.title} service {name} is not running; `dokku {stype.name}:start {name}`"
        )
    return svc


def exec_parts(svc: Service, template: list[str]) -> tuple[str, list[str], dict[str, str]]:
    """Return (container, command, env) to run a type's command template in a service."""
    stype = svc.stype
    values = names.template_values(stype, svc.name, store.read_password(stype, svc.name))
    return (
        names.container_name(stype, svc.name),
        stype.fill(template, values),
        stype.fill_env(stype.exec_env, values),
    )


def export(stype: ServiceType, name: str, sink: BinaryIO | None = None) -> None:
    """Write a dump of the service to `sink` (default: stdout), bytes untouched."""
    svc = running(stype, name)
    target, argv, env = exec_parts(svc, stype.export)
    code = engine.exec_stream(target, argv, env=env, stdout=sink)
    if code != 0:
        raise DokkuError(f"Export of {stype.name} service {name} failed (exit code {code})")


def import_(stype: ServiceType, name: str, source: BinaryIO | None = None) -> None:
    """Load a dump (from `source`, default stdin) into the service."""
    svc = running(stype, name)
    if source is None and engine.stdin_is_tty():
        raise DokkuError(f"Pipe a dump in: dokku {stype.name}:import {name} < FILE")
    target, argv, env = exec_parts(svc, stype.import_)
    code = engine.exec_stream(target, argv, env=env, stdin=source, pass_stdin=True)
    if code != 0:
        raise DokkuError(f"Import into {stype.name} service {name} failed (exit code {code})")
    _swap_in(svc)


def _swap_in(svc: Service) -> None:
    """Put an imported file in place of the live one while the server is stopped."""
    if not svc.stype.import_swap:
        return
    written, live = svc.stype.import_swap
    mount = svc.stype.data_mount(svc.version)
    container.stop(svc)
    script = f"mv -f {shlex.quote(written)} {shlex.quote(live)}"
    code, text = engine.run_helper(svc.image, script, {str(svc.root / "data"): mount})
    container.ensure_running(svc)
    if code != 0:
        raise DokkuError(f"Cannot put the imported data in place: {text.strip()[-200:]}")


def clone(stype: ServiceType, name: str, new_name: str) -> None:
    """Create a new service with the same image and settings, and copy the data into it."""
    from pydokku.services import images, lifecycle

    svc = running(stype, name)
    names.validate_name(stype, new_name)
    output.step(f"Cloning {name} to {new_name}")
    choice = images.ImageChoice(svc.image, svc.version, f"same image as {name}")
    lifecycle.create_service(
        stype,
        new_name,
        choice=choice,
        memory_mb=svc.memory_mb,
        config_options=svc.config_options,
    )
    output.step(f"Copying the data of {name} into {new_name}")
    fresh = store.get(stype, new_name)
    source, target = exec_parts(svc, stype.export), exec_parts(fresh, stype.import_)
    produced, consumed = engine.exec_pipe(source, target)
    if produced != 0 or consumed != 0:
        raise DokkuError(
            f"Copying the data failed (export exit code {produced}, import exit code "
            f"{consumed}); {new_name} exists but may be incomplete"
        )
    _swap_in(fresh)
    output.header(f"{stype.title} service {name} cloned to {new_name}")


# --- backups -------------------------------------------------------------------------------


def backup_root() -> Path:
    """Return the one directory backups go to: `$DOKKU_LIB_ROOT/backups`."""
    return paths.lib_root() / "backups"


def validate_backup_dir(directory: str) -> Path:
    """Return a backup directory inside `backup_root()`: a name there, or a path under it.

    A key holder chooses it, and the dokku user writes (and prunes) files there; any
    other place would let them fill or litter the host (it also goes into cron).
    """
    root = str(backup_root())
    absolute = directory if directory.startswith("/") else f"{root}/{directory}"
    problem = path_in_dirs_problem(absolute, (root,))
    if problem or _BAD_PATH_CHARS.search(directory):
        raise DokkuError(
            f"Invalid backup directory {directory!r}: {problem or 'no control characters or %'}"
            f" (backups go under {root}/)"
        )
    return Path(absolute)


def backup_pattern(stype: ServiceType, name: str) -> re.Pattern[str]:
    """Return the pattern of a service's backup file names (only these are ever pruned)."""
    return re.compile(
        rf"^{re.escape(stype.name)}-{re.escape(name)}-\d{{8}}-\d{{6}}(-\d+)?"
        rf"\.{re.escape(stype.dump_suffix)}\Z"
    )


def backup_file(stype: ServiceType, name: str, directory: Path, now: float) -> Path:
    """Return a new backup's path: `<type>-<name>-<UTC stamp>.<suffix>`, never an old one."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(now))
    path = directory / f"{stype.name}-{name}-{stamp}.{stype.dump_suffix}"
    count = 0
    while path.exists():
        count += 1
        path = directory / f"{stype.name}-{name}-{stamp}-{count}.{stype.dump_suffix}"
    return path


def backup(stype: ServiceType, name: str, directory: str) -> Path:
    """Write a dump of the service into a directory (file mode 0600), then apply retention."""
    svc = running(stype, name)
    target_dir = validate_backup_dir(directory)
    try:
        target_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = backup_file(stype, name, target_dir, time.time())
        partial = path.with_name(f".{path.name}.partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise DokkuError(
            f"Cannot write to {target_dir}: {exc.strerror} (backups are written by the dokku user)"
        ) from exc
    output.step(f"Backing up {stype.name} service {name} to {path}")
    try:
        with os.fdopen(fd, "wb") as handle:
            export(stype, name, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    output.verbose(f"Wrote {path.stat().st_size} bytes")
    for old in prune(svc, target_dir):
        output.verbose(f"Removed old backup {old.name} (keeping {svc.backup_retention})")
    return path


def prune(svc: Service, directory: Path) -> list[Path]:
    """Delete all but the newest `backup_retention` backups of a service (0: keep all)."""
    keep = svc.backup_retention
    if keep <= 0:
        return []
    pattern = backup_pattern(svc.stype, svc.name)
    found = [p for p in directory.iterdir() if p.is_file() and pattern.match(p.name)]
    found.sort(key=lambda p: (p.stat().st_mtime, p.name))
    old = found[:-keep]
    for path in old:
        path.unlink(missing_ok=True)
    return old


def set_retention(stype: ServiceType, name: str, count: str) -> int:
    """Keep only the newest N backups of a service from now on (0: keep all)."""
    store.get(stype, names.validate_name(stype, name))
    if not (count.isascii() and count.isdigit()) or int(count) > 10_000:
        raise DokkuError(f"Invalid retention {count!r}: give a number of backups (0: keep all)")
    store.update(stype, name, backup_retention=int(count))
    return int(count)
