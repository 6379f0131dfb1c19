"""Owner-only modes for every file that holds a secret (run by `plugin:install`).

New files are made with these modes; this pass brings installs from before up to date:
the state store and its key, service directories and passwords, TLS keys, the ACME
account key and service backups.
"""

from __future__ import annotations

import os

from pydokku import output, paths, state
from pydokku.plugins.config import sealing

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def secure_host() -> list[str]:
    """Seal secrets still in clear and make secret-holding paths owner-only; return them."""
    with state.transaction() as conn:  # opening the store runs the sealing migration
        sealed = sealing.seal_legacy(conn, with_files=True)
    sealing.checkpoint()
    changed = sealing.tighten_store_files()
    for path, mode in secret_paths():
        if _restrict(path, mode):
            changed.append(path)
    if sealed:
        output.verbose(f"Encrypted {sealed} secrets stored in clear")
    if changed:
        output.verbose(f"Made {len(changed)} secret-holding paths owner-only")
    return changed


def secret_paths() -> list[tuple[str, int]]:
    """Return the secret-holding paths outside the state directory, with their modes."""
    return [*_service_paths(), *_tls_keys(), *_letsencrypt_paths(), *_backups()]


def _service_paths() -> list[tuple[str, int]]:
    found = []
    for service in sealing.subdirs(2, os.path.join(paths.lib_root_dir(), "services")):
        found.append((service, PRIVATE_DIR))
        password = os.path.join(service, sealing.PASSWORD_FILE)
        if os.path.isfile(password):
            found.append((password, PRIVATE_FILE))
    return found


def _tls_keys() -> list[tuple[str, int]]:
    root = paths.dokku_root_dir()
    found = []
    for app in sorted(os.listdir(root)) if os.path.isdir(root) else []:
        tls = os.path.join(root, app, "tls")
        if os.path.isdir(tls) and not os.path.islink(tls):
            found += [
                (os.path.join(tls, name), PRIVATE_FILE)
                for name in sorted(os.listdir(tls))
                if name.endswith(".key")
            ]
    return found


def _letsencrypt_paths() -> list[tuple[str, int]]:
    directory = os.path.join(paths.lib_root_dir(), "data", "letsencrypt", "--global")
    if not os.path.isdir(directory):
        return []
    files = [os.path.join(directory, name) for name in sorted(os.listdir(directory))]
    return [(directory, PRIVATE_DIR)] + [(f, PRIVATE_FILE) for f in files if os.path.isfile(f)]


def _backups() -> list[tuple[str, int]]:
    found = []
    rows = state.query("SELECT type, name, backup_dir FROM services WHERE backup_dir != ''")
    for row in rows:
        directory, prefix = row["backup_dir"], f"{row['type']}-{row['name']}-"
        if os.path.isdir(directory):
            found += [
                (os.path.join(directory, name), PRIVATE_FILE)
                for name in sorted(os.listdir(directory))
                if name.startswith(prefix)
            ]
    return found


def _restrict(path: str, mode: int) -> bool:
    """Remove group and other bits beyond `mode` (never adds any); return whether it changed."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False
    if os.path.islink(path) or info.st_mode & 0o777 & ~mode == 0:
        return False
    os.chmod(path, info.st_mode & 0o777 & mode)
    return True
