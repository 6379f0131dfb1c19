"""Choosing a builder for an app: the one set with `builder:set`, else detection."""

from __future__ import annotations

from pathlib import Path

from pydokku import properties
from pydokku.errors import DokkuError
from pydokku.strategies import Builder, get_builder

PLUGIN = "builder"
DETECTION_ORDER = ("dockerfile",)


def build_dir(app: str, source: Path) -> Path:
    """Return the directory to build: the source, or its `build-dir` subdirectory."""
    sub = properties.resolve(PLUGIN, app, "build-dir", "")
    if not sub:
        return source
    path = (source / sub).resolve()
    if not path.is_relative_to(source.resolve()) or not path.is_dir():
        raise DokkuError(f"build-dir {sub!r} is not a directory of the pushed source")
    return path


def select_builder(app: str, source: Path) -> Builder:
    """Return the selected builder, or the first that detects the source."""
    selected = properties.resolve(PLUGIN, app, "selected", "")
    if selected:
        return get_builder(selected)
    for name in DETECTION_ORDER:
        builder = get_builder(name)
        if builder.detect(app, source):
            return builder
    raise DokkuError(
        "No builder detected for this app: looked for a Dockerfile. "
        "Add one, or choose a builder with `dokku builder:set APP selected NAME`"
    )


def validate_build_dir(value: str) -> str | None:
    """Property validator: a relative path inside the repo."""
    if value.startswith("/") or ".." in value.split("/"):
        return "must be a relative path inside the repository"
    return None
