"""storage hooks: mounts as container options; clones share them; destroys keep the data."""

from __future__ import annotations

from typing import Any

from pydokku.hookspecs import hookimpl


def _volumes(app: str) -> dict[str, Any]:
    from pydokku.plugins.storage.logic import volumes

    found = volumes(app)
    return {"volumes": found} if found else {}


@hookimpl
def docker_args_deploy(app: str, process: str) -> dict[str, Any]:
    """Return the app's bind mounts for a deploy container."""
    return _volumes(app)


@hookimpl
def docker_args_run(app: str, process: str) -> dict[str, Any]:
    """Return the app's bind mounts for a one-off, cron or release-phase container."""
    return _volumes(app)


@hookimpl
def post_app_clone_setup(old_app: str, new_app: str) -> None:
    """Mount the source app's directories into the clone too."""
    from pydokku.plugins.storage.logic import copy_mounts

    copy_mounts(old_app, new_app)


@hookimpl
def pre_delete(app: str) -> None:
    """Say that the app's mounted host directories are kept (only the mounts go)."""
    from pydokku import output
    from pydokku.plugins.storage.logic import kept_dirs_note

    note = kept_dirs_note(app)
    if note:
        output.verbose(note)
