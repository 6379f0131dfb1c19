"""Every hook a plugin can implement, named after Dokku's plugin triggers.

Hooks that contribute something return it; the caller combines the results in
plugin order. Hooks marked `firstresult` ask "who handles this?".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from pydokku.cli.registry import Namespace
    from pydokku.release import Release
    from pydokku.report import ReportSection
    from pydokku.strategies import Builder, Proxy, Scheduler

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


@hookspec
def builders() -> dict[str, Builder]:
    """Return the builders this plugin offers, by name."""
    raise NotImplementedError


@hookspec
def schedulers() -> dict[str, Scheduler]:
    """Return the schedulers this plugin offers, by name."""
    raise NotImplementedError


@hookspec
def proxies() -> dict[str, Proxy]:
    """Return the proxies this plugin offers, by name."""
    raise NotImplementedError


@hookspec
def pre_build(app: str, source: str) -> None:
    """Inspect or change the extracted source tree before the image is built."""


@hookspec
def post_build(app: str, image: str) -> None:
    """React to a freshly built image."""


@hookspec
def docker_args_build(app: str) -> dict[str, Any]:
    """Return options for the app's image build (Docker SDK `APIClient.build` keywords)."""
    raise NotImplementedError


@hookspec
def docker_args_deploy(app: str, process: str) -> dict[str, Any]:
    """Return options (Docker SDK `containers.run` keywords, `networks`) for a deploy container."""
    raise NotImplementedError


@hookspec
def docker_args_run(app: str, process: str) -> dict[str, Any]:
    """Return options (Docker SDK `containers.run` keywords, `networks`) for a one-off container."""
    raise NotImplementedError


@hookspec
def app_json_is_valid(app: str, app_json: dict[str, Any]) -> None:
    """Raise a DokkuError when a pushed app.json cannot be deployed (checked before the build)."""


@hookspec
def core_post_deploy(app: str, containers: list[str]) -> None:
    """React to new deploy containers that passed their checks, before the proxy uses them."""


@hookspec
def pre_deploy(release: Release) -> None:
    """Run before a release's containers start (release phase lives here)."""


@hookspec
def post_deploy(release: Release) -> None:
    """React to a release whose containers serve and whose proxy points at them."""


@hookspec
def proxy_build_config(app: str) -> None:
    """React to the app's proxy config being rebuilt."""


@hookspec
def post_domains_update(app: str, action: str, domains: list[str]) -> None:
    """React to domains added, removed or set on an app (or `--global`)."""


@hookspec
def git_pre_receive(app: str, rev: str, ref: str) -> None:
    """Inspect a pushed revision before it is deployed; raise to reject the push."""


@hookspec
def pre_start(app: str) -> None:
    """Prepare what an app needs before its containers start (linked services) on restore/start."""


@hookspec
def uninstall(plugin: str) -> None:
    """Remove what this plugin set up on the host, before `plugin:uninstall PLUGIN` removes it."""


@hookspec
def update() -> None:
    """Bring the host up to date after `plugin:update` (run for every plugin, idempotent)."""
