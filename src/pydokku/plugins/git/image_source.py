"""Deploys of prebuilt images: `git:from-image APP IMAGE` and `git:load-image APP`.

The image is tagged as the app's build (nothing is rebuilt); Procfile, app.json
and CHECKS are read from the image's WORKDIR, as Dokku does.
"""

from __future__ import annotations

import os
import posixpath
import re
import tempfile
from pathlib import Path
from typing import BinaryIO

from pydokku import engine, output, properties, state
from pydokku.errors import DokkuError
from pydokku.plugins.apps.logic import require_app
from pydokku.plugins.git.commit import DEFAULT_AUTHOR

FILE_MAX = 1 << 20
IMAGE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}\Z")


def validate_image(ref: str) -> str:
    """Return `ref` if it looks like an image reference (`name[:tag]`, `name@sha256:...`)."""
    if not IMAGE_RE.match(ref) or ".." in ref:
        raise DokkuError(f"Invalid image reference {ref[:80]!r}")
    return ref


class ImageBuilder:
    """Stands in for a builder: tags an existing image as the app's new build."""

    name = "image"
    looks_for = ""

    def __init__(self, image: str) -> None:
        self.image = image

    def detect(self, app: str, source: Path) -> bool:
        """Always applies (it is only used when chosen explicitly)."""
        return True

    def build(self, app: str, source: Path, tags: list[str], env: dict[str, str]) -> str:
        """Tag the image with the build's tags and return its id."""
        output.step(f"Deploying the prebuilt image {self.image} (no build)")
        for tag in tags:
            engine.tag_image(self.image, tag)
        return engine.image_id(self.image)


# How `builds:list` names each image source (Dokku's build sources).
BUILD_SOURCES = {"docker-image": "git:from-image", "docker-image-load": "git:load-image"}


def app_files(app: str) -> list[str]:
    """Return the app files read from an image: Procfile, app.json (at their set paths), CHECKS."""
    from pydokku.plugins.app_json.logic import appjson_path

    procfile = properties.resolve("ps", app, "procfile-path", "Procfile")
    names = [procfile, appjson_path(app), "CHECKS"]
    return [n for n in names if not n.startswith("/") and ".." not in n.split("/")]


def copy_app_files(app: str, image: str, dest: Path) -> list[str]:
    """Copy the app files present in the image's WORKDIR into `dest`; return their names."""
    workdir = str(engine.image_config(image).get("WorkingDir") or "/")
    names = app_files(app)
    found = engine.copy_from_image(image, [posixpath.join(workdir, n) for n in names])
    copied = []
    for name in names:
        data = found.get(posixpath.join(workdir, name))
        if data is not None:
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            copied.append(name)
    return copied


def from_image(
    app: str,
    image: str,
    *,
    source_kind: str = "docker-image",
    build_dir: str = "",
    author: tuple[str, str] = DEFAULT_AUTHOR,
) -> None:
    """Deploy a local image as the app's new release, then commit it to the app's repo.

    `build_dir`: a directory on this server whose app files (Procfile, app.json, CHECKS)
    replace the image's.
    """
    from pydokku.plugins.builds.record import recording
    from pydokku.plugins.deploy.logic import deploy_from_source

    require_app(app)
    validate_image(image)
    overlay = check_build_dir(build_dir) if build_dir else None
    if not engine.image_exists(image):
        raise DokkuError(
            f"Image {image} is not on this host; pull it, or send it with "
            f"`docker save IMAGE | dokku git:load-image {app}`"
        )
    build = recording(app, BUILD_SOURCES.get(source_kind, "git:from-image"))
    with build, tempfile.TemporaryDirectory(prefix=f"pydokku-{app}-") as scratch:
        copied = copy_app_files(app, image, Path(scratch))
        if overlay:
            copied = sorted({*copied, *copy_build_dir_files(app, overlay, Path(scratch))})
        if copied:
            output.step(f"Read {', '.join(copied)} from the {'build dir' if overlay else 'image'}")
        deploy_from_source(app, Path(scratch), "", builder=ImageBuilder(image))
        files = {n: _text(Path(scratch) / n) for n in copied}
    record_source(app, source_kind, image)
    _commit(app, image, files, author)


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def check_build_dir(build_dir: str) -> Path:
    """Return `build_dir` as a path if it may be read: a server directory, not over SSH."""
    from pydokku.plugins.git.remote import over_ssh

    if over_ssh():
        raise DokkuError("--build-dir reads a directory on the server; it is refused over SSH")
    path = Path(build_dir)
    if not path.is_absolute():
        raise DokkuError(f"Invalid --build-dir {build_dir[:200]!r}: not an absolute directory")
    if not path.is_dir() or not os.access(path, os.R_OK | os.X_OK):
        raise DokkuError(f"--build-dir {build_dir[:200]}: not a directory the dokku user can read")
    return path


def copy_build_dir_files(app: str, source: Path, dest: Path) -> list[str]:
    """Copy the app files found in `source` (regular files up to 1 MiB) into `dest`."""
    copied = []
    for name in app_files(app):
        found = source / name
        if found.is_symlink() or not found.is_file() or found.stat().st_size > FILE_MAX:
            continue
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(found.read_bytes())
        copied.append(name)
    return copied


def _commit(app: str, image: str, files: dict[str, str], author: tuple[str, str]) -> None:
    from pydokku.plugins.git.commit import commit_files

    tree = {**files, "Dockerfile": f"FROM {image}\n"}
    try:
        sha = commit_files(app, tree, author, f"Deploy image {image}")
    except DokkuError as exc:
        output.warn(f"Deployed, but the app's repo was not updated: {exc.message}")
        return
    output.verbose(f"Recorded as commit {sha[:7]} on the deploy branch")


def load_image(
    app: str,
    stream: BinaryIO,
    image: str = "",
    author: tuple[str, str] = DEFAULT_AUTHOR,
    *,
    build_dir: str = "",
) -> None:
    """Load a `docker save` tarball from a stream, then deploy it like `from_image`."""
    require_app(app)
    if image:
        validate_image(image)
    if build_dir:
        check_build_dir(build_dir)
    output.step("Loading the image from stdin")
    loaded = engine.load_images(stream)
    if not loaded:
        raise DokkuError("No image found in the input (expected a `docker save` tarball)")
    output.verbose(f"Loaded {', '.join(loaded)}")
    if not image:
        if len(loaded) > 1:
            raise DokkuError(f"The input holds several images; name one: {', '.join(loaded)}")
        image = loaded[0]
    from_image(app, image, source_kind="docker-image-load", build_dir=build_dir, author=author)


def record_source(app: str, kind: str, detail: str) -> None:
    """Record where the app's code came from (shown by apps:report)."""
    from pydokku.plugins.git.settings import record_deploy_source

    with state.transaction() as conn:
        record_deploy_source(conn, app, kind, detail)
