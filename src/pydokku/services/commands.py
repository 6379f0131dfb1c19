"""Dokku's datastore commands (`NS:create`, `NS:info`, ...) built from a `ServiceType`.

Parsing and printing only; the work is in the other modules of this package, imported
when a command runs so that `dokku help` stays fast.
"""

from __future__ import annotations

import argparse

from pydokku import output
from pydokku.cli.common import confirm_destructive
from pydokku.cli.registry import Command, Context, Namespace, arg, format_arg
from pydokku.errors import DokkuError, UsageError
from pydokku.services.spec import ServiceType

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    F = TypeVar("F", bound=Callable[..., Any])

SHELL = ["/bin/sh", "-c", "if command -v bash >/dev/null; then exec bash; else exec sh; fi"]


def build_namespace(stype: ServiceType) -> Namespace:
    """Return the `NS:*` commands of a datastore type."""
    from pydokku.services.commands_admin import add_admin_commands
    from pydokku.services.commands_data import add_data_commands

    ns = Namespace(stype.name, f"Manage {stype.title} services")
    add_lifecycle_commands(ns, stype)
    add_access_commands(ns, stype)
    add_data_commands(ns, stype)
    add_admin_commands(ns, stype)
    return ns


def documented(text: str) -> Callable[[F], F]:
    """Give a command function its help text (the type's name is only known at run time)."""

    def decorate(func: F) -> F:
        func.__doc__ = text
        return func

    return decorate


# Options whose value may itself start with a dash: `-c "-c max_connections=200"`.
CREATE_VALUE_FLAGS = {
    "-c": "--config-options",
    "--config-options": "--config-options",
    "-p": "--password",
    "--password": "--password",
    "-C": "--custom-env",
    "--custom-env": "--custom-env",
    "-r": "--root-password",
    "--root-password": "--root-password",
}


def join_values(argv: list[str], flags: dict[str, str]) -> list[str]:
    """Glue each of `flags` to the word after it (`--flag=value`): argparse would refuse `-x`."""
    joined: list[str] = []
    words = iter(argv)
    for word in words:
        value = next(words, None) if word in flags else None
        joined.append(word if value is None else f"{flags[word]}={value}")
    return joined


class DashValueCommand(Command):
    """A command whose option values may start with a dash (see `join_values`)."""

    value_flags: dict[str, str]

    @classmethod
    def wrap(cls, command: Command, flags: dict[str, str]) -> DashValueCommand:
        """Return `command` parsing `flags` with dash-leading values."""
        wrapped = cls(
            command.name,
            command.func,
            command.usage_args,
            command.arguments,
            command.hidden,
            command.extra_args,
            command.global_scope,
            command.intermixed,
        )
        wrapped.value_flags = flags
        return wrapped

    def parse(self, argv: list[str]) -> dict[str, Any]:
        """Parse `argv` after gluing dash-leading values to their options."""
        return super().parse(join_values(argv, self.value_flags))


def parse_memory(value: str) -> int:
    """Return a memory limit in megabytes from `-m` (0: no limit)."""
    if not (value.isascii() and value.isdigit()):
        raise UsageError(f"Invalid memory limit {value!r}: give megabytes, e.g. 512")
    return int(value)


confirm = confirm_destructive


def add_lifecycle_commands(ns: Namespace, stype: ServiceType) -> None:
    """Declare create, destroy, list, exists, info, report, start, stop and restart."""
    title = stype.title

    @ns.command(
        "create",
        "<service> [-i IMAGE] [-I VERSION] [-p PASSWORD] [-r ROOT-PASSWORD] [-m MEMORY] "
        "[-c OPTIONS] [-C ENV] [-s SIZE] [-N NETWORK] [-P NETWORKS] [-S NETWORKS]",
    )
    @arg("service")
    @arg("-i", "--image", default="")
    @arg("-I", "--image-version", dest="version", default="")
    @arg("-p", "--password", default="")
    @arg("-m", "--memory", default="0")
    @arg("-c", "--config-options", dest="config_options", default="")
    @arg("-r", "--root-password", dest="root_password", default="")
    @arg("-C", "--custom-env", dest="custom_env", default="")
    @arg("-s", "--shm-size", dest="shm_size", default="")
    @arg("-N", "--initial-network", dest="initial_network", default="")
    @arg("-P", "--post-create-network", dest="post_create_network", default="")
    @arg("-S", "--post-start-network", dest="post_start_network", default="")
    @documented(f"Create a {title} service (returns once it accepts connections)")
    def create(
        ctx: Context,
        service: str,
        image: str,
        version: str,
        password: str,
        memory: str,
        config_options: str,
        initial_network: str,
        post_create_network: str,
        post_start_network: str,
        root_password: str,
        custom_env: str,
        shm_size: str,
    ) -> None:
        from pydokku.services import info, lifecycle

        # -r: dokku-postgres and dokku-redis take it and use it nowhere (no root user).
        del root_password

        svc = lifecycle.create_service(
            stype,
            service,
            image=image,
            version=version,
            password=password,
            memory_mb=parse_memory(memory),
            config_options=config_options,
            networks=(initial_network, post_create_network, post_start_network),
            settings={"custom_env": custom_env, "shm_size": shm_size},
        )
        output.echo(info.render(stype, service, info.rows(svc), "stdout"))

    name = f"{ns.name}:create"
    ns.commands[name] = DashValueCommand.wrap(ns.commands[name], CREATE_VALUE_FLAGS)

    @ns.command("destroy", "<service> [-f|--force]")
    @arg("service")
    @arg("-f", "--force", action="store_true")
    @documented(f"Delete a {title} service, its container and its data (not while linked)")
    def destroy(ctx: Context, service: str, force: bool) -> None:
        from pydokku.services import lifecycle, names, store

        store.get(stype, names.validate_name(stype, service))
        linked = [link.app for link in store.links_of(stype, service)]
        if linked:
            raise DokkuError(
                f"Cannot delete linked service {service} (linked to {', '.join(linked)})"
            )
        if not (force or ctx.force):
            confirm(ctx, service, f"This command will destroy {service} {title} service.")
        lifecycle.destroy_service(stype, service)

    @ns.command("list", "[--format stdout|json]")
    @format_arg()
    @documented(f"List all {title} services")
    def list_(ctx: Context, fmt: str) -> None:
        from pydokku.plugins.acl.access import visible_services
        from pydokku.services import store

        found = visible_services(stype.name, store.names(stype))
        if fmt == "json":
            import json

            output.echo(json.dumps(found))
            return
        if not found:
            output.warn(f"There are no {title} services")
            return
        output.header(f"{title} services")
        for name in found:
            output.echo(name)

    @ns.command("exists", "<service>")
    @arg("service")
    @documented(f"Exit 0 if the {title} service exists, 1 if it does not")
    def exists(ctx: Context, service: str) -> None:
        from pydokku.services import names, store

        store.get(stype, names.validate_name(stype, service))
        output.step(f"{title} service {service} exists")

    @ns.command("info", "<service> [--single-info-flag] [--format stdout|json]", extra_args=True)
    @arg("service")
    @format_arg()
    @documented(f"Show a {title} service: DSN, status, version, dirs, links, exposed ports")
    def info_(ctx: Context, service: str, fmt: str, extra: list[str]) -> None:
        from pydokku.services import info, names, store

        svc = store.get(stype, names.validate_name(stype, service))
        if extra:
            key = info.check_flags(extra)
            if fmt != "stdout":
                raise UsageError("--format cannot be combined with a single-value flag")
            output.echo(dict(info.rows(svc))[key])
            return
        output.echo(info.render(stype, service, info.rows(svc), fmt))

    @ns.command("report", "[<service>] [--<ns>-<key>] [--format stdout|json]", extra_args=True)
    @arg("service", nargs="?")
    @format_arg()
    @documented(f"Display the report of one or every {title} service")
    def report(ctx: Context, service: str | None, fmt: str, extra: list[str]) -> None:
        from pydokku.report import render
        from pydokku.services import info, names, store

        prefix = f"--{stype.name}-"
        flags = [e for e in extra if e.startswith(prefix)]
        if len(flags) != len(extra) or len(flags) > 1:
            raise UsageError(f"Unexpected argument: {' '.join(extra)}")
        found = [names.validate_name(stype, service)] if service else store.names(stype)
        sections = [info.section(stype, name) for name in found]
        text = render(sections, fmt, flags[0] if flags else None, every_app=not service)
        if text:
            output.echo(text)

    for verb, summary in (
        ("start", f"Start a stopped {title} service and wait until it is ready"),
        ("stop", f"Stop a running {title} service"),
        ("restart", f"Gracefully stop a {title} service, start it and wait until it is ready"),
    ):
        _add_verb(ns, stype, verb, summary)


def _add_verb(ns: Namespace, stype: ServiceType, verb: str, summary: str) -> None:
    @ns.command(verb, "<service>")
    @arg("service")
    @documented(summary)
    def run(ctx: Context, service: str) -> None:
        from pydokku.services import lifecycle, names

        getattr(lifecycle, verb)(stype, names.validate_name(stype, service))


def add_access_commands(ns: Namespace, stype: ServiceType) -> None:
    """Declare logs, connect, enter, expose and unexpose."""
    title = stype.title

    @ns.command("logs", "<service> [-t|--tail] [-n|--num N]")
    @arg("service")
    @arg("-t", "--tail", dest="follow", action="store_true", help="keep following new lines")
    @arg("-n", "--num", dest="num", type=int, default=100, help="lines to show (0: all)")
    @documented(f"Show the most recent log lines of a {title} service")
    def logs(ctx: Context, service: str, follow: bool, num: int) -> None:
        from pydokku import engine
        from pydokku.services import container, names, store

        svc = store.get(stype, names.validate_name(stype, service))
        status = container.status(svc)
        if status == "missing":
            raise DokkuError("Service container does not exist")
        if status != "running":
            output.warn("Service logs may not be output as service is not running")
        name = names.container_name(stype, service)
        for line in engine.logs(name, follow=follow, tail=num if num > 0 else "all"):
            output.echo(line)

    @ns.command("connect", "<service>")
    @arg("service")
    @documented(f"Connect to a {title} service with its own client (inside its container)")
    def connect(ctx: Context, service: str) -> int:
        from pydokku import engine
        from pydokku.services import data

        target, argv, env = data.exec_parts(data.running(stype, service), stype.connect)
        return engine.exec_stream(target, argv, env=env, pass_stdin=True, tty=engine.stdin_is_tty())

    @ns.command("enter", "<service> [<cmd>...]", intermixed=False)
    @arg("service")
    @arg("command", nargs=argparse.REMAINDER, metavar="<cmd>")
    @documented(f"Run a shell, or a command, inside a {title} service's container")
    def enter(ctx: Context, service: str, command: list[str]) -> int:
        from pydokku import engine
        from pydokku.services import data, names

        data.running(stype, service)
        tty = ["-t"] if engine.stdin_is_tty() else []
        name = names.container_name(stype, service)
        return engine.exec_interactive(["exec", "-i", *tty, name, *(command or SHELL)])

    @ns.command("expose", "<service> [[<host>:]<port>]")
    @arg("service")
    @arg("port", nargs="?", default="", metavar="[<host>:]<port>")
    @documented(f"Publish a {title} service's port on the host (127.0.0.1 unless a host is given)")
    def expose(ctx: Context, service: str, port: str) -> None:
        from pydokku.services import lifecycle, names

        lifecycle.expose(stype, names.validate_name(stype, service), port)

    @ns.command("unexpose", "<service>")
    @arg("service")
    @documented(f"Stop publishing a {title} service's port on the host")
    def unexpose(ctx: Context, service: str) -> None:
        from pydokku.services import lifecycle, names

        lifecycle.unexpose(stype, names.validate_name(stype, service))
