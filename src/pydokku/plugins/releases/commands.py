"""releases:* commands."""

from __future__ import annotations

from pydokku import output, properties, release
from pydokku.cli.common import add_property_commands
from pydokku.cli.registry import Context, Namespace, arg, format_arg
from pydokku.plugins.apps.logic import require_app
from pydokku.plugins.releases import logic

releases = Namespace("releases", "Release history and rollback")
NAMESPACES = [releases]

SETTINGS = [
    properties.PropertySpec("keep", str(logic.DEFAULT_KEEP), properties.validate_positive_int)
]


def _summary(rel: release.Release) -> dict[str, object]:
    return {
        "version": rel.version,
        "created_at": rel.created_at,
        "kind": rel.kind,
        "status": rel.status,
        "image": rel.image,
        "git_rev": rel.git_rev,
        "formation": rel.formation,
        "actor": rel.actor,
        "description": rel.description,
        "config_keys": rel.config_keys,
    }


@releases.command("list", "<app> [-n N] [--format stdout|json]", default=True)
@arg("app")
@arg("-n", "--num", dest="num", type=int, default=20)
@format_arg()
def list_(ctx: Context, app: str, num: int, fmt: str) -> None:
    """List an app's releases, newest first."""
    history = release.history(require_app(app), max(num, 1))
    current = release.current(app)
    if fmt == "json":
        import json

        output.echo(json.dumps([_summary(r) for r in history]))
        return
    output.header(f"{app} releases")
    output.echo(f"{'VERSION':<8}{'CREATED (UTC)':<22}{'BY':<13}{'STATUS':<10}DESCRIPTION")
    for rel in history:
        mark = " (current)" if current and rel.version == current.version else ""
        output.echo(
            f"{'v' + str(rel.version):<8}{rel.created_at:<22}{rel.actor:<12} {rel.status:<9} "
            f"{rel.description}{mark}"
        )


@releases.command("info", "<app> <vN> [--format stdout|json]")
@arg("app")
@arg("version", metavar="vN")
@format_arg()
def info(ctx: Context, app: str, version: str, fmt: str) -> None:
    """Show one release: image, git rev, config keys, formation and what changed."""
    rel = logic.find(app, version)
    changed = logic.changes(app, rel)
    if fmt == "json":
        import json

        failure = {"failure_reason": rel.failure_reason, "failure_logs": rel.failure_logs}
        output.echo(json.dumps({**_summary(rel), "changes": changed, **failure}))
        return
    output.header(f"{app} v{rel.version}")
    for key, value in _summary(rel).items():
        if isinstance(value, dict):
            value = logic.formation_words(value)
        elif isinstance(value, list):
            value = " ".join(str(v) for v in value)
        output.echo(f"{key + ':':<14} {value}")
    output.echo(f"{'changes:':<14} {'; '.join(changed)}")
    if rel.status == "failed":
        reason, *more = rel.failure_reason.splitlines() or ["(not recorded)"]
        output.echo(f"{'reason:':<14} {reason}")
        for line in more:
            output.echo(f"{'':<14} {line}")
    if rel.failure_logs:
        output.echo(f"{'last log lines:':<14}")
        for line in rel.failure_logs:
            output.echo(f"  {line}")


@releases.command("rollback", "<app> [vN]")
@arg("app")
@arg("version", nargs="?", metavar="vN")
def rollback(ctx: Context, app: str, version: str | None) -> None:
    """Deploy an earlier release (default: the previous one) with its config, as a new release."""
    rel = logic.rollback(app, version)
    output.step(f"Rolled back: {app} is now at v{rel.version} ({rel.description})")


@releases.command("prune", "<app>")
@arg("app")
def prune(ctx: Context, app: str) -> None:
    """Remove images no kept release uses (see releases:set keep) and exited containers."""
    removed = logic.prune(require_app(app))
    output.step(f"Removed {len(removed)} image tags")


report_section = add_property_commands(releases, SETTINGS)
