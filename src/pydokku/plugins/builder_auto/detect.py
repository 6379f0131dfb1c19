"""Language detection: which planner applies to a source tree, in Dokku-like order."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydokku.errors import DokkuError
from pydokku.plugins.builder_auto import golang, node, python, ruby, static
from pydokku.plugins.builder_auto.plan import Base, BuildPlan

Planner = Callable[[Path, Base], BuildPlan]

# First match wins: an explicit `.static` marker, then the languages, then a bare index.html.
ORDER: tuple[tuple[str, Callable[[Path], bool], Planner], ...] = (
    ("static", static.marked, static.plan),
    ("python", python.detect, python.plan),
    ("node", node.detect, node.plan),
    ("go", golang.detect, golang.plan),
    ("ruby", ruby.detect, ruby.plan),
    ("static", static.detect, static.plan),
)
LOOKED_FOR = (
    "requirements.txt, pyproject.toml or setup.py (Python), package.json (Node.js), "
    "go.mod (Go), Gemfile (Ruby), index.html or a .static file (static site)"
)


def language(source: Path) -> str | None:
    """Return the language detected in the source, or None."""
    return next((name for name, found, _ in ORDER if found(source)), None)


def make_plan(source: Path, base: Base) -> BuildPlan:
    """Return the build plan of the source, or raise listing what was looked for."""
    for _, found, planner in ORDER:
        if found(source):
            return planner(source, base)
    raise DokkuError(f"The auto builder detected no language: looked for {LOOKED_FOR}")
