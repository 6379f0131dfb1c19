"""repo:gc and repo:purge-cache."""

from __future__ import annotations

import os
from pathlib import Path

from pydokku import engine, output, runner
from pydokku.errors import DokkuError
from pydokku.plugins.apps.logic import require_app
from pydokku.plugins.git import repo

GC_TIMEOUT_S = 3600
BUILD_STAGE_LABEL = "com.dokku.image-stage"


def gc(app: str) -> None:
    """Run `git gc --aggressive` on the app's repo, keeping its loose branch refs.

    gc packs refs and deletes `refs/heads/*`; `git:report` reads when the deploy
    branch last moved from that file's time, so each one is put back as it was.
    """
    path = repo.repo_path(require_app(app))
    if not repo.is_bare_repo(path):
        raise DokkuError(f"App {app} has no git repo; run `dokku git:initialize {app}`")
    heads = _loose_heads(path / "refs" / "heads")
    try:
        runner.run(
            repo.git_argv(path, "gc", "--aggressive", "--quiet"),
            env=repo.clean_env(),
            timeout=GC_TIMEOUT_S,
        )
    finally:
        _restore_heads(heads)


def _loose_heads(directory: Path) -> dict[Path, tuple[bytes, float]]:
    found: dict[Path, tuple[bytes, float]] = {}
    for root, _dirs, files in os.walk(directory):
        for name in files:
            path = Path(root) / name
            found[path] = (path.read_bytes(), path.stat().st_mtime)
    return found


def _restore_heads(heads: dict[Path, tuple[bytes, float]]) -> None:
    for path, (content, mtime) in heads.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        os.utime(path, (mtime, mtime))


def purge_cache(app: str) -> int:
    """Remove the app's build leftovers: build containers, the cache volume, untagged images.

    Returns how many things went. Images of releases stay (rollbacks need them).
    """
    require_app(app)
    removed = 0
    labels = {engine.LABEL_APP: app, BUILD_STAGE_LABEL: "build"}
    for info in engine.labelled_containers(labels):
        engine.remove_container(info.id)
        output.verbose(f"Removed build container {info.name}")
        removed += 1
    if engine.remove_volume(f"cache-{app}"):
        output.verbose(f"Removed volume cache-{app}")
        removed += 1
    for image_id in engine.dangling_images({engine.LABEL_DOKKU: "", engine.LABEL_APP: app}):
        if engine.remove_unused_image(image_id):
            removed += 1
    return removed
