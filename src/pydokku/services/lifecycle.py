"""Create, destroy, start, stop, restart, expose and unexpose services."""

from __future__ import annotations

import ipaddress
import secrets
import shlex

from pydokku import output
from pydokku.errors import DokkuError
from pydokku.services import container, images, names, store
from pydokku.services.spec import ServiceType
from pydokku.services.store import Service

CONFIG_OPTIONS_MAX = 1024
DEFAULT_EXPOSE_ADDRESS = "127.0.0.1"


def validate_networks(initial: str, post_create: str, post_start: str) -> dict[str, str]:
    """Return the network fields of `create -N/-P/-S`, or raise naming a bad network."""
    from pydokku.plugins.network.logic import validate_network_name

    fields = {
        "initial_network": initial,
        "post_create_network": post_create,
        "post_start_network": post_start,
    }
    for value in fields.values():
        for network in value.split(",") if value else []:
            if network in ("host", "none", "bridge", "pydokku"):
                raise DokkuError(f"Network {network} cannot be joined by a service container")
            validate_network_name(network)
    if "," in initial:
        raise DokkuError("Only one initial network can be given")
    return fields


def validate_create_options(memory_mb: int, config_options: str) -> None:
    """Refuse a bad memory limit or unparsable config options before anything changes."""
    if memory_mb < 0:
        raise DokkuError("The memory limit must be a number of megabytes (0: no limit)")
    if len(config_options) > CONFIG_OPTIONS_MAX or "\n" in config_options:
        raise DokkuError("Config options must be one line of at most 1024 characters")
    try:
        shlex.split(config_options)
    except ValueError as exc:
        raise DokkuError(f"Cannot parse the config options: {exc}") from exc


def create_service(
    stype: ServiceType,
    name: str,
    *,
    image: str = "",
    version: str = "",
    password: str = "",
    memory_mb: int = 0,
    config_options: str = "",
    choice: images.ImageChoice | None = None,
    networks: tuple[str, str, str] = ("", "", ""),
    settings: dict[str, str] | None = None,
) -> Service:
    """Create a service: pick its image, store it, start its container, wait until ready.

    `settings`: `custom_env` (`K=V;K2=V2`) and `shm_size`, as `services.admin` takes them.
    """
    from pydokku.services import admin

    names.validate_name(stype, name)
    if password:
        names.validate_password(password)
    validate_create_options(memory_mb, config_options)
    network_fields = validate_networks(*networks)
    network_fields.update(admin.checked_settings(settings or {}))
    if store.exists(stype, name):
        raise DokkuError(f"{stype.title} service {name} already exists")
    root = store.service_root(stype, name)
    if root.exists():
        raise DokkuError(f"{root} already exists (left from an earlier service?); move it away")
    choice = choice or images.choose(stype, image, version)
    store.reserve(
        stype,
        name,
        choice.ref,
        choice.version,
        image_source=choice.source,
        config_options=config_options,
        memory_mb=memory_mb,
        **network_fields,
    )
    svc = store.get(stype, name)
    try:
        _start_new(svc, password or secrets.token_hex(16))
    except BaseException:
        output.warn(f"Creating {stype.name} service {name} failed; removing what was made")
        _undo_create(svc)
        raise
    output.header(f"{stype.title} container created: {name}")
    return svc


def _start_new(svc: Service, password: str) -> None:
    stype, name = svc.stype, svc.name
    svc.root.mkdir(mode=0o700, parents=True)
    store.write_password(stype, name, password)
    store.data_dir(stype, name).mkdir(mode=0o700)
    container.write_config_files(stype, name, password)
    output.step(f"Starting container {names.container_name(stype, name)} ({svc.image})")
    container.create(svc, password)
    output.verbose("Waiting for container to be ready")
    waited = container.wait_ready(svc)
    output.verbose(f"Ready after {waited:.1f} s")


def _undo_create(svc: Service) -> None:
    try:
        container.remove(svc)
        container.remove_data(svc)
    except Exception as exc:  # e.g. dockerd went away: keep the row so destroy can finish
        output.warn(
            f"Cleaning up failed too ({exc}); run `dokku {svc.stype.name}:destroy {svc.name}`"
        )
        return
    store.delete(svc.stype, svc.name, action="create-failed")


def destroy_service(stype: ServiceType, name: str) -> None:
    """Remove a service's container and data; refused while apps are linked to it."""
    svc = store.get(stype, names.validate_name(stype, name))
    linked = [link.app for link in store.links_of(stype, name)]
    if linked:
        raise DokkuError(
            f"Cannot delete linked service {name} (linked to {', '.join(linked)}); "
            f"run `dokku {stype.name}:unlink {name} APP` first"
        )
    output.step(f"Deleting {name}")
    if svc.backup_schedule:
        from pydokku.services import schedule

        schedule.unschedule(svc)
    output.verbose("Removing container")
    container.remove(svc)
    output.verbose("Removing data")
    container.remove_data(svc)
    store.delete(stype, name)
    output.header(f"{stype.title} container deleted: {name}")


def start(stype: ServiceType, name: str) -> None:
    """Start a service (recreating a missing container) and wait until it is ready."""
    svc = store.get(stype, name)
    output.step("Starting container")
    if not container.ensure_running(svc):
        output.warn("Service is already started")
        return
    output.header("Container started")


def stop(stype: ServiceType, name: str) -> None:
    """Stop a service's container (restart=always brings it back with dockerd)."""
    svc = store.get(stype, name)
    output.step("Stopping container")
    if not container.stop(svc):
        output.warn("Service is already stopped")
        return
    output.verbose("Container stopped")


def restart(stype: ServiceType, name: str) -> None:
    """Stop a service gracefully, start it again, and wait until it is ready."""
    svc = store.get(stype, name)
    output.step("Restarting container")
    container.stop(svc)
    container.ensure_running(svc)
    output.header("Container restarted")


def parse_expose(spec: str) -> tuple[str, int | None]:
    """Parse `[[HOST:]PORT]` into (address, port); the address defaults to loopback."""
    if not spec:
        return DEFAULT_EXPOSE_ADDRESS, None
    address, sep, port_text = spec.rpartition(":")
    address = address.strip("[]") if sep else DEFAULT_EXPOSE_ADDRESS
    try:
        ipaddress.ip_address(address)
    except ValueError as exc:
        raise DokkuError(f"Invalid address {address!r}: give an IP address") from exc
    if not (port_text.isascii() and port_text.isdigit() and 0 < int(port_text) < 65536):
        raise DokkuError(f"Invalid port {port_text!r}: give a number from 1 to 65535")
    return address, int(port_text)


def expose(stype: ServiceType, name: str, spec: str = "") -> str:
    """Publish the service's port on the host (loopback unless an address is given)."""
    svc = store.get(stype, name)
    address, port = parse_expose(spec)
    if svc.exposed:
        raise DokkuError(f"Service {name} already exposed on {container.exposed_ports(svc)}")
    host = f"[{address}]" if ":" in address else address
    store.update(stype, name, exposed=f"{host}:{port or ''}")
    try:
        container.recreate(store.get(stype, name))
    except BaseException:
        store.update(stype, name, exposed="")
        container.recreate(store.get(stype, name))
        raise
    svc = store.get(stype, name)
    bound = [p for p in _published(svc) if p]
    if bound:
        # Keep the port docker picked, so later containers get the same one.
        store.update(stype, name, exposed=f"{host}:{bound[0]}")
    listing = container.exposed_ports(svc)
    output.step(f"Service {name} exposed on port(s) [container->host]: {listing}")
    return listing


def _published(svc: Service) -> list[int]:
    from pydokku import engine

    return [
        host for _, _, host in engine.published_ports(names.container_name(svc.stype, svc.name))
    ]


def unexpose(stype: ServiceType, name: str) -> None:
    """Stop publishing the service's port on the host."""
    svc = store.get(stype, name)
    if not svc.exposed:
        raise DokkuError("Service not exposed")
    store.update(stype, name, exposed="")
    container.recreate(store.get(stype, name))
    output.step(f"Service {name} unexposed")
