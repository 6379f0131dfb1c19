"""storage:ensure-directory|mount|unmount|list|report."""

from __future__ import annotations

import json

from pydokku import output
from pydokku.cli.common import add_report_command
from pydokku.cli.registry import Context, Namespace, arg, format_arg
from pydokku.plugins.storage import logic
from pydokku.report import ReportSection

storage = Namespace("storage", "Manage mounted volumes")
NAMESPACES = [storage]


@storage.command("ensure-directory", "[--chown option] <directory>")
@arg("--chown", default="herokuish")
@arg("directory")
def ensure_directory(ctx: Context, chown: str, directory: str) -> None:
    """Create a persistent storage directory in the recommended storage path."""
    logic.ensure_directory(directory, chown)


@storage.command("mount", "<app> <host-dir:container-dir>")
@arg("app")
@arg("path", metavar="<host-dir:container-dir>")
def mount(ctx: Context, app: str, path: str) -> None:
    """Create a new bind mount (applies to containers made from now on)."""
    logic.mount(app, path)


@storage.command("unmount", "<app> <host-dir:container-dir>")
@arg("app")
@arg("path", metavar="<host-dir:container-dir>")
def unmount(ctx: Context, app: str, path: str) -> None:
    """Remove an existing bind mount (the host directory and its data stay)."""
    logic.unmount(app, path)


@storage.command("list", "<app> [--format text|json]")
@arg("app")
@format_arg(default="text", choices=("text", "json"))
def list_mounts(ctx: Context, app: str, fmt: str) -> None:
    """List bind mounts for app's container(s) (host:container)."""
    from pydokku.plugins.apps.logic import require_app

    found = logic.app_mounts(require_app(app))
    if fmt == "json":
        output.echo(json.dumps([m.as_json() for m in found]))
        return
    output.header(f"{app} volume bind-mounts:")
    for item in found:
        (output.echo if ctx.quiet else output.verbose)(item.spec)


def report_section(app: str) -> ReportSection:
    """Build the storage report of an app: the mount flags of each phase."""
    rows = logic.report_rows(app) if app != "--global" else []
    return ReportSection("storage", app, rows)


add_report_command(storage, report_section)
