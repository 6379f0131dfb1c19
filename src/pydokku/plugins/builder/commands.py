"""builder:* and builder-dockerfile:* commands."""

from __future__ import annotations

from pydokku import properties
from pydokku.cli.common import add_property_commands
from pydokku.cli.registry import Namespace
from pydokku.plugins.builder.logic import validate_build_dir

builder = Namespace("builder", "Choose how app images are built")
builder_dockerfile = Namespace("builder-dockerfile", "Settings of the Dockerfile builder")
NAMESPACES = [builder, builder_dockerfile]

BUILDER_SETTINGS = [
    properties.PropertySpec("selected", ""),
    properties.PropertySpec("build-dir", "", validate_build_dir),
]
DOCKERFILE_SETTINGS = [
    properties.PropertySpec("dockerfile-path", "Dockerfile", validate_build_dir),
]

report_section = add_property_commands(builder, BUILDER_SETTINGS)
add_property_commands(builder_dockerfile, DOCKERFILE_SETTINGS)
