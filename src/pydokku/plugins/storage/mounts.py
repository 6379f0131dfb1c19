"""Pure rules for bind mounts: parsing `HOST:CONTAINER[:OPTIONS]` and what may be mounted.

A host side is an absolute directory or a Docker volume name (Dokku's rule: two or
more of `[A-Za-z0-9_.-]`, starting with a letter or digit). A relative path, a `..`
component, or a directory that holds the host's or pydokku's own files is refused:
mounting `/var/lib/dokku` or `/etc` into an app would hand it the platform's state.
Directories made by `storage:ensure-directory` live under the storage root, which is
inside the lib root and is the one part of it that may be mounted.
"""

from __future__ import annotations

import posixpath

from pydokku.errors import DokkuError
from pydokku.validation import relative_path_problem

FORMAT_ERROR = "Storage path must be two valid paths divided by colon."
_VOLUME_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_VOLUME_CHARS = _VOLUME_START | frozenset("_.-")
# Bind options Docker accepts after the container path (`ro` is kept as `readonly`).
MOUNT_OPTIONS = frozenset(
    (
        "ro",
        "rw",
        "z",
        "Z",
        "shared",
        "slave",
        "private",
        "rshared",
        "rslave",
        "rprivate",
        "nocopy",
        "consistent",
        "cached",
        "delegated",
    )
)
# Host directories that are never mounted, nor any directory holding one of them.
SYSTEM_DIRS = (
    "/etc",
    "/proc",
    "/sys",
    "/dev",
    "/boot",
    "/root",
    "/run",
    "/var/run",
    "/var/lib/docker",
    "/var/lib/containerd",
    "/var/log/dokku",
    "/usr",
    "/bin",
    "/sbin",
    "/lib",
    "/lib32",
    "/lib64",
    "/opt/pydokku",
    "/home/dokku",
    "/var/lib/dokku",
)


class Mount:
    """One bind mount of an app: host side, container path, options."""

    def __init__(self, host_path: str, container_path: str, options: str = "") -> None:
        self.host_path = host_path
        self.container_path = container_path
        self.options = options

    @property
    def readonly(self) -> bool:
        """Tell whether the mount is read-only (`ro` among its options)."""
        return "ro" in self.options.split(",")

    @property
    def volume_options(self) -> str:
        """Return the options other than `ro`, comma-separated."""
        return ",".join(o for o in self.options.split(",") if o and o != "ro")

    @property
    def spec(self) -> str:
        """Return the mount as written: `HOST:CONTAINER[:OPTIONS]` (Docker's bind syntax)."""
        tail = f":{self.options}" if self.options else ""
        return f"{self.host_path}:{self.container_path}{tail}"

    def as_json(self) -> dict[str, object]:
        """Return the `storage:list --format json` entry (Dokku's field names)."""
        entry: dict[str, object] = {
            "host_path": self.host_path,
            "container_path": self.container_path,
        }
        if self.readonly:
            entry["readonly"] = True
        if self.volume_options:
            entry["volume_options"] = self.volume_options
        return entry


def is_volume_name(text: str) -> bool:
    """Tell whether `text` is a Docker volume name as Dokku accepts one."""
    return len(text) >= 2 and text[0] in _VOLUME_START and _VOLUME_CHARS.issuperset(text)


def parse(text: str, protected: tuple[str, ...], storage_root: str) -> Mount:
    """Parse and check `HOST:CONTAINER[:OPTIONS]`; raise a one-line DokkuError if refused.

    `protected`: directories (besides SYSTEM_DIRS) that must not be mounted, nor their
    parents; `storage_root`: the one place inside them whose subdirectories may be.
    """
    parts = text.split(":")
    if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
        raise DokkuError(FORMAT_ERROR)
    host = check_host(parts[0], protected, storage_root)
    container = check_container(parts[1])
    options = check_options(parts[2] if len(parts) == 3 else "")
    return Mount(host, container, options)


def check_host(host: str, protected: tuple[str, ...], storage_root: str) -> str:
    """Return the host side (normalized) if it may be mounted, else raise naming why."""
    if not host.startswith("/"):
        if is_volume_name(host):
            return host
        raise DokkuError(
            f"Invalid host path {host!r}: expected an absolute directory or a Docker volume name"
        )
    _check_absolute(host, "host path")
    normal = posixpath.normpath(host)
    import os.path

    for candidate in dict.fromkeys((normal, os.path.realpath(normal))):
        holder = protected_holder(candidate, protected, storage_root)
        if holder and (candidate == holder or candidate.startswith(holder + "/")):
            raise DokkuError(
                f"Refusing to mount {host}: {holder} holds the host's or pydokku's own files"
            )
        if holder:
            raise DokkuError(
                f"Refusing to mount {host}: it contains {holder}, "
                "which holds the host's or pydokku's own files"
            )
    return normal


def check_container(path: str) -> str:
    """Return the container path (normalized) if it is absolute and not `/`, else raise."""
    if not path.startswith("/"):
        raise DokkuError(f"Invalid container path {path!r}: it must be absolute")
    _check_absolute(path, "container path")
    normal = posixpath.normpath(path)
    if normal == "/":
        raise DokkuError("Invalid container path '/': mount a directory, not the root")
    return normal


def check_options(text: str) -> str:
    """Return mount options (comma-separated) if Docker knows each one, else raise."""
    if not text:
        return ""
    words = text.split(",")
    unknown = [w for w in words if w not in MOUNT_OPTIONS]
    if unknown:
        known = ", ".join(sorted(MOUNT_OPTIONS))
        raise DokkuError(f"Invalid mount option {unknown[0]!r}: expected one of {known}")
    return ",".join(dict.fromkeys(words))


def _check_absolute(path: str, what: str) -> None:
    if path == "/":
        return
    problem = relative_path_problem(path[1:].rstrip("/") or ".")
    if problem:
        raise DokkuError(f"Invalid {what} {path!r}: {problem}")
    if "." in path[1:].split("/"):
        raise DokkuError(f"Invalid {what} {path!r}: must not contain '.' components")


def protected_holder(path: str, protected: tuple[str, ...], storage_root: str) -> str | None:
    """Return the protected directory `path` is, is inside, or contains; None if it is free.

    Strictly inside `storage_root` is free even though the lib root holds it.
    """
    root = storage_root.rstrip("/")
    if path.startswith(root + "/"):
        return None
    for held in dict.fromkeys((*SYSTEM_DIRS, *protected)):
        held = held.rstrip("/")
        inside = path == held or path.startswith(held + "/")
        if inside or held.startswith(path.rstrip("/") + "/"):
            return held
    return None
