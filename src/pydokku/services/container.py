"""A service's container: created from the stored settings, started, stopped, awaited.

The container is disposable: data and generated config live in host dirs under the
service root, so `expose`, a lost container or a new image only need a fresh container.
"""

from __future__ import annotations

import shlex
import time

from pydokku import engine, output
from pydokku.errors import DokkuError
from pydokku.services import names, store
from pydokku.services.spec import BASE_IMAGE, ServiceType
from pydokku.services.store import Service

READY_TIMEOUT_S = 120.0
STOP_TIMEOUT_S = 30
POLL_S = 0.1
RESTARTS_MAX = 3  # the server exited this many times while we waited: it will not come up
LABEL_SERVICE = "dokku.service"
LABEL_SERVICE_NAME = "com.dokku.service-name"


def labels(stype: ServiceType, name: str) -> dict[str, str]:
    """Return Dokku's labels of a service container."""
    return {engine.LABEL_DOKKU: "service", LABEL_SERVICE: stype.name, LABEL_SERVICE_NAME: name}


def command(stype: ServiceType, config_options: str) -> list[str] | None:
    """Return the container command: the type's own, then the `-c` config options."""
    words = list(stype.command) + shlex.split(config_options)
    return words or None


def parse_exposed(value: str) -> tuple[str, int | None] | None:
    """Parse a stored `ADDRESS:PORT` (port may be empty) into (address, port)."""
    if not value:
        return None
    address, _, port = value.rpartition(":")
    return address.strip("[]"), int(port) if port else None


def container_info(svc: Service) -> engine.ContainerInfo | None:
    """Return the service's container, or None when it does not exist."""
    return engine.container(names.container_name(svc.stype, svc.name))


def status(svc: Service) -> str:
    """Return the container status (running, exited, ...) or `missing`."""
    info = container_info(svc)
    return info.status if info else "missing"


def write_config_files(stype: ServiceType, name: str, password: str) -> None:
    """Write the type's generated config files (e.g. redis.conf with the password)."""
    if not stype.config_files:
        return
    directory = store.config_dir(stype, name)
    directory.mkdir(mode=0o755, exist_ok=True)
    values = names.template_values(stype, name, password)
    for filename, template in stype.config_files.items():
        # Readable by the server's user in the container; the 0700 service root keeps
        # other host users out.
        path = directory / filename
        path.write_text(template.format(**values), encoding="utf-8")
        path.chmod(0o644)


def create(svc: Service, password: str) -> None:
    """Create and start the service's container from its stored settings."""
    from pydokku.services import admin

    stype, name = svc.stype, svc.name
    volumes = {
        str(store.data_dir(stype, name)): (stype.data_mount(svc.version), "rw"),
    }
    if stype.config_mount:
        volumes[str(store.config_dir(stype, name))] = (stype.config_mount, "ro")
    exposed = parse_exposed(svc.exposed)
    values = names.template_values(stype, name, password)
    engine.run_service_container(
        names.container_name(stype, name),
        svc.image,
        command=command(stype, svc.config_options),
        # The type's own variables (the password) win over a custom env.
        env={**admin.custom_env(svc), **stype.fill_env(stype.env, values)},
        labels=labels(stype, name),
        volumes=volumes,
        aliases=[names.dns_alias(stype, name)],
        ports={stype.port: exposed} if exposed else None,
        memory_mb=svc.memory_mb,
        shm_size=svc.shm_size,
        networks=(
            svc.initial_network,
            _split(svc.post_create_network),
            _split(svc.post_start_network),
        ),
    )


def _split(value: str) -> list[str]:
    return [n for n in value.split(",") if n]


def ensure_running(svc: Service, *, wait: bool = True) -> bool:
    """Start the container (recreating it if gone); return False if it was already running."""
    info = container_info(svc)
    started = True
    if info is None:
        output.verbose("Creating the container (the data directory is kept)")
        create(svc, store.read_password(svc.stype, svc.name))
    elif not info.running:
        engine.start_container(info.name)
    else:
        started = False
    if wait:
        wait_ready(svc)
    return started


def stop(svc: Service) -> bool:
    """Stop the container; return False if it was not running."""
    info = container_info(svc)
    if info is None or not info.running:
        return False
    engine.stop_container(info.name, timeout=STOP_TIMEOUT_S)
    return True


def recreate(svc: Service) -> None:
    """Replace the container (new settings such as published ports); the data stays."""
    remove(svc)
    create(svc, store.read_password(svc.stype, svc.name))
    wait_ready(svc)


def remove(svc: Service) -> None:
    """Stop the container gracefully, then remove it."""
    stop(svc)
    engine.remove_container(names.container_name(svc.stype, svc.name))


def wait_ready(svc: Service, timeout: float = READY_TIMEOUT_S) -> float:
    """Wait until the service answers its readiness command; return the seconds waited."""
    stype = svc.stype
    name = names.container_name(stype, svc.name)
    values = names.template_values(stype, svc.name, store.read_password(stype, svc.name))
    probe = stype.fill(stype.ready, values)
    env = stype.fill_env(stype.exec_env, values)
    started = time.monotonic()
    first = engine.container(name)
    restarts = first.restart_count if first else 0
    detail = ""
    while time.monotonic() - started < timeout:
        info = engine.container(name)
        if info is None:
            detail = "the container is gone"
            break
        if info.running:
            code, text = engine.exec_in(name, probe, env)
            if code == 0 and stype.ready_output in text:
                return time.monotonic() - started
            detail = text.strip().splitlines()[-1] if text.strip() else f"exit code {code}"
        if info.restart_count - restarts >= RESTARTS_MAX or info.status == "dead":
            detail = f"the server keeps exiting, last exit code {info.exit_code}"
            break
        time.sleep(POLL_S)
    else:
        detail = f"no answer within {timeout:.0f} s: {detail}"
    tail = "\n".join(engine.logs(name, tail=15)) if engine.container(name) else ""
    raise DokkuError(
        f"{stype.title} service {svc.name} did not become ready ({detail})"
        + (f"; last log lines:\n{tail}" if tail else "")
    )


def remove_data(svc: Service) -> None:
    """Delete the service's directory, data included (owned by the container's user)."""
    root = svc.root
    if (root / "data").exists():
        image = svc.image if engine.image_exists(svc.image) else BASE_IMAGE
        code, text = engine.run_helper(image, "rm -rf /service/data", {str(root): "/service"})
        if code != 0:
            raise DokkuError(f"Cannot remove {root / 'data'}: {text.strip()[-200:]}")
    import shutil

    shutil.rmtree(root, ignore_errors=True)


def internal_ip(svc: Service) -> str:
    """Return the container's address on the project network ('' when not running)."""
    info = container_info(svc)
    return info.ip if info and info.running else ""


def exposed_ports(svc: Service) -> str:
    """Return Dokku's `5432->127.0.0.1:40123` listing, or `-`."""
    found = engine.published_ports(names.container_name(svc.stype, svc.name))
    if not found:
        exposed = parse_exposed(svc.exposed)
        if not exposed or exposed[1] is None:
            return "-"
        return f"{svc.stype.port}->{exposed[0]}:{exposed[1]}"
    return " ".join(f"{port}->{address}:{host}" for port, address, host in found)
