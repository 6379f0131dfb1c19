"""Links between services and apps: the URL config var, and services started before apps.

As in Dokku, the config var is the link: `unlink` removes every var of the app holding
the service's URL. The `service_links` rows record which var a link set (shown by
`links`, `app-links`, `info`) and follow the app through renames and destroys.
"""

from __future__ import annotations

from pydokku import output
from pydokku.errors import DokkuError
from pydokku.plugins.apps.logic import require_app
from pydokku.plugins.config import logic as config
from pydokku.services import container, names, store
from pydokku.services.spec import ServiceType
from pydokku.services.store import Service


def url_for(svc: Service, env: dict[str, str], query: str = "") -> str:
    """Return the service's URL as an app sees it (the app may override the scheme)."""
    stype = svc.stype
    scheme = env.get(stype.scheme_var, "")
    scheme = names.validate_scheme(scheme) if scheme else stype.scheme
    password = store.read_password(stype, svc.name)
    return names.service_url(stype, svc.name, password, scheme, query)


def vars_holding(svc: Service, env: dict[str, str]) -> list[str]:
    """Return the app's config vars that hold this service's URL, default alias first."""
    url = url_for(svc, env)
    found = sorted(key for key, value in env.items() if names.same_service(value, url))
    default = f"{svc.stype.default_alias}_URL"
    return sorted(found, key=lambda key: key != default)


def link(
    stype: ServiceType,
    name: str,
    app: str,
    *,
    alias: str = "",
    query: str = "",
    restart: bool = True,
) -> str:
    """Link a service to an app: set its URL var (restarting the app unless told not to)."""
    svc = store.get(stype, names.validate_name(stype, name))
    require_app(app)
    query = names.validate_query(query)
    env = config.get_env(app)
    already = vars_holding(svc, env)
    recorded = store.find_link(stype, name, app)
    if already:
        raise DokkuError(f"Already linked as {already[0]}")
    if recorded:
        raise DokkuError(f"Already linked as {recorded.var}")
    var = names.link_var(stype, env, alias)
    url = url_for(svc, env, query)
    store.save_link(stype, name, app, var)
    output.step("Setting config vars")
    output.verbose(f"{var}:  {url}")
    config.set_vars(app, {var: url}, restart=restart)
    return var


def unlink(stype: ServiceType, name: str, app: str, *, restart: bool = True) -> list[str]:
    """Unlink a service from an app: remove the vars holding its URL and the link record."""
    svc = store.get(stype, names.validate_name(stype, name))
    require_app(app)
    held = vars_holding(svc, config.get_env(app))
    if not held and store.find_link(stype, name, app) is None:
        raise DokkuError(f"Not linked to app {app}")
    store.remove_link(stype, name, app)
    if held:
        output.step("Unsetting config vars")
        for var in held:
            output.verbose(var)
        config.unset_vars(app, held, restart=restart)
    return held


def is_linked(stype: ServiceType, name: str, app: str) -> bool:
    """Tell whether a service is linked to an app."""
    svc = store.get(stype, names.validate_name(stype, name))
    require_app(app)
    return bool(store.find_link(stype, name, app) or vars_holding(svc, config.get_env(app)))


def promote(stype: ServiceType, name: str, app: str) -> None:
    """Make a linked service the app's default (`DATABASE_URL`); the old one keeps a color."""
    svc = store.get(stype, names.validate_name(stype, name))
    require_app(app)
    env = config.get_env(app)
    held = vars_holding(svc, env)
    default = f"{stype.default_alias}_URL"
    if not held:
        raise DokkuError(f"Not linked to app {app}")
    if default in held:
        raise DokkuError(f"Service {name} already promoted as {default}")
    changes: dict[str, str] = {}
    previous = env.get(default, "")
    if previous and not any(v == previous for k, v in env.items() if k != default):
        moved_to = names.alternative_var(stype, env)
        changes[moved_to] = previous
        for other in store.app_links(stype, app):
            if other.var == default and other.service != name:
                store.save_link(stype, other.service, app, moved_to)
    changes[default] = env[held[0]]
    store.save_link(stype, name, app, default)
    output.step("Setting config vars")
    for key, value in changes.items():
        output.verbose(f"{key}:  {value}")
    config.set_vars(app, changes, restart=True)


def linked_apps(stype: ServiceType, name: str) -> list[str]:
    """Return the apps linked to a service."""
    store.get(stype, names.validate_name(stype, name))
    return [link.app for link in store.links_of(stype, name)]


def app_services(stype: ServiceType, app: str) -> list[str]:
    """Return the services of a type linked to an app."""
    require_app(app)
    return [link.service for link in store.app_links(stype, app)]


def start_linked(stype: ServiceType, app: str) -> None:
    """Make sure every service linked to an app runs and answers (before the app starts)."""
    for item in store.app_links(stype, app):
        try:
            svc = store.get(stype, item.service)
            if container.ensure_running(svc):
                output.verbose(f"Started {stype.name} service {svc.name}, linked to {app}")
        except DokkuError as exc:
            output.warn(f"Linked {stype.name} service {item.service} is not ready: {exc.message}")
