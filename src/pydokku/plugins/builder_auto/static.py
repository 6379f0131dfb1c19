"""Static sites: a `.static` marker or an index.html, served by busybox httpd on $PORT."""

from __future__ import annotations

from pathlib import Path

from pydokku.plugins.builder_auto import plan as p

REGISTRY_IMAGE = "busybox:stable"
# Dotfiles (.git, .env, .static) are not published.
_DROP_DOTFILES = "find . -mindepth 1 -name '.*' -prune -exec rm -rf {} +"


def marked(source: Path) -> bool:
    """Tell whether the app says it is a static site (a `.static` file)."""
    return p.is_file(source, ".static")


def detect(source: Path) -> bool:
    """Tell whether the source is a static site (`.static` or an index.html)."""
    return marked(source) or p.is_file(source, "index.html")


def web_root(source: Path) -> str:
    """Return the directory served: `www/` when a `.static` app has one, else the root."""
    if marked(source) and (source / "www").is_dir() and not (source / "www").is_symlink():
        return "www"
    return "."


def plan(source: Path, base: p.Base) -> p.BuildPlan:
    """Return the build plan of a static site."""
    root = web_root(source)
    served = p.APP_DIR if root == "." else f"{p.APP_DIR}/{root}"
    return p.BuildPlan(
        "static",
        ".static" if marked(source) else "index.html",
        "",
        base.stack("static") if base.offline else REGISTRY_IMAGE,
        stacks=["static"] if base.offline else [],
        build=[_DROP_DOTFILES],
        web=f'busybox httpd -f -v -p "$PORT" -h {served}',
        build_config=False,
    )
