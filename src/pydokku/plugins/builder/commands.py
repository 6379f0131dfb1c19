"""builder:* and builder-dockerfile:* commands."""

from __future__ import annotations

from pydokku import properties
from pydokku.cli.common import add_property_commands
from pydokku.cli.registry import Context, Namespace
from pydokku.plugins.builder import certs
from pydokku.plugins.builder.logic import (
    DEFAULT_NETWORK,
    NETWORK_KEY,
    detected,
    validate_build_dir,
    validate_network,
    validate_selected,
)
from pydokku.validation import GLOBAL_SCOPE

builder = Namespace("builder", "Choose how app images are built")
builder_dockerfile = Namespace("builder-dockerfile", "Settings of the Dockerfile builder")
NAMESPACES = [builder, builder_dockerfile]

BUILDER_SETTINGS = [
    properties.PropertySpec("selected", "", validate_selected),
    properties.PropertySpec("build-dir", "", validate_build_dir),
    properties.PropertySpec("skip-cleanup", "false", properties.validate_bool),
    properties.PropertySpec(certs.KEY, certs.default_enabled(), properties.validate_bool),
    properties.PropertySpec(NETWORK_KEY, DEFAULT_NETWORK, validate_network),
]
DOCKERFILE_SETTINGS = [
    properties.PropertySpec("dockerfile-path", "Dockerfile", validate_build_dir),
]


def detected_rows(scope: str) -> list[tuple[str, str]]:
    """Return what the app's last build detected: builder, language and base image."""
    if scope == GLOBAL_SCOPE:
        return []
    return list(detected(scope).items())


report_section = add_property_commands(builder, BUILDER_SETTINGS, detected_rows)
add_property_commands(builder_dockerfile, DOCKERFILE_SETTINGS)


@builder.command("choose-network", "", hidden=True)
def choose_network(ctx: Context) -> None:
    """Pick the global build network that works on this host (run by install.sh)."""
    from pydokku.plugins.builder.network import choose

    choose()
