"""`NS:info` and `NS:report`: what a service is, where its data is, and how to reach it."""

from __future__ import annotations

import json

from pydokku.errors import DokkuError
from pydokku.report import ReportSection
from pydokku.services import container, names, store
from pydokku.services.spec import ServiceType
from pydokku.services.store import Service

KEYS = (
    "config-dir",
    "config-options",
    "data-dir",
    "dsn",
    "exposed-ports",
    "id",
    "internal-ip",
    "links",
    "service-root",
    "status",
    "version",
    "image",
    "image-source",
    "dns-alias",
    "memory",
    "backup-schedule",
    "backup-dir",
    "backup-retention",
)


def rows(svc: Service) -> list[tuple[str, str]]:
    """Return the info rows of a service, Dokku's keys first, then pydokku's."""
    stype = svc.stype
    info = container.container_info(svc)
    password = store.read_password(stype, svc.name)
    links = [link.app for link in store.links_of(stype, svc.name)]
    config_dir = store.config_dir(stype, svc.name) if stype.config_mount else svc.root / "data"
    return [
        ("config-dir", str(config_dir)),
        ("config-options", svc.config_options),
        ("data-dir", str(svc.root / "data")),
        ("dsn", names.service_url(stype, svc.name, password)),
        ("exposed-ports", container.exposed_ports(svc)),
        ("id", info.id if info else ""),
        ("internal-ip", info.ip if info and info.running else ""),
        ("initial-network", svc.initial_network),
        ("links", " ".join(links) or "-"),
        ("post-create-network", svc.post_create_network),
        ("post-start-network", svc.post_start_network),
        ("service-root", str(svc.root)),
        ("status", info.status if info else "missing"),
        ("version", svc.image),
        ("image", svc.image),
        ("image-source", svc.image_source),
        ("dns-alias", names.dns_alias(stype, svc.name)),
        ("memory", f"{svc.memory_mb}m" if svc.memory_mb else "-"),
        ("backup-schedule", svc.backup_schedule or "-"),
        ("backup-dir", svc.backup_dir or "-"),
        ("backup-retention", str(svc.backup_retention) if svc.backup_retention else "all"),
    ]


def render(stype: ServiceType, name: str, table: list[tuple[str, str]], fmt: str) -> str:
    """Render info as Dokku's aligned block, or as one JSON object."""
    if fmt == "json":
        return json.dumps(dict(table))
    lines = [f"=====> {name} {stype.name} service information"]
    for key, value in table:
        label = key.replace("-", " ").capitalize() + ":"
        lines.append(f"       {label:<20} {value}".rstrip())
    return "\n".join(lines)


def check_flags(flags: list[str]) -> str:
    """Return the key of the one `--key` flag given, or raise naming the valid flags."""
    valid = [f"--{key}" for key in KEYS]
    if len(flags) != 1 or flags[0] not in valid:
        raise DokkuError(f"Invalid flag passed, valid flags: {', '.join(valid)}")
    return flags[0][2:]


def section(stype: ServiceType, name: str) -> ReportSection:
    """Return a service's report section (`NS:report`, flags `--NS-key`)."""
    return ReportSection(stype.name, name, rows(store.get(stype, name)))


def app_section(stype: ServiceType, app: str) -> ReportSection:
    """Return an app's section in `dokku report APP`: the services linked to it."""
    links = store.app_links(stype, app)
    value = " ".join(f"{link.service}({link.var})" for link in links)
    return ReportSection(stype.name, app, [("links", value)])
