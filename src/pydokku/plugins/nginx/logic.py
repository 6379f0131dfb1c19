"""The `nginx` proxy: build, clear, show and validate app configs.

Other plugins go through `pydokku.strategies.proxy_for(app)` (or the proxy
plugin's logic), which returns `NginxProxy` for apps using nginx.
"""

from __future__ import annotations

import re
from typing import Any

from pydokku import output, paths
from pydokku.errors import DokkuError
from pydokku.plugins.nginx import control, render

PORT_ONLY_WARNING = (
    "Domains are disabled for {app} but it listens on port {port}, where the default "
    "server answers; give it a port of its own with ports:set"
)


class NginxProxy:
    """The nginx implementation of the Proxy interface."""

    name = "nginx"

    def build_config(self, app: str) -> None:
        """Write, validate and activate the app's nginx config."""
        build_config(app)

    def clear_config(self, app: str) -> None:
        """Remove the app's nginx config and reload nginx."""
        clear_config(app)


def build_config(app: str, web: list[str] | None = None) -> None:
    """Render the app's config for its running web processes (or `web`) and activate it."""
    from pydokku.plugins.proxy.logic import is_enabled, web_upstreams

    if not is_enabled(app):
        clear_config(app)
        return
    from pydokku.plugins.network.logic import listener_problem, static_listener

    static = static_listener(app)
    if static and listener_problem(static):  # checked when set; the store is checked too
        raise DokkuError(f"Invalid static-web-listener {static!r} for {app}")
    if static:
        context = render.app_context(app, [], static=static)
    else:
        context = render.app_context(app, web_upstreams(app) if web is None else web)
    for name in context["server_names"]:
        output.step(f"Configuring {name}...")
    if not context["upstreams"]:
        output.step(f"{app} has no running web process: its config answers 502")
    _warn_port_only(app, context)
    text = render.render_app(context)
    _report(control.apply(render.config_path(app), text, f"the nginx config of {app}"))


def clear_config(app: str) -> bool:
    """Remove the app's nginx config (reloading nginx); tell whether there was one."""
    path = render.config_path(app)
    if not path.exists():
        return False
    output.step(f"Removing the nginx config of {app}")
    _report(control.apply(path, None, f"the removal of {app}'s nginx config"))
    return True


def discard_config(app: str) -> None:
    """Delete the app's config file without reloading (a file nginx never loaded)."""
    with control.lock():
        render.config_path(app).unlink(missing_ok=True)


def show_config(app: str) -> str:
    """Return the app's current nginx config."""
    path = render.config_path(app)
    if not path.exists():
        raise DokkuError(f"No nginx.conf exists for {app}")
    return path.read_text()


def validate_config(app: str | None = None, clean: bool = False) -> list[str]:
    """Run `nginx -t`; with `clean`, set aside invalid app configs; return the apps cleaned."""
    from pydokku.plugins.apps.logic import list_apps

    cleaned: list[str] = []
    for _ in range(len(list_apps()) + 1):
        problem = control.check()
        if problem is None:
            break
        culprit = app_of_error(problem)
        if culprit is None or (app and culprit != app):
            whose = f" (not {app}'s config)" if app else ""
            raise DokkuError(f"nginx config is invalid{whose}: {problem}")
        if not clean:
            raise DokkuError(f"The nginx config of {culprit} is invalid: {problem}")
        _set_aside(culprit)
        output.step(f"Set aside the invalid nginx config of {culprit}: {problem}")
        cleaned.append(culprit)
    if cleaned:
        _reload_quietly()
    return cleaned


def app_of_error(line: str) -> str | None:
    """Return the app whose `nginx.conf` an nginx error line points at, or None."""
    root = re.escape(str(paths.dokku_root()))
    found = re.search(rf"{root}/([^/\s]+)/nginx\.conf:\d+", line)
    return found.group(1) if found else None


def reload() -> None:
    """Validate the whole nginx config and reload nginx."""
    control.reload()


def _set_aside(app: str) -> None:
    path = render.config_path(app)
    with control.lock():
        if path.exists():
            path.replace(path.with_name("nginx.conf.invalid"))


def _reload_quietly() -> None:
    try:
        control.reload()
    except control.NginxNotRunningError as exc:
        output.warn(exc.message)


def _warn_port_only(app: str, context: dict[str, Any]) -> None:
    if context["vhost_enabled"]:
        return
    for server in context["servers"]:
        if server["host_port"] in (80, 443):
            output.warn(PORT_ONLY_WARNING.format(app=app, port=server["host_port"]))


def _report(outcome: control.Outcome) -> None:
    if outcome.validated:
        output.verbose("nginx config is valid")
    if outcome.reloaded:
        output.verbose("Reloaded nginx")
    for note in outcome.notes:
        output.warn(note)


CUSTOM_TEMPLATE_NOTICE = (
    "{path} found in {app}'s source: pydokku renders every nginx config itself and does "
    "not run sigil templates, so it is ignored. Use nginx:set for the settings and "
    "{include}/*.conf for extra server directives; nginx:set {app} disable-custom-config "
    "true silences this"
)


def custom_template_notice(app: str, source: str) -> str | None:
    """Return the warning for a custom nginx template in the app's source, or None.

    Dokku renders `nginx-conf-sigil-path` (default `nginx.conf.sigil`) instead of its own
    template unless `disable-custom-config` is true. pydokku keeps one renderer whose
    every value is validated, so such a file is never executed: the deploy says so.
    """
    from pathlib import Path

    from pydokku import sourcetree
    from pydokku.plugins.nginx import settings

    values = settings.computed(app)
    if values["disable-custom-config"] == "true":
        return None
    path = values["nginx-conf-sigil-path"]
    if not sourcetree.is_file(Path(source), path):
        return None
    return CUSTOM_TEMPLATE_NOTICE.format(path=path, app=app, include=render.include_dir(app))
