"""apps:* commands (parsing only; the work is in logic.py)."""

from __future__ import annotations

from pydokku import output, properties
from pydokku.cli.common import add_property_commands, confirm_destructive
from pydokku.cli.registry import Context, Namespace, arg, format_arg
from pydokku.plugins.apps import logic
from pydokku.validation import validate_app_name

apps = Namespace("apps", "Manage apps")
NAMESPACES = [apps]

SETTINGS = [
    properties.PropertySpec(
        "disable-autocreation", "false", properties.validate_bool, global_only=True
    ),
]


@apps.command("list", "[--format stdout|json]")
@format_arg()
def list_(ctx: Context, fmt: str) -> None:
    """List your apps."""
    from pydokku.plugins.acl.access import visible_apps

    names = visible_apps(logic.list_apps())
    if fmt == "json":
        import json

        output.echo(json.dumps(names))
        return
    output.header("My Apps")
    if not names:
        output.warn("You haven't deployed any applications yet")
    for name in names:
        output.echo(name)


@apps.command("create", "<app>")
@arg("app")
def create(ctx: Context, app: str) -> None:
    """Create a new app."""
    validate_app_name(app)
    output.step(f"Creating {app}...")
    logic.create_app(app)


@apps.command("destroy", "<app> [--force]")
@arg("app")
@arg("--force", action="store_true")
def destroy(ctx: Context, app: str, force: bool) -> None:
    """Permanently destroy an app, with its containers, images, config and repo."""
    logic.require_app(app)
    if not (force or ctx.force):
        _confirm(ctx, app, f"This command will destroy app {app} (including all add-ons).")
    output.step(f"Destroying {app} (including all add-ons)")
    logic.destroy_app(app)


@apps.command("exists", "<app>")
@arg("app")
def exists(ctx: Context, app: str) -> None:
    """Exit 0 if the app exists, 1 if it does not."""
    logic.require_app(app)


@apps.command("rename", "[--skip-deploy] <old-app> <new-app>")
@arg("old_app", metavar="<old-app>")
@arg("new_app", metavar="<new-app>")
@arg("--skip-deploy", action="store_true")
def rename(ctx: Context, old_app: str, new_app: str, skip_deploy: bool) -> None:
    """Rename an app (its config, settings and repo move with it)."""
    output.step(f"Renaming {old_app} to {new_app}")
    logic.rename_app(old_app, new_app)
    output.step("Renamed")


@apps.command("clone", "[--skip-deploy] [--ignore-existing] <old-app> <new-app>")
@arg("old_app", metavar="<old-app>")
@arg("new_app", metavar="<new-app>")
@arg("--skip-deploy", action="store_true")
@arg("--ignore-existing", action="store_true")
def clone(
    ctx: Context, old_app: str, new_app: str, skip_deploy: bool, ignore_existing: bool
) -> None:
    """Clone an app: a new app with the same config, settings and repo."""
    logic.require_app(old_app)
    if ignore_existing and logic.app_exists(new_app):
        output.warn(f"Name is already taken: {new_app}; skipping")
        return
    output.step(f"Cloning {old_app} to {new_app}")
    logic.clone_app(old_app, new_app)


@apps.command("lock", "<app>")
@arg("app")
def lock(ctx: Context, app: str) -> None:
    """Lock an app: deploys are refused until it is unlocked."""
    logic.set_locked(app, True)
    output.step("Deploys locked")


@apps.command("unlock", "<app>")
@arg("app")
def unlock(ctx: Context, app: str) -> None:
    """Unlock an app for deploys."""
    if not logic.is_locked(app):
        output.warn(f"App {app} is not locked")
    logic.set_locked(app, False)
    output.step("Deploys unlocked")


@apps.command("locked", "<app>")
@arg("app")
def locked(ctx: Context, app: str) -> int:
    """Exit 0 if deploys of the app are locked, 1 if not."""
    return 0 if logic.is_locked(app) else 1


def app_rows(app: str) -> list[tuple[str, str]]:
    """Report rows describing an app (dir, creation time, deploy source, lock)."""
    from pydokku import paths

    if app == "--global":
        return []
    info = logic.app_info(app)
    return [
        ("dir", str(paths.app_dir(app))),
        ("created-at", info["created-at"]),
        ("deploy-source", properties.get(logic.PLUGIN, app, "deploy-source") or ""),
        (
            "deploy-source-metadata",
            properties.get(logic.PLUGIN, app, "deploy-source-metadata") or "",
        ),
        ("locked", info["locked"]),
    ]


report_section = add_property_commands(
    apps, SETTINGS, app_rows, plugin=logic.PLUGIN, report_prefix="app"
)


_confirm = confirm_destructive
