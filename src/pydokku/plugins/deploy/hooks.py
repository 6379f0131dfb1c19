"""Hook implementations of the deploy pipeline: restarts on config change, cleanup on destroy."""

from __future__ import annotations

from pydokku import engine, output, release
from pydokku.hookspecs import hookimpl


@hookimpl
def post_config_update(app: str, action: str, keys: list[str], restart: bool) -> None:
    """Restart a deployed app with its new config (a new release), unless told not to."""
    if not restart or release.current(app) is None:
        return
    from pydokku.plugins.deploy.logic import redeploy
    from pydokku.plugins.ps.logic import is_stopped

    if is_stopped(app):
        return
    output.step(f"Restarting app {app}")
    redeploy(app, "config", f"Config {action}: {' '.join(keys)}")


@hookimpl
def pre_delete(app: str) -> None:
    """Remove the app's containers, proxy config and images."""
    from pydokku import strategies
    from pydokku.plugins.deploy.logic import image_repository

    strategies.scheduler_for(app).destroy(app)
    strategies.proxy_for(app).clear_config(app)
    for image_id, _ in engine.images(image_repository(app)):
        engine.remove_image(image_id)


@hookimpl
def post_app_rename(old_app: str, new_app: str) -> None:
    """Move the app's containers and images to the new name and redeploy it."""
    from pydokku import state, strategies
    from pydokku.plugins.deploy.logic import image_repository, redeploy

    strategies.scheduler_for(new_app).destroy(old_app)
    strategies.proxy_for(new_app).clear_config(old_app)
    images = engine.images(image_repository(old_app))
    for _, tags in images:
        for tag in tags:
            engine.tag_image(tag, image_repository(new_app) + ":" + tag.rpartition(":")[2])
            engine.remove_image(tag)
    with state.transaction() as conn:
        conn.execute(
            "UPDATE releases SET image = ? || substr(image, ?) WHERE app = ?",
            (image_repository(new_app), len(image_repository(old_app)) + 1, new_app),
        )
    if release.current(new_app) is not None:
        redeploy(new_app, "deploy", f"Renamed from {old_app}")
