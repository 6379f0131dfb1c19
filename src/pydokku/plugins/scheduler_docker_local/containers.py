"""Pure descriptions of an app's containers: names, labels, env and commands."""

from __future__ import annotations

import re
import shlex

from pydokku import engine
from pydokku.release import Release

CONTAINER_TYPE_LABEL = "com.dokku.container-type"
RELEASE_LABEL = "com.dokku.release"
_VAR_RE = re.compile(r"\$(?:\{(\w+)\}|(\w+))")


def container_name(app: str, process: str, index: int) -> str:
    """Return Dokku's container name `APP.PROCESS.N`."""
    return f"{app}.{process}.{index}"


def staging_name(app: str, process: str, index: int, version: int) -> str:
    """Return the name a new container has until it replaces the live one."""
    return f"{app}.{process}.{index}.v{version}"


def retired_name(app: str, process: str, index: int, version: int) -> str:
    """Return the name an old container has while it waits to be retired."""
    return f"{app}.{process}.{index}.retired-v{version}"


def labels(release: Release, process: str, index: int) -> dict[str, str]:
    """Return the labels of a deploy container (Dokku's names, plus the release)."""
    return {
        engine.LABEL_DOKKU: "",
        engine.LABEL_APP: release.app,
        engine.LABEL_PROCESS: process,
        engine.LABEL_DYNO: f"{process}.{index}",
        CONTAINER_TYPE_LABEL: "deploy",
        RELEASE_LABEL: str(release.version),
    }


def environment(release: Release, process: str, index: int, rev_var: str) -> dict[str, str]:
    """Return a process's env: the release's config, DYNO, PORT for web, and the git rev."""
    env = dict(release.config)
    env["DYNO"] = f"{process}.{index}"
    if process == "web":
        env["PORT"] = str(release.web_port)
    if rev_var and release.git_rev:
        env[rev_var] = release.git_rev
    return env


def command(
    release: Release,
    process: str,
    entrypoint: list[str] | None,
    env: dict[str, str],
    start_cmd: str = "",
    dockerfile_start_cmd: str = "",
) -> list[str] | None:
    """Return the container command for a process, or None for the image's own CMD.

    Procfile commands run through `/bin/sh -c` as on Heroku, so `$PORT` expands;
    an image with an ENTRYPOINT gets the words instead, with `$VAR`s expanded here.
    `start_cmd` (ps start-cmd) replaces every process's line; `dockerfile_start_cmd`
    (ps dockerfile-start-cmd) replaces the command words, as `docker run IMAGE ARGS`.
    """
    if dockerfile_start_cmd:
        return shlex.split(expand_vars(dockerfile_start_cmd, env))
    line = start_cmd or release.procfile.get(process)
    if not line:
        return None
    if entrypoint:
        return shlex.split(expand_vars(line, env))
    return ["/bin/sh", "-c", f"exec {line}"]


def expand_vars(text: str, env: dict[str, str]) -> str:
    """Replace `$NAME` and `${NAME}` with values from `env` (unknown names stay)."""
    return _VAR_RE.sub(lambda m: env.get(m.group(1) or m.group(2), m.group(0)), text)
