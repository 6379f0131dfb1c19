"""Release history, rollback, and pruning of old images."""

from __future__ import annotations

from pydokku import engine, output, properties, release, state, vault
from pydokku.errors import DokkuError
from pydokku.plugins.apps.logic import require_app
from pydokku.release import Release
from pydokku.validation import GLOBAL_SCOPE

PLUGIN = "releases"
DEFAULT_KEEP = 5


def keep_count(app: str) -> int:
    """Return how many releases' images are kept (`releases:set keep`)."""
    return int(properties.resolve(PLUGIN, app, "keep", str(DEFAULT_KEEP)))


def find(app: str, version: str) -> Release:
    """Return release `vN` (or `N`) of an app."""
    number = version.removeprefix("v")
    if not number.isdigit():
        raise DokkuError(f"Invalid release {version!r}: expected vN")
    found = release.get(require_app(app), int(number))
    if found is None:
        raise DokkuError(f"Release v{number} of {app} does not exist")
    return found


def changes(app: str, rel: Release) -> list[str]:
    """Describe what a release changed against the one before it."""
    before = next(
        (r for r in release.history(app) if r.version < rel.version and r.status == "succeeded"),
        None,
    )
    if before is None:
        return ["first release"]
    return difference(before, rel) or ["no change"]


def difference(before: Release, after: Release) -> list[str]:
    """Describe, in words, how `after` differs from `before`: image, config keys, formation.

    Config values are never printed (they may be secrets), only which keys moved.
    """
    lines = []
    if after.image != before.image:
        lines.append(f"image {before.image} -> {after.image}")
    old, new = before.config, after.config
    for key in sorted(set(new) | set(old)):
        if key not in old:
            lines.append(f"config {key} added")
        elif key not in new:
            lines.append(f"config {key} removed")
        elif new[key] != old[key]:
            lines.append(f"config {key} changed")
    if after.formation and after.formation != before.formation:
        lines.append(
            f"formation {formation_words(before.formation)} -> {formation_words(after.formation)}"
        )
    return lines


def formation_words(formation: dict[str, int]) -> str:
    """Return a formation as `web=1 worker=0` (`none` when empty)."""
    return " ".join(f"{p}={q}" for p, q in sorted(formation.items())) or "none"


def previous_deployable(app: str) -> Release:
    """Return the succeeded release before the current one, with its image still present."""
    current = release.current(app)
    if current is None:
        raise DokkuError(f"App {app} has not been deployed")
    for rel in release.history(app):
        if rel.version < current.version and rel.status == "succeeded" and rel.image:
            return rel
    raise DokkuError(f"App {app} has no earlier release to roll back to")


def rollback(app: str, version: str | None) -> Release:
    """Deploy an earlier release's image with that release's config, as a new release."""
    from pydokku.plugins.deploy.lock import deploy_lock
    from pydokku.plugins.deploy.logic import deploy_release

    require_app(app)
    with deploy_lock(app):
        target = find(app, version) if version else previous_deployable(app)
        if not target.image or not engine.image_exists(target.image):
            raise DokkuError(f"The image of v{target.version} is gone (releases:set keep)")
        output.step(f"Rolling back {app} to v{target.version}")
        current = release.current(app)
        if current is not None:
            for line in difference(current, target) or ["no change in image or config"]:
                output.verbose(line)
        _restore_config(app, target.config)
        again = Release(
            app,
            kind="rollback",
            image=target.image,
            image_id=target.image_id,
            git_rev=target.git_rev,
            procfile=target.procfile,
            app_json=target.app_json,
            description=f"Rollback to v{target.version}",
        )
        return deploy_release(again, config=target.config)


def _restore_config(app: str, snapshot: dict[str, str]) -> None:
    """Make the app's own vars give `snapshot` once merged over the global ones."""
    from pydokku.plugins.config.logic import get_env

    global_env = get_env(GLOBAL_SCOPE)
    own = {k: v for k, v in snapshot.items() if global_env.get(k) != v}
    with state.transaction() as conn:
        conn.execute("DELETE FROM config WHERE app = ?", (app,))
        conn.executemany(
            "INSERT INTO config (app, key, value) VALUES (?, ?, ?)",
            [(app, k, vault.seal(conn, v)) for k, v in own.items()],
        )
        state.record_event(conn, app, "config:restore", " ".join(sorted(own)))


def prune(app: str) -> list[str]:
    """Remove images no kept release uses, and the app's exited containers."""
    keep = keep_count(app)
    succeeded = [r for r in release.history(app, 1000) if r.status == "succeeded" and r.image]
    kept_images: list[str] = []
    for rel in succeeded:
        if rel.image not in kept_images:
            kept_images.append(rel.image)
        if len(kept_images) >= keep:
            break
    live_images = {
        c.image for c in engine.containers({engine.LABEL_APP: app}, include_stopped=False)
    }
    removed = []
    repository = f"dokku/{app}"
    for image_id, tags in engine.images(repository):
        names = set(tags)
        if names & (set(kept_images) | live_images | {f"{repository}:latest"}):
            continue
        engine.remove_image(image_id)
        removed.extend(tags)
    for info in engine.containers({engine.LABEL_APP: app}):
        if (
            not info.running
            and ".retired-" not in info.name
            and info.labels.get("com.dokku.container-type") != "deploy"
        ):
            engine.remove_container(info.name)
    return removed
