"""The auto builder: detect the language, plan, generate a Dockerfile, `docker build` it."""

from __future__ import annotations

import re
from pathlib import Path

from pydokku import engine, output
from pydokku.plugins.builder import certs
from pydokku.plugins.builder.logic import record_detected
from pydokku.plugins.builder_auto import bases, detect, render, stacks
from pydokku.plugins.builder_auto.plan import BuildPlan
from pydokku.plugins.builder_auto.progress import UserSteps
from pydokku.validation import is_env_key

DOCKERFILE_NAME = ".pydokku.Dockerfile"  # written into the build context, kept out of the image
_RESERVED_ARGS = {render.CA_ARG, *certs.PROXY_VARS}
CACHE_KEY = "cache-mounts"


class Generated:
    """A plan and its Dockerfile for one app, with what went into them."""

    def __init__(self, plan: BuildPlan, text: str, reason: str, ca_bundle: str) -> None:
        self.plan = plan
        self.text = text
        self.reason = reason
        self.ca_bundle = ca_bundle


def build_arg_keys(env: dict[str, str]) -> list[str]:
    """Return the config var names that become build ARGs (valid names, not reserved)."""
    return sorted(k for k in env if is_env_key(k) and k not in _RESERVED_ARGS)


def generate(app: str, source: Path, config_keys: list[str]) -> Generated:
    """Plan the build of a source tree and render its Dockerfile (no Docker build)."""
    base, reason = bases.choose(app)
    plan = detect.make_plan(source, base)
    bundle = certs.build_bundle(app)
    text = render.render(
        plan,
        app=app,
        config_keys=config_keys,
        ca_certificates=bool(bundle),
        cache_mounts=cache_mounts(app),
    )
    return Generated(plan, text, f"{base.mode}: {reason}", bundle)


def cache_mounts(app: str) -> bool:
    """Tell whether builds cache dependency downloads (`builder-auto:set cache-mounts`)."""
    from pydokku import properties

    return properties.resolve(bases.PLUGIN, app, CACHE_KEY, "true") == "true"


def procfile_has_web(app: str, source: Path) -> bool:
    """Tell whether the app's Procfile (ps procfile-path) declares a web process."""
    from pydokku import properties
    from pydokku.plugins.builder_auto.plan import read_text

    name = properties.resolve("ps", app, "procfile-path", "Procfile")
    return re.search(r"(?m)^web\s*:", read_text(source, name)) is not None


def write_context(source: Path, dockerfile: str) -> None:
    """Put the Dockerfile in the context and list it in .dockerignore so COPY skips it."""
    target = source / DOCKERFILE_NAME
    target.unlink(missing_ok=True)  # never write through a symlink from the repo
    target.write_text(dockerfile, encoding="utf-8")
    ignore = source / ".dockerignore"
    existing = ""
    if ignore.is_file() and ignore.resolve().is_relative_to(source.resolve()):
        existing = ignore.read_text(encoding="utf-8", errors="replace")
    ignore.unlink(missing_ok=True)
    added = [DOCKERFILE_NAME] if existing else [DOCKERFILE_NAME, ".dockerignore"]
    prefix = existing if not existing or existing.endswith("\n") else existing + "\n"
    ignore.write_text(prefix + "\n".join(added) + "\n", encoding="utf-8")


class AutoBuilder:
    """Builder `auto`: language detection and a generated Dockerfile."""

    name = "auto"
    looks_for = detect.LOOKED_FOR

    def __init__(self, *, nocache: bool = False) -> None:
        self.nocache = nocache

    def detect(self, app: str, source: Path) -> bool:
        """Tell whether a supported language is detected in the source."""
        return detect.language(source) is not None

    def build(self, app: str, source: Path, tags: list[str], env: dict[str, str]) -> str:
        """Build the source with a generated Dockerfile; config vars are build ARGs."""
        keys = build_arg_keys(env)
        generated = generate(app, source, keys)
        plan = generated.plan
        output.step(f"Building {app} with the auto builder: {plan.summary}")
        output.verbose(f"Base image {plan.base_image} ({generated.reason})")
        for warning in plan.warnings:
            output.warn(warning)
        if not plan.web and not procfile_has_web(app, source):
            output.warn(f"No default web process for this {plan.language} app: add a Procfile")
        stacks.ensure(plan.stacks)
        write_context(source, generated.text)
        buildargs = {k: env[k] for k in keys} if plan.build_config else {}
        buildargs.update(certs.proxy_args())
        if generated.ca_bundle and plan.ca_env:
            buildargs[render.CA_ARG] = generated.ca_bundle
        from pydokku import dockerargs
        from pydokku.plugins.builder.logic import build_network

        image_id = engine.build_image(
            str(source),
            tags,
            dockerfile=DOCKERFILE_NAME,
            buildargs=buildargs,
            on_line=UserSteps(output.verbose, {render.CA_ARG: "the host's CA certificates"}),
            nocache=self.nocache,
            network=build_network(app),
            options=dockerargs.build_options(app, env),
        )
        record_detected(
            app,
            "auto",
            detected_language=plan.summary,
            base_image=plan.base_image,
            base_source=generated.reason,
        )
        return image_id
