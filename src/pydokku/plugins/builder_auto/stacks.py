"""Offline stack images: one per language, Debian packages on `pydokku/base:bookworm`.

Where no registry is reachable (air-gapped servers, CI), the auto builder builds
FROM these instead of the official images. They are built on first use (or ahead
with `dokku builder-auto:build-stack`) and rebuilt when their definition changes:
each carries the digest of the Dockerfile that made it.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pydokku import engine, output, paths
from pydokku.errors import DokkuError

SUITE = "bookworm"
BASE_IMAGE = f"pydokku/base:{SUITE}"
LABEL_STACK = "com.pydokku.stack"
LABEL_DIGEST = "com.pydokku.stack-digest"
_APT = "apt-get install -y -q --no-install-recommends"
_CLEAN = "apt-get clean && rm -rf /var/lib/apt/lists/*"


@dataclass(frozen=True)
class Stack:
    """One offline stack: its Debian packages and the language version they give."""

    packages: tuple[str, ...]
    version: str
    env: dict[str, str] = field(default_factory=dict)
    backports: bool = False


STACKS: dict[str, Stack] = {
    "python": Stack(("python3", "python3-venv", "ca-certificates"), "3.11"),
    "node": Stack(("nodejs", "npm", "ca-certificates"), "18"),
    # bookworm's golang-go is 1.19, too old for most go.mod files; backports has 1.23.
    "go": Stack(
        ("golang-1.23-go", "ca-certificates"),
        "1.23",
        env={"PATH": "/usr/lib/go-1.23/bin:$PATH"},
        backports=True,
    ),
    "ruby": Stack(
        (
            *("ruby", "ruby-bundler", "ruby-dev", "build-essential"),
            *("libyaml-dev", "zlib1g-dev", "ca-certificates"),
        ),
        "3.1",
    ),
    "static": Stack(("busybox",), ""),
}


def image(name: str) -> str:
    """Return the image name of a stack (`pydokku/stack-python:bookworm`)."""
    return f"pydokku/stack-{name}:{SUITE}"


def dockerfile(name: str) -> str:
    """Return the Dockerfile that builds a stack image."""
    stack = STACKS[name]
    lines = [f"FROM {BASE_IMAGE}"]
    install = "apt-get update -q"
    if stack.backports:
        # Same mirror as the suite itself (the base image's sources come from the host's).
        lines.append(
            "RUN sed -n 's#^deb \\([^ ]*\\) "
            f"{SUITE} main$#deb \\1 {SUITE}-backports main#p' /etc/apt/sources.list "
            "> /etc/apt/sources.list.d/backports.list"
        )
    install += f" && {_APT} {' '.join(stack.packages)} && {_CLEAN}"
    lines.append(f"RUN {install}")
    if stack.env:
        lines.append("ENV " + " ".join(f"{k}={v}" for k, v in stack.env.items()))
    return "\n".join(lines) + "\n"


def digest(name: str) -> str:
    """Return the digest of a stack's definition (stored as a label on its image)."""
    return hashlib.sha256(dockerfile(name).encode()).hexdigest()[:16]


def status(name: str) -> str:
    """Return `ready`, `outdated` or `missing` for a stack image."""
    if not engine.image_exists(image(name)):
        return "missing"
    labels = engine.image_config(image(name)).get("Labels") or {}
    return "ready" if labels.get(LABEL_DIGEST) == digest(name) else "outdated"


def ensure(names: list[str], *, force: bool = False) -> None:
    """Build the stack images that are missing or outdated (all of `names` with `force`)."""
    for name in names:
        if force or status(name) != "ready":
            with _stack_lock():
                if force or status(name) != "ready":  # another build may have made it
                    build(name)


def build(name: str) -> str:
    """Build one stack image with progress lines; return its image id."""
    if name not in STACKS:
        raise DokkuError(f"Unknown stack {name!r}; stacks: {', '.join(STACKS)}")
    if not engine.image_exists(BASE_IMAGE):
        raise DokkuError(
            f"The offline base image {BASE_IMAGE} is missing; make it as root with "
            "`scripts/make-base-image` (install.sh does), or make a registry reachable"
        )
    stack = STACKS[name]
    output.step(f"Building the {name} stack {image(name)} (Debian: {' '.join(stack.packages)})")
    started = time.monotonic()
    from pydokku.plugins.builder.logic import build_network

    with tempfile.TemporaryDirectory(prefix="pydokku-stack-") as context:
        (Path(context) / "Dockerfile").write_text(dockerfile(name), encoding="utf-8")
        try:
            image_id = engine.build_image(
                context,
                [image(name)],
                labels={LABEL_STACK: name, LABEL_DIGEST: digest(name)},
                on_line=_progress,
                network=build_network(None),
            )
        except DokkuError as exc:
            raise DokkuError(
                f"Cannot build the {name} stack (it installs Debian packages from the mirror "
                f"of {BASE_IMAGE}'s apt sources): {exc.message}"
            ) from exc
    output.step(f"Built {image(name)} in {time.monotonic() - started:.0f} s")
    return image_id


def _progress(line: str) -> None:
    """Show BuildKit's step headers (`#5 [2/3] RUN ...`), not every line of apt's output."""
    head, _, rest = line.partition(" ")
    if head.startswith("#") and rest.startswith("["):
        output.verbose(line)


@contextmanager
def _stack_lock() -> Iterator[None]:
    """Serialize stack builds across processes (two first pushes at once build once)."""
    import fcntl

    directory = paths.lib_root() / "data" / "builder-auto"
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / "stacks.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
