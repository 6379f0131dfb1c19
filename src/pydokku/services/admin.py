"""dokku-postgres/dokku-redis maintenance: pause, upgrade, `:set` and the create flags.

`-C "K=V;K2=V2"` (custom env) and `-s SIZE` (shm size) are stored with the service and
given to every container it gets; `:set` changes the networks `create -N/-P/-S` chose
(`initial-network`, `post-create-network`, `post-start-network`). `-r` (root password)
is accepted and unused, as in both plugins: neither datastore has a separate root user.
"""

from __future__ import annotations

import json
import re

from pydokku import output, state, vault
from pydokku.errors import DokkuError
from pydokku.services import container, images, names, store
from pydokku.services.spec import ServiceType
from pydokku.services.store import Service
from pydokku.validation import is_env_key

NETWORK_KEYS = ("initial-network", "post-create-network", "post-start-network")
CUSTOM_ENV_MAX = 4096
SHM_RE = re.compile(r"^[0-9]{1,10}[bkmgBKMG]?\Z")


def parse_custom_env(text: str) -> dict[str, str]:
    """Parse `-C|--custom-env "K=V;K2=V2"` (Dokku's `;`-separated pairs)."""
    if len(text) > CUSTOM_ENV_MAX:
        raise DokkuError(f"Custom env must be at most {CUSTOM_ENV_MAX} characters")
    env: dict[str, str] = {}
    for item in text.split(";"):
        if not item:
            continue
        key, sep, value = item.partition("=")
        if not sep or not is_env_key(key):
            raise DokkuError(f"Invalid custom env {item[:80]!r}: expected KEY=VALUE;KEY2=VALUE2")
        if "\0" in value or "\n" in value:
            raise DokkuError(f"Invalid custom env value for {key}: no newlines or NUL bytes")
        env[key] = value
    return env


def validate_shm_size(value: str) -> str:
    """Return `-s|--shm-size` if it is a size Docker takes (`256m`, `1g`, bytes)."""
    if value and not SHM_RE.match(value):
        raise DokkuError(f"Invalid shm size {value[:40]!r}: expected a size such as 256m or 1g")
    return value


def check_network(key: str, value: str) -> str:
    """Return a network setting (`initial_network`, ...) if `create -N/-P/-S` would take it."""
    from pydokku.services.lifecycle import validate_networks

    values = dict.fromkeys(("initial_network", "post_create_network", "post_start_network"), "")
    values[key] = value
    validate_networks(*values.values())
    return value


def seal_env(env: dict[str, str]) -> str:
    """Return the stored form of a custom env: JSON of sealed values ('' when empty)."""
    if not env:
        return ""
    with state.transaction() as conn:
        return json.dumps({key: vault.seal(conn, value) for key, value in env.items()})


def custom_env(svc: Service) -> dict[str, str]:
    """Return a service's custom env, unsealed."""
    if not svc.custom_env:
        return {}
    return vault.unseal_map(json.loads(svc.custom_env))


def checked_settings(settings: dict[str, str]) -> dict[str, str]:
    """Return create/upgrade flags as stored columns, each checked (custom env sealed)."""
    fields: dict[str, str] = {}
    for key, value in settings.items():
        if key == "custom_env":
            fields[key] = seal_env(parse_custom_env(value))
        elif key == "shm_size":
            fields[key] = validate_shm_size(value)
        elif key == "config_options":
            from pydokku.services.lifecycle import validate_create_options

            validate_create_options(0, value)
            fields[key] = value
        elif key.replace("_", "-") in NETWORK_KEYS:
            fields[key] = check_network(key, value)
        else:
            raise ValueError(f"unknown service setting {key!r}")
    return fields


def set_property(stype: ServiceType, name: str, key: str, value: str) -> None:
    """`NS:set SERVICE KEY [VALUE]`: store (or with no value, clear) a network property."""
    svc = store.get(stype, names.validate_name(stype, name))
    if not key:
        raise DokkuError("No key specified")
    if key not in NETWORK_KEYS:
        raise DokkuError(f"Invalid key specified, valid keys include: {', '.join(NETWORK_KEYS)}")
    column = key.replace("-", "_")
    store.update(stype, svc.name, **{column: check_network(column, value)})
    output.header(f"Setting {key} to {value}" if value else f"Unsetting {key}")


def pause(stype: ServiceType, name: str) -> None:
    """Stop the service's container but keep it (its settings and data stay)."""
    svc = store.get(stype, names.validate_name(stype, name))
    info = container.container_info(svc)
    if info is None or not info.running:
        output.warn("Service is already paused")
        return
    output.header("Pausing container")
    container.stop(svc)
    output.verbose("Container paused")


def upgrade(
    stype: ServiceType,
    name: str,
    *,
    image: str = "",
    version: str = "",
    restart_apps: bool = False,
    settings: dict[str, str] | None = None,
) -> None:
    """Run the service on another image (version), keeping its data directory.

    `settings` are other flags given with the upgrade (as `checked_settings` takes them).
    When the new container does not become ready, the old image and settings come back
    and the error is raised.
    """
    svc = store.get(stype, names.validate_name(stype, name))
    changes = checked_settings(settings or {})
    choice = images.choose(stype, image, version)
    if choice.ref == svc.image and not changes:
        output.step(f"Service {name} already running {choice.ref}")
        return
    before = {"image": svc.image, "version": svc.version, "image_source": svc.image_source}
    before.update({key: getattr(svc, key) for key in changes})
    apps = [link.app for link in store.links_of(stype, name)] if restart_apps else []
    output.header(f"Upgrading {name} to {choice.ref}")
    _each_app(apps, "stop", "Stopping all linked services")
    output.header(f"Stopping {name}")
    store.update(
        stype,
        name,
        image=choice.ref,
        version=choice.version,
        image_source=choice.source,
        **changes,
    )
    try:
        container.recreate(store.get(stype, name))
    except BaseException:
        output.warn(f"{name} did not start on {choice.ref}; going back to {svc.image}")
        store.update(stype, name, **before)
        container.recreate(store.get(stype, name))
        raise
    _each_app(apps, "start", "Starting all linked services")
    output.header("Done")


def _each_app(apps: list[str], verb: str, title: str) -> None:
    if not apps:
        return
    from pydokku.plugins.ps import logic as ps

    output.header(title)
    for app in apps:
        getattr(ps, verb)(app)
