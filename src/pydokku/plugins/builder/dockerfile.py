"""The Dockerfile builder: a BuildKit build of the app's Dockerfile through the engine adapter."""

from __future__ import annotations

from pathlib import Path

from pydokku import engine, output, properties, sourcetree
from pydokku.errors import DokkuError
from pydokku.validation import is_env_key

PLUGIN = "builder-dockerfile"


def dockerfile_path(app: str) -> str:
    """Return the app's Dockerfile path relative to the build dir (`dockerfile-path`)."""
    return properties.resolve(PLUGIN, app, "dockerfile-path", "Dockerfile")


def config_build_args(env: dict[str, str]) -> dict[str, str]:
    """Return every config var with a valid name as a build arg (Dokku passes them all)."""
    return {name: value for name, value in env.items() if is_env_key(name)}


class DockerfileBuilder:
    """Builder `dockerfile`."""

    name = "dockerfile"
    looks_for = "a Dockerfile"

    def detect(self, app: str, source: Path) -> bool:
        """Tell whether the source has the app's Dockerfile."""
        return sourcetree.is_file(source, dockerfile_path(app))

    def build(self, app: str, source: Path, tags: list[str], env: dict[str, str]) -> str:
        """Build the Dockerfile with BuildKit; every config var is a `--build-arg` (as Dokku)."""
        relative = dockerfile_path(app)
        _inside(source, relative)
        output.step(f"Building {app} from Dockerfile")
        from pydokku import dockerargs
        from pydokku.plugins.builder.logic import build_network

        return engine.build_image(
            str(source),
            tags,
            dockerfile=relative,
            buildargs=config_build_args(env),
            labels={engine.LABEL_DOKKU: "", engine.LABEL_APP: app},
            on_line=output.verbose,
            network=build_network(app),
            options=dockerargs.build_options(app, env),
        )


def _inside(source: Path, relative: str) -> Path:
    path = sourcetree.resolve(source, relative, f"dockerfile-path {relative}")
    if not path.is_file():
        raise DokkuError(f"No {relative} found in the pushed source")
    return path
