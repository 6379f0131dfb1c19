"""scheduler:set and scheduler:report."""

from __future__ import annotations

from pydokku import properties
from pydokku.cli.common import add_property_commands
from pydokku.cli.registry import Namespace
from pydokku.plugins.scheduler import settings

scheduler = Namespace("scheduler", "Manage scheduler settings for an app")
NAMESPACES = [scheduler]

report_section = add_property_commands(
    scheduler,
    [properties.PropertySpec("selected", settings.DEFAULT, settings.scheduler_problem)],
)
