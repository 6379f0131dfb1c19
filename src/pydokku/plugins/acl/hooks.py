"""Hook implementations of the acl plugin."""

from __future__ import annotations

from pydokku.hookspecs import hookimpl


@hookimpl
def post_app_clone_setup(old_app: str, new_app: str) -> None:
    """A clone keeps its source app's access list, so cloning opens nothing up."""
    from pydokku.plugins.acl.logic import copy_app_users

    copy_app_users(old_app, new_app)
