"""Which image a new service runs: the official one from a registry, or an offline build.

Order: `-i/-I` (or `<TYPE>_IMAGE` / `<TYPE>_IMAGE_VERSION` in the environment, as in
Dokku) > the plugin's default official image. An image already on the host is used as
is. Otherwise the registry is asked for the manifest with a short timeout; if it answers
the image is pulled, if not (air-gapped hosts, CI) the plugin's offline recipe is built
once from the Debian base image and cached under its own tag. `PYDOKKU_SERVICE_IMAGES`
= `official` or `offline` skips the guess.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pydokku import engine, output
from pydokku.errors import DokkuError
from pydokku.services.spec import BASE_IMAGE, OfflineImage, ServiceType
from pydokku.services.store import services_root

RECIPE_LABEL = "com.pydokku.service-recipe"
MODE_VAR = "PYDOKKU_SERVICE_IMAGES"
PROBE_TIMEOUT_S = 10.0


class ImageChoice:
    """The image a service runs, its version, and why it was chosen."""

    def __init__(self, ref: str, version: str, source: str) -> None:
        self.ref = ref
        self.version = version
        self.source = source


def requested(stype: ServiceType, image: str, version: str) -> tuple[str, str, bool]:
    """Return (image, version, explicit) from flags, then env vars, then the defaults."""
    prefix = stype.name.upper().replace("-", "_")
    image = image or os.environ.get(f"{prefix}_IMAGE", "")
    version = version or os.environ.get(f"{prefix}_IMAGE_VERSION", "")
    explicit = bool(image or version)
    return image or stype.image, version or stype.version, explicit


def validate_ref(image: str, version: str) -> None:
    """Refuse image names and tags Docker would not accept (before anything runs)."""
    import re

    last = image.rsplit("/", 1)[-1]
    if not re.match(r"^[a-z0-9][a-z0-9._/:-]{0,254}\Z", image) or ":" in last:
        raise DokkuError(f"Invalid image name {image!r}")
    if not re.match(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\Z", version):
        raise DokkuError(f"Invalid image version {version!r}")


def choose(stype: ServiceType, image: str = "", version: str = "") -> ImageChoice:
    """Decide, and make present, the image of a new service (see the module docstring)."""
    image, version, explicit = requested(stype, image, version)
    validate_ref(image, version)
    ref = f"{image}:{version}"
    mode = os.environ.get(MODE_VAR, "auto")
    if mode != "offline":
        if engine.image_exists(ref):
            return ImageChoice(ref, version, "present on this host")
        problem = engine.registry_problem(ref, PROBE_TIMEOUT_S)
        if problem is None:
            output.step(f"Pulling image {ref}")
            engine.pull_image(ref, output.verbose)
            return ImageChoice(ref, version, "pulled from the registry")
        reason = f"registry unreachable: {problem}"
    else:
        reason = f"{MODE_VAR}=offline"
    offline = stype.offline
    if mode == "official" or (explicit and (image, version) != (stype.image, offline.version)):
        raise DokkuError(
            f"Cannot use {ref} ({reason}). Offline, only {stype.title} {offline.version} "
            f"(Debian packages) can be used: omit -i/-I, or give -I {offline.version}"
        )
    ensure_offline_image(stype)
    return ImageChoice(offline.tag, offline.version, f"offline build of Debian packages ({reason})")


def recipe_digest(offline: OfflineImage) -> str:
    """Return a digest of the recipe: a changed recipe gets a fresh build."""
    digest = hashlib.sha256(offline.dockerfile.encode())
    for name, path in sorted(offline.files.items()):
        digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def ensure_offline_image(stype: ServiceType) -> str:
    """Build the offline image of a type unless the same recipe is already built; return it."""
    offline = stype.offline
    digest = recipe_digest(offline)
    with _build_lock(stype):
        if _built_from(offline.tag) == digest:
            output.step(f"Using the offline image {offline.tag} (built before)")
            return offline.tag
        if not engine.image_exists(BASE_IMAGE):
            raise DokkuError(
                f"The base image {BASE_IMAGE} is missing; build it with scripts/make-base-image "
                "(as root), or make a registry reachable"
            )
        output.step(f"Building the offline image {offline.tag} from {BASE_IMAGE} (once)")
        with tempfile.TemporaryDirectory(prefix=f"pydokku-{stype.name}-image-") as tmp:
            context = Path(tmp)
            (context / "Dockerfile").write_text(offline.dockerfile, encoding="utf-8")
            for name, path in offline.files.items():
                shutil.copyfile(path, context / name)
                (context / name).chmod(0o755)
            from pydokku.plugins.builder.logic import build_network

            engine.build_image(
                str(context),
                [offline.tag],
                labels={RECIPE_LABEL: digest},
                on_line=output.verbose,
                network=build_network(None),
            )
    return offline.tag


def _built_from(tag: str) -> str:
    if not engine.image_exists(tag):
        return ""
    return str((engine.image_config(tag).get("Labels") or {}).get(RECIPE_LABEL, ""))


@contextlib.contextmanager
def _build_lock(stype: ServiceType) -> Iterator[None]:
    """Let one process build a type's image; concurrent creates wait and reuse it."""
    root = services_root(stype)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".image-build.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
