"""Hook implementations of the nginx plugin."""

from __future__ import annotations

from pydokku.hookspecs import hookimpl
from pydokku.report import ReportSection

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from pydokku.strategies import Proxy


@hookimpl
def proxies() -> dict[str, Proxy]:
    """Offer the nginx proxy."""
    from pydokku.plugins.nginx.logic import NginxProxy

    return {"nginx": NginxProxy()}


@hookimpl
def pre_build(app: str, source: str) -> None:
    """Warn that a custom nginx template in the source is not rendered (see logic)."""
    from pydokku import output
    from pydokku.plugins.nginx.logic import custom_template_notice

    notice = custom_template_notice(app, source)
    if notice:
        output.warn(notice)


@hookimpl
def install() -> None:
    """Put dokku.conf, the default vhost and the nginx sudo rule in place."""
    from pydokku import output
    from pydokku.plugins.nginx.install import install_host_config, install_sudoers

    for line in install_host_config():
        output.verbose(line)
    if install_sudoers():
        output.verbose("Wrote the nginx sudo rule for the dokku user")


@hookimpl
def pre_delete(app: str) -> None:
    """Remove a destroyed app's nginx config so nginx stops serving it."""
    from pydokku import output
    from pydokku.errors import DokkuError
    from pydokku.plugins.nginx.logic import clear_config

    try:
        clear_config(app)
    except DokkuError as exc:
        output.warn(f"Could not remove the nginx config of {app}: {exc.message}")


@hookimpl(trylast=True)  # after the domains plugin renamed the app's default domains
def post_app_rename(old_app: str, new_app: str) -> None:
    """Rebuild a renamed app's nginx config (upstream names and log paths changed)."""
    from pydokku import output
    from pydokku.errors import DokkuError
    from pydokku.plugins.nginx import logic, render

    if not render.config_path(new_app).exists():
        return
    try:
        logic.build_config(new_app)
    except DokkuError as exc:
        output.warn(f"Could not rebuild the nginx config of {new_app}: {exc.message}")


@hookimpl
def post_app_clone_setup(old_app: str, new_app: str) -> None:
    """Drop the nginx config copied with the clone's directory (it names the old app)."""
    from pydokku.plugins.nginx.logic import discard_config

    discard_config(new_app)


@hookimpl
def report(app: str) -> ReportSection:
    """Report an app's nginx settings."""
    from pydokku.plugins.nginx.commands import report_section

    return report_section(app)
