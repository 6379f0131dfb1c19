"""The null builder: no build; the deploy uses the app's existing image."""

from __future__ import annotations

from pathlib import Path

from pydokku import engine, output
from pydokku.errors import DokkuError


class NullBuilder:
    """Builder `null` (only when selected: `builder:set APP selected null`)."""

    name = "null"
    looks_for = ""

    def detect(self, app: str, source: Path) -> bool:
        """Never detected: the null builder must be chosen explicitly."""
        return False

    def build(self, app: str, source: Path, tags: list[str], env: dict[str, str]) -> str:
        """Give the app's current image the new tags instead of building one."""
        current = f"dokku/{app}:latest"
        if not engine.image_exists(current):
            raise DokkuError(
                f"The null builder builds nothing and {app} has no image ({current}) to deploy; "
                f"deploy one with `dokku git:from-image {app} IMAGE` or choose another builder"
            )
        output.step(f"Skipping the build (builder null): deploying {current}")
        for tag in tags:
            if tag != current:
                engine.tag_image(current, tag)
        return engine.image_id(current)
