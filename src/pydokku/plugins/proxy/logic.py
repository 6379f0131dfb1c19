"""Which proxy fronts an app, whether it is enabled, and (re)building its config.

The deploy pipeline and other plugins call `build_config(app)` / `rebuild_if_running(app)`
here rather than the proxy directly, so a disabled proxy is respected everywhere.
"""

from __future__ import annotations

import re

from pydokku import output, properties, state, strategies
from pydokku.errors import DokkuError

PLUGIN = "proxy"
DEFAULT_TYPE = "nginx"
TYPE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*\Z")

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from pydokku.strategies import Scheduler


def validate_type(value: str) -> str | None:
    """Property validator: a proxy name such as `nginx`."""
    return None if TYPE_RE.match(value) else "expected a proxy name such as nginx"


def validate_port(value: str) -> str | None:
    """Property validator: a TCP port for `proxy-port` / `proxy-ssl-port`."""
    if value.isascii() and value.isdigit() and 0 < int(value) < 65536:
        return None
    return "expected a port from 1 to 65535"


def proxy_type(app: str) -> str:
    """Return the proxy selected for an app (`proxy:set type`, default nginx)."""
    return properties.resolve(PLUGIN, app, "type", DEFAULT_TYPE)


def is_enabled(app: str) -> bool:
    """Tell whether an app's traffic goes through the proxy (`proxy:enable`, the default)."""
    return properties.get(PLUGIN, app, "enabled") != "false"


def set_enabled(app: str, enabled: bool) -> None:
    """Enable or disable the proxy of an app; disabling removes its config."""
    with state.transaction() as conn:
        properties.store(conn, PLUGIN, app, "enabled", "true" if enabled else "false")
    if enabled:
        rebuild_if_running(app)
    else:
        strategies.proxy_for(app).clear_config(app)


def scheduler(app: str) -> Scheduler | None:
    """Return the app's scheduler, or None when no plugin offers it (yet)."""
    try:
        return strategies.scheduler_for(app)
    except DokkuError:
        return None


def is_deployed(app: str) -> bool:
    """Tell whether the app has a released image (else nothing of it can be running)."""
    from pydokku import release

    return release.has_image(app)


def web_upstreams(app: str) -> list[str]:
    """Return the addresses of the app's running web processes.

    Empty when the app was never deployed, was stopped (`ps:stop`), or no plugin
    offers its scheduler.
    """
    from pydokku.plugins.ps.logic import is_stopped

    found = scheduler(app) if is_deployed(app) and not is_stopped(app) else None
    return list(found.web_upstreams(app)) if found else []


def build_config(app: str) -> None:
    """Write and activate an app's proxy config (or remove it if its proxy is disabled)."""
    if not is_enabled(app):
        output.step(f"Proxy is disabled for {app}; removing its config")
        strategies.proxy_for(app).clear_config(app)
        return
    _build(app)


def clear_config(app: str) -> None:
    """Remove the proxy config of an app."""
    strategies.proxy_for(app).clear_config(app)


def rebuild_if_running(app: str) -> bool:
    """Rebuild an app's proxy config if it has running web processes; tell whether it did."""
    if not is_enabled(app) or not is_deployed(app):
        return False
    try:
        running = web_upstreams(app)
    except DokkuError as exc:
        output.warn(f"Cannot tell whether {app} runs ({exc.message}); run proxy:build-config later")
        return False
    if running:
        _build(app)
    return bool(running)


def _build(app: str) -> None:
    from pydokku.plugins.manager import hook

    strategies.proxy_for(app).build_config(app)
    hook().proxy_build_config(app=app)


def report_rows(app: str) -> list[tuple[str, str]]:
    """Return the `enabled` row of `proxy:report` (type rows come from the property specs)."""
    from pydokku.validation import GLOBAL_SCOPE

    if app == GLOBAL_SCOPE:
        return []
    return [("enabled", "true" if is_enabled(app) else "false")]
