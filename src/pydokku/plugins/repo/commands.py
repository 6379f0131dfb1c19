"""repo:gc and repo:purge-cache."""

from __future__ import annotations

from pydokku import output
from pydokku.cli.registry import Context, Namespace, arg
from pydokku.plugins.apps.logic import require_app
from pydokku.plugins.repo import logic

repo = Namespace("repo", "Manage the app's repo")
NAMESPACES = [repo]


@repo.command("gc", "<app>")
@arg("app")
def gc(ctx: Context, app: str) -> None:
    """Run 'git gc --aggressive' against the app's repo."""
    output.step(f"Running git gc on the repo of {require_app(app)}")
    logic.gc(app)


@repo.command("purge-cache", "<app>")
@arg("app")
def purge_cache(ctx: Context, app: str) -> None:
    """Delete the app's build cache: build containers, cache volume and untagged images."""
    output.step(f"Purging the build cache of {require_app(app)}")
    removed = logic.purge_cache(app)
    output.verbose(f"Removed {removed} item(s)" if removed else "Nothing to purge")
