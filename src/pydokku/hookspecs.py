"""Every hook a plugin can implement, named after Dokku's plugin triggers.

Hooks that contribute something return it; the caller combines the results in
plugin order. Hooks marked `firstresult` ask "who handles this?".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from pydokku.cli.registry import Namespace
    from pydokku.report import ReportSection

PROJECT = "pydokku"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def commands() -> list[Namespace]:
    """Return the command namespaces this plugin adds to the CLI."""
    raise NotImplementedError


@hookspec
def install() -> None:
    """Prepare the host for this plugin (run by the installer, idempotent)."""


@hookspec
def post_create(app: str) -> None:
    """React to a newly created app."""


@hookspec
def pre_delete(app: str) -> None:
    """Clean up an app's resources before its state is removed (containers, files)."""


@hookspec
def post_delete(app: str) -> None:
    """React to an app whose state has been removed."""


@hookspec
def post_app_clone_setup(old_app: str, new_app: str) -> None:
    """Copy this plugin's per-app settings from `old_app` to the new clone."""


@hookspec
def post_app_rename(old_app: str, new_app: str) -> None:
    """Move this plugin's per-app files after an app was renamed."""


@hookspec
def post_config_update(app: str, action: str, keys: list[str], restart: bool) -> None:
    """React to config vars changed by `action` (set|unset|clear|import) on an app or --global."""


@hookspec
def report(app: str) -> ReportSection | None:
    """Return this plugin's report section for an app (shown by `dokku report`)."""


@hookspec(firstresult=True)
def user_auth(user: str, ssh_name: str, command: str, args: list[str]) -> Any:
    """Return False to deny an SSH user a command (ACL plugins hook here)."""
