"""The build plan: what the auto builder detected and how it will build it.

A language module turns a source tree into a `BuildPlan`; `render.py` turns the
plan into a Dockerfile. Plans are pure data, so detection and rendering are
tested without Docker.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydokku import sourcetree
from pydokku.errors import DokkuError

REGISTRY = "registry"
OFFLINE = "offline"
APP_DIR = "/app"


@dataclass
class Base:
    """Where base images come from: official images (registry) or local stacks (offline)."""

    mode: str  # REGISTRY or OFFLINE
    suite: str = "bookworm"

    @property
    def offline(self) -> bool:
        """Tell whether builds use the local stack images."""
        return self.mode == OFFLINE

    def stack(self, name: str) -> str:
        """Return the local stack image of a language (`pydokku/stack-python:bookworm`)."""
        return f"pydokku/stack-{name}:{self.suite}"

    @property
    def plain(self) -> str:
        """Return the plain Debian image runtime stages start from."""
        return f"pydokku/base:{self.suite}" if self.offline else f"debian:{self.suite}-slim"


CACHE_DIR = "/root/.cache"  # where the auto builder's cache mount goes (pip, uv, poetry default)


@dataclass
class BuildPlan:
    """How to build one app: base image, dependency install, build, default web process."""

    language: str
    detail: str
    version: str
    base_image: str
    stacks: list[str] = field(default_factory=list)  # offline stacks the build needs
    env: dict[str, str] = field(default_factory=dict)  # ENV: kept in the image
    tool_env: dict[str, str] = field(default_factory=dict)  # ARG defaults: build steps only
    ca_env: dict[str, str] = field(default_factory=dict)  # build-only, when CA certs are carried
    setup: list[str] = field(default_factory=list)  # RUN before the manifests are copied
    manifests: list[str] = field(default_factory=list)  # files copied before the install
    install: list[str] = field(default_factory=list)  # RUN: dependency install (cached layer)
    build: list[str] = field(default_factory=list)  # RUN after the source is copied
    runtime_image: str = ""  # a second stage to run from (compiled languages)
    web: str = ""  # default web process (shell syntax, $PORT expands)
    build_config: bool = True  # config vars are build ARGs (not for static sites)
    caches: bool = (
        False  # RUN steps mount a download cache at CACHE_DIR (builder-auto cache-mounts)
    )
    cache_env: dict[str, str] = field(default_factory=dict)  # ARGs pointing tools into it
    no_cache_env: dict[str, str] = field(default_factory=dict)  # ARGs when there is no mount
    warnings: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """Return a one-line description: `python 3.11 (requirements.txt, pip)`."""
        version = f" {self.version}" if self.version else ""
        return f"{self.language}{version} ({self.detail})"


def read_text(source: Path, name: str, limit: int = 1_000_000) -> str:
    """Return a small text file of the source ('' when absent, unreadable or outside it)."""
    try:
        return sourcetree.read_text(source, name, limit) or ""
    except DokkuError:
        return ""


def read_json(source: Path, name: str) -> dict[str, object]:
    """Return a JSON object file of the source ({} when absent or not an object)."""
    text = read_text(source, name)
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def read_toml(source: Path, name: str) -> dict[str, object]:
    """Return a TOML file of the source as a dict ({} when absent or invalid)."""
    import tomllib

    text = read_text(source, name)
    try:
        return tomllib.loads(text) if text else {}
    except tomllib.TOMLDecodeError:
        return {}


def is_file(source: Path, name: str) -> bool:
    """Tell whether `name` is a regular file inside the source (symlinks must stay inside)."""
    return sourcetree.is_file(source, name)


def existing(source: Path, names: list[str]) -> list[str]:
    """Return the names (relative paths) that are files of the source, in order."""
    return [n for n in names if is_file(source, n)]


_VERSION_RE = re.compile(r"(\d+)(?:\.(\d+))?(?:\.(\d+))?")


def version_parts(text: str) -> tuple[int, ...]:
    """Return the numeric parts of the first version in a text (`"python-3.11.4"` -> (3, 11, 4))."""
    match = _VERSION_RE.search(text)
    if not match:
        return ()
    return tuple(int(p) for p in match.groups() if p is not None)


def version_text(parts: tuple[int, ...]) -> str:
    """Return a version tuple as text (`(3, 11)` -> `3.11`)."""
    return ".".join(str(p) for p in parts)


def offline_version_note(
    language: str, wanted: str, have: str, source_file: str, precision: int = 2
) -> str | None:
    """Return a warning when an offline stack cannot honor a requested version, else None."""
    want = version_parts(wanted)[:precision]
    if not want or want == version_parts(have)[: len(want)]:
        return None
    return (
        f"{source_file} asks for {language} {wanted}, but no registry is reachable and the "
        f"offline stack has {language} {have} (Debian); building with {have}"
    )
