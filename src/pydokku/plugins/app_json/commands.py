"""app-json:set and app-json:report."""

from __future__ import annotations

from pydokku import properties
from pydokku.cli.common import add_property_commands
from pydokku.cli.registry import Namespace
from pydokku.plugins.app_json import logic

app_json = Namespace("app-json", "Manage where an app's app.json is read from")
NAMESPACES = [app_json]

SETTINGS = [properties.PropertySpec("appjson-path", logic.DEFAULT_PATH, logic.path_problem)]
report_section = add_property_commands(app_json, SETTINGS, plugin=logic.PLUGIN)
