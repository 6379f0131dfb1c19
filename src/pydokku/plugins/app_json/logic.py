"""Reading an app's app.json from its source tree, at the path `app-json:set` chose.

The path is checked when it is set (relative, no `..`, safe characters) and again when
the file is read: the one safe tree reader follows every link and refuses a file
outside the tree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydokku import appjson, properties, sourcetree
from pydokku.validation import relative_path_problem, validate_relative_path

PLUGIN = "app-json"
DEFAULT_PATH = "app.json"


def path_problem(value: str) -> str | None:
    """Property validator for `appjson-path`: a relative path inside the source."""
    return relative_path_problem(value)


def appjson_path(app: str) -> str:
    """Return the app's effective app.json path (app, then global, then `app.json`)."""
    return properties.resolve(PLUGIN, app, "appjson-path", DEFAULT_PATH)


def read(app: str, source: Path) -> dict[str, Any]:
    """Return the app's parsed app.json from `source` ({} when there is none).

    Raises a DokkuError for a path leading outside the tree, a file that is not JSON
    or holds an invalid formation.
    """
    name = validate_relative_path(appjson_path(app), "appjson-path")
    text = sourcetree.read_text(source, name, what=f"appjson-path {name}")
    if text is None:
        return {}
    return appjson.parse_app_json(text, name)
