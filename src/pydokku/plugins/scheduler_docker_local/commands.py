"""scheduler-docker-local:* commands."""

from __future__ import annotations

from pydokku import properties
from pydokku.cli.common import add_property_commands
from pydokku.cli.registry import Namespace

scheduler = Namespace("scheduler-docker-local", "Settings of the docker-local scheduler")
NAMESPACES = [scheduler]

SETTINGS = [
    properties.PropertySpec("init-process", "true", properties.validate_bool),
    properties.PropertySpec("parallel-schedule-count", "1", properties.validate_positive_int),
]

report_section = add_property_commands(scheduler, SETTINGS)
