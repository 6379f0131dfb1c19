"""Third-party plugins as Python packages: install, uninstall and update them with pip.

A plugin is a distribution exposing the `pydokku.plugins` entry-point group; pip
installs it into pydokku's own environment (`sys.executable -m pip`). A source is a
pip requirement (`pydokku-foo==1.2`), a local path (a wheel, sdist or project dir) or a
git URL; `--name` names the distribution of a path or URL (`NAME @ URL`). What was
installed from where is kept in the `plugin` properties, for `plugin:update`.
Installing needs root (it writes pydokku's environment): the CLI refuses these
commands over SSH and to other users, as Dokku does.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from importlib import invalidate_caches, metadata

from pydokku import output, properties, runner, state
from pydokku.errors import DokkuError
from pydokku.plugins.manager import ENTRY_POINT_GROUP
from pydokku.validation import GLOBAL_SCOPE

PLUGIN = "plugin"
SOURCE_KEY = "source-"
_NAME_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?\Z")
_REQUIREMENT_RE = re.compile(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*(?:\[[A-Za-z0-9,._-]+\])?"
    r"(?:(?:===?|~=|!=|<=?|>=?)[A-Za-z0-9.*+!_-]+(?:,(?:===?|~=|!=|<=?|>=?)[A-Za-z0-9.*+!_-]+)*)?\Z"
)
_GIT_RE = re.compile(r"^(?:git\+)?(?:https|ssh|git|file)://[^\s]+\Z|^git@[A-Za-z0-9.-]+:[^\s]+\Z")
_REF_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}\Z")


@dataclass
class Source:
    """What pip installs: its requirement line, and whether it is a local path."""

    requirement: str
    local: bool


def validate_name(name: str) -> str:
    """Return `name` if it is a valid plugin or distribution name, else raise."""
    if not _NAME_RE.match(name):
        raise DokkuError(f"Invalid plugin name {name[:80]!r}")
    return name


def parse_source(source: str, *, name: str = "", committish: str = "") -> Source:
    """Turn `plugin:install`'s source, --name and --committish into a pip requirement."""
    if name:
        validate_name(name)
    if committish and (not _REF_RE.match(committish) or ".." in committish):
        raise DokkuError(f"Invalid --committish {committish[:80]!r}")
    if _GIT_RE.match(source) and not source.startswith("file://"):
        url = source if source.startswith("git+") else f"git+{_ssh_url(source)}"
        url += f"@{committish}" if committish else ""
        return Source(f"{name} @ {url}" if name else url, False)
    if committish:
        raise DokkuError("--committish only applies to a git URL")
    if source.startswith(("/", "./", "file://")):
        path = os.path.abspath(source.removeprefix("file://"))
        if not os.path.exists(path):
            raise DokkuError(f"No such file or directory: {path}")
        return Source(f"{name} @ file://{path}" if name else path, True)
    if name or not _REQUIREMENT_RE.match(source):
        raise DokkuError(
            f"Invalid plugin source {source[:80]!r}: give a pip requirement (pydokku-foo==1.0), "
            "an absolute path or a git URL"
        )
    return Source(source, False)


def _ssh_url(url: str) -> str:
    """Turn scp-like `git@host:path` into `ssh://git@host/path` (pip needs a URL)."""
    if url.startswith("git@"):
        host, _, path = url.partition(":")
        return f"ssh://{host}/{path}"
    return url


def entry_points() -> dict[str, str]:
    """Return the installed third-party plugins: entry-point name -> distribution name."""
    invalidate_caches()
    found = {}
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        found[ep.name] = ep.dist.name if ep.dist else ""
    return found


def pip_install(source: Source, *, upgrade: bool = False) -> list[str]:
    """Install a requirement with pip; return the names of the distributions installed."""
    with tempfile.TemporaryDirectory(prefix="pydokku-pip-") as scratch:
        report = os.path.join(scratch, "report.json")
        argv = [sys.executable, "-m", "pip", "install", "--no-input", "--disable-pip-version-check"]
        argv += ["--report", report]
        if upgrade:
            argv += ["--upgrade", *(["--force-reinstall", "--no-deps"] if source.local else [])]
        code = runner.stream([*argv, "--", source.requirement], on_line=output.verbose)
        if code != 0:
            raise DokkuError(f"pip could not install {source.requirement}")
        with open(report, encoding="utf-8") as handle:
            data = json.load(handle)
    return [str(item["metadata"]["name"]) for item in data.get("install", [])]


def pip_uninstall(distribution: str) -> None:
    """Remove a distribution with pip."""
    argv = [sys.executable, "-m", "pip", "uninstall", "--yes", "--disable-pip-version-check"]
    code = runner.stream([*argv, "--", validate_name(distribution)], on_line=output.verbose)
    if code != 0:
        raise DokkuError(f"pip could not uninstall {distribution}")


def remember(plugin: str, origin: dict[str, str] | None) -> None:
    """Record (or with None, forget) the source, --name and --committish of a plugin."""
    value = json.dumps(origin, sort_keys=True) if origin else None
    with state.transaction() as conn:
        properties.store(conn, PLUGIN, GLOBAL_SCOPE, SOURCE_KEY + plugin, value)


def remembered(plugin: str) -> dict[str, str]:
    """Return what a plugin was installed from (source, name, committish), or {}."""
    raw = properties.get(PLUGIN, GLOBAL_SCOPE, SOURCE_KEY + plugin)
    try:
        found = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return {k: str(v) for k, v in found.items()} if isinstance(found, dict) else {}
