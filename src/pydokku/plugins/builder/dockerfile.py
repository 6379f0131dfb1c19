"""The Dockerfile builder: `docker build` of the app's Dockerfile through the engine adapter."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from pydokku import engine, output, properties, sourcetree
from pydokku.errors import DokkuError

PLUGIN = "builder-dockerfile"
_ARG_RE = re.compile(r"^\s*ARG\s+(.+)$", re.IGNORECASE)


def dockerfile_path(app: str) -> str:
    """Return the app's Dockerfile path relative to the build dir (`dockerfile-path`)."""
    return properties.resolve(PLUGIN, app, "dockerfile-path", "Dockerfile")


def declared_args(dockerfile_text: str) -> list[str]:
    """Return the names of the build ARGs a Dockerfile declares."""
    found: list[str] = []
    for line in dockerfile_text.splitlines():
        match = _ARG_RE.match(line)
        if not match:
            continue
        for word in _words(match.group(1)):
            name = word.split("=", 1)[0]
            if name and name not in found:
                found.append(name)
    return found


def _words(text: str) -> list[str]:
    """Split ARG operands as Docker does, so a quoted default (`A="x y"`) stays one word."""
    try:
        return shlex.split(text)
    except ValueError:  # unbalanced quotes: Docker refuses the file; don't guess here
        return text.split()


def build_args(dockerfile_text: str, env: dict[str, str]) -> dict[str, str]:
    """Return the config vars the Dockerfile declares as ARGs, as build args."""
    return {name: env[name] for name in declared_args(dockerfile_text) if name in env}


class DockerfileBuilder:
    """Builder `dockerfile`."""

    name = "dockerfile"
    looks_for = "a Dockerfile"

    def detect(self, app: str, source: Path) -> bool:
        """Tell whether the source has the app's Dockerfile."""
        return sourcetree.is_file(source, dockerfile_path(app))

    def build(self, app: str, source: Path, tags: list[str], env: dict[str, str]) -> str:
        """Build the Dockerfile into an image; config vars fill declared ARGs."""
        relative = dockerfile_path(app)
        _inside(source, relative)
        output.step(f"Building {app} from Dockerfile")
        data = sourcetree.read_bytes(source, relative, what=f"dockerfile-path {relative}")
        text = data.decode("utf-8", errors="replace")
        from pydokku import dockerargs

        return engine.build_image(
            str(source),
            tags,
            dockerfile=relative,
            buildargs=build_args(text, env),
            labels={engine.LABEL_DOKKU: "", engine.LABEL_APP: app},
            on_line=output.verbose,
            options=dockerargs.build_options(app, env),
        )


def _inside(source: Path, relative: str) -> Path:
    path = sourcetree.resolve(source, relative, f"dockerfile-path {relative}")
    if not path.is_file():
        raise DokkuError(f"No {relative} found in the pushed source")
    return path
