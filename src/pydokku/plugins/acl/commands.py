"""acl:* commands: per-app and per-service access lists, as the dokku-acl plugin."""

from __future__ import annotations

from pydokku import output, properties
from pydokku.cli.common import add_property_commands
from pydokku.cli.registry import Context, Namespace, arg, format_arg
from pydokku.plugins.acl import logic

acl = Namespace("acl", "Manage per-app and per-service access control lists")
NAMESPACES = [acl]

SETTINGS = [
    properties.PropertySpec(
        logic.SUPER_USER_KEY,
        validate=logic.super_user_problem,
        global_only=True,
        computed_row=False,
    )
]


@acl.command("add", "<app> <user>")
@arg("app")
@arg("user")
def add(ctx: Context, app: str, user: str) -> None:
    """Allow <user> (an SSH key name) to run commands on and push to <app>."""
    logic.add_app_user(app, user)


@acl.command("remove", "<app> <user>")
@arg("app")
@arg("user")
def remove(ctx: Context, app: str, user: str) -> None:
    """Revoke <user>'s access to <app>."""
    logic.remove_app_user(app, user)


@acl.command("list", "[<app>] [--format stdout|json]")
@arg("app", nargs="?")
@format_arg()
def list_(ctx: Context, app: str | None, fmt: str) -> None:
    """Show the users with access to <app> (every app's list without one)."""
    if app:
        logic.require_app(app)
        _print_names(logic.app_users(app), fmt)
        return
    lists = logic.all_app_users()
    if fmt == "json":
        import json

        output.echo(json.dumps(lists))
        return
    for name, users in lists.items():
        output.header(f"{name} acl list")
        for user in users:
            output.echo(user)


@acl.command("allowed", "<user> [--format stdout|json]")
@arg("user")
@format_arg()
def allowed(ctx: Context, user: str, fmt: str) -> None:
    """List the apps <user> has access to."""
    _print_names(logic.allowed_apps(user), fmt)


@acl.command("add-service", "<type> <service> <user>")
@arg("type_name", metavar="type")
@arg("service")
@arg("user")
def add_service(ctx: Context, type_name: str, service: str, user: str) -> None:
    """Allow <user> to run commands on <service> of type <type> (postgres, redis)."""
    logic.add_service_user(type_name, service, user)


@acl.command("remove-service", "<type> <service> <user>")
@arg("type_name", metavar="type")
@arg("service")
@arg("user")
def remove_service(ctx: Context, type_name: str, service: str, user: str) -> None:
    """Revoke <user>'s access to <service> of type <type>."""
    logic.remove_service_user(type_name, service, user)


@acl.command("list-service", "<type> <service> [--format stdout|json]")
@arg("type_name", metavar="type")
@arg("service")
@format_arg()
def list_service(ctx: Context, type_name: str, service: str, fmt: str) -> None:
    """Show the users with access to <service> of type <type>."""
    logic.require_service(type_name, service)
    _print_names(logic.service_users(type_name, service), fmt)


@acl.command("allowed-services", "<type> <user> [--format stdout|json]")
@arg("type_name", metavar="type")
@arg("user")
@format_arg()
def allowed_services(ctx: Context, type_name: str, user: str, fmt: str) -> None:
    """List the services of type <type> that <user> has access to."""
    _print_names(logic.allowed_services(type_name, user), fmt)


def _print_names(names: list[str], fmt: str) -> None:
    if fmt == "json":
        import json

        output.echo(json.dumps(names))
        return
    for name in names:
        output.echo(name)


def _report_rows(scope: str) -> list[tuple[str, str]]:
    rows = [] if scope == logic.GLOBAL else [("allowed-users", " ".join(logic.app_users(scope)))]
    return [*rows, ("computed-super-user", " ".join(sorted(logic.super_users())))]


report_section = add_property_commands(acl, SETTINGS, _report_rows)
