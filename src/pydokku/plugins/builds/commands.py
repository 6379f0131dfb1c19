"""builds:list, info, output, cancel, prune, set and report."""

from __future__ import annotations

import json

from pydokku import output, properties
from pydokku.cli.common import add_property_commands
from pydokku.cli.registry import Context, Namespace, arg, format_arg
from pydokku.errors import DokkuError, UsageError
from pydokku.plugins.apps.logic import list_apps, require_app
from pydokku.plugins.builds import store

builds = Namespace("builds", "Show the record of an app's builds, their output; cancel one")
NAMESPACES = [builds]


@builds.command("list", "[<app>] [--format stdout|json] [--kind build|deploy] [--status S]")
@arg("app", nargs="?")
@format_arg()
@arg("--kind", default="", help="build or deploy")
@arg("--status", default="", help="running, succeeded, failed, canceled or abandoned")
def builds_list(ctx: Context, app: str | None, fmt: str, kind: str, status: str) -> None:
    """List an app's builds, newest first (without an app: the builds running anywhere)."""
    if kind and kind not in store.KINDS:
        raise UsageError(f"Invalid --kind value {kind[:40]!r} (allowed: build, deploy)")
    if status and status not in store.STATUSES:
        raise UsageError(
            f"Invalid --status value {status[:40]!r} (allowed: {', '.join(store.STATUSES)})"
        )
    found = [store.view(b) for b in (store.for_app(require_app(app)) if app else store.running())]
    views = [
        v
        for v in found
        if (not kind or v["kind"] == kind) and (not status or v["display_status"] == status)
    ]
    if fmt == "json":
        output.echo(json.dumps(views))
        return
    if not views:
        output.echo("No builds recorded for this app" if app else "No builds currently running")
        return
    from pydokku.report import columns

    head = ["Build ID", "Kind", "Status", "PID", "Source", "Started", "Duration", "Release"]
    keys = ["id", "kind", "display_status", "pid", "source", "started_at", "duration", "release"]
    rows = [[str(v[key]) for key in keys] for v in views]
    if not app:
        head, rows = ["App", *head], [[v["app"], *row] for v, row in zip(views, rows, strict=True)]
    for line in columns([head, *rows]):
        output.echo(line)


@builds.command("info", "<app> <build_id> [--format stdout|json]")
@arg("app")
@arg("build_id", metavar="<build_id>")
@format_arg()
def builds_info(ctx: Context, app: str, build_id: str, fmt: str) -> None:
    """Show one build: status, source, times, exit code, the release it made, its log."""
    found = store.view(store.get(require_app(app), build_id))
    if fmt == "json":
        output.echo(json.dumps(found))
        return
    labels = [
        ("Build ID", "id"), ("App", "app"), ("Kind", "kind"), ("Status", "display_status"),
        ("PID", "pid"), ("Source", "source"), ("Started", "started_at"),
        ("Finished", "finished_at"), ("Duration", "duration"), ("Exit Code", "exit_code"),
        ("Release", "release"), ("Log", "log_path"),
    ]  # fmt: skip
    for label, key in labels:
        if key in found:
            output.echo(f"{label + ':':<12}{found[key]}")


@builds.command("output", "<app> [<build_id>|current] [--follow]")
@arg("app")
@arg("build_id", nargs="?", default="current", metavar="<build_id>|current")
@arg("-f", "--follow", action="store_true", help="keep printing until the build ends")
def builds_output(ctx: Context, app: str, build_id: str, follow: bool) -> None:
    """Print a build's output (`current`: the build in progress), optionally following it."""
    from pydokku import logfile

    require_app(app)
    if build_id == "current":
        build = store.live(app)
        if build is None:
            output.step("App not currently deploying")
            return
    else:
        build = store.get(app, build_id)
    path = store.log_path(app, build["id"])
    if not path.exists():
        raise DokkuError(f"The output of build {build['id']} is gone")
    if not follow:
        for line in logfile.tail([path], 0):
            output.echo(line)
        return
    for line in logfile.follow(
        path, lambda: store.display_status(store.get(app, build["id"])) != "running"
    ):
        output.echo(line)


@builds.command("cancel", "<app>")
@arg("app")
def builds_cancel(ctx: Context, app: str) -> None:
    """Stop the app's build in progress; the running release keeps serving."""
    from pydokku.plugins.builds.cancel import cancel

    canceled = cancel(require_app(app))
    if canceled is None:
        output.step("App not currently deploying")
    else:
        output.step(f"Build {canceled} of {app} canceled; the deploy lock is free")


@builds.command("prune", "(<app>|--all-apps)")
@arg("app", nargs="?")
@arg("--all-apps", dest="all_apps", action="store_true")
def builds_prune(ctx: Context, app: str | None, all_apps: bool) -> None:
    """Drop finished builds beyond the retention (builds:set retention, default 20)."""
    if bool(app) == all_apps:
        raise UsageError("Give an app name or --all-apps")
    for name in list_apps() if all_apps else [require_app(app or "")]:
        removed = store.prune(name)
        output.step(f"Pruned {removed} build{'s' if removed != 1 else ''} of {name}")


SETTINGS = [
    properties.PropertySpec("retention", str(store.DEFAULT_RETENTION), store.retention_problem)
]
report_section = add_property_commands(builds, SETTINGS, plugin=store.PLUGIN)
