"""Top-level commands that belong to no other plugin: version, report and cleanup."""

from __future__ import annotations

import json

from pydokku import DOKKU_COMPAT_VERSION, __version__, output
from pydokku.cli.registry import Context, Namespace, arg, format_arg
from pydokku.errors import UsageError
from pydokku.report import ReportSection

version = Namespace("version", "Print the Dokku version pydokku follows, and its own")
report = Namespace("report", "Print every plugin's report for one or all apps")
cleanup = Namespace("cleanup", "Remove containers and images pydokku no longer uses")
NAMESPACES = [version, report, cleanup]


@version.command("", default=True)
def show_version(ctx: Context) -> None:
    """Print the Dokku version pydokku is compatible with, then pydokku's own.

    Tools that drive Dokku (Ansible modules, scripts) read the first x.y.z as Dokku's.
    """
    output.echo(f"dokku version {DOKKU_COMPAT_VERSION} (pydokku {__version__})")


@report.command("", "[<app>|--all] [--format stdout|json]", default=True)
@arg("app", nargs="?")
@arg("--all", dest="all_apps", action="store_true")
@format_arg()
def full_report(ctx: Context, app: str | None, all_apps: bool, fmt: str) -> None:
    """Print every plugin's report for an app, or for every app."""
    from pydokku.plugins.apps.logic import list_apps, require_app

    if app and all_apps:
        raise UsageError("Give an app or --all, not both")
    apps = [require_app(app)] if app else list_apps()
    sections = {name: _sections(name) for name in apps}
    if fmt == "json":
        data = {a: {s.namespace: s.as_dict() for s in secs} for a, secs in sections.items()}
        output.echo(json.dumps(data[app] if app else data))
        return
    for secs in sections.values():
        for section in secs:
            output.echo(section.render_text())


def _sections(app: str) -> list[ReportSection]:
    from pydokku.plugins.manager import hook

    # pluggy calls the last registered plugin first; show them in registration order.
    return [s for s in reversed(hook().report(app=app)) if s is not None]


@cleanup.command("", "[<app>]", default=True)
@arg("app", nargs="?")
def clean_up(ctx: Context, app: str | None) -> None:
    """Remove exited and stale containers, pending releases and dangling images pydokku made.

    Only what carries pydokku's labels and is unused goes; an app whose deploy is in
    progress is skipped. With an app, only that app's leftovers.
    """
    from pydokku.plugins.core.cleanup import cleanup as sweep
    from pydokku.validation import validate_app_name

    target = validate_app_name(app) if app else None
    output.step("Cleaning up...")
    summary = sweep(target)
    output.verbose(
        f"Removed {len(summary.containers)} container(s) and {summary.images} image(s); "
        f"{summary.releases} pending release(s) marked failed"
    )
