"""The `dokku` entry point: global flags, SSH forced commands, help, and dispatch."""

from __future__ import annotations

import os
import sys

from pydokku import output
from pydokku.cli.registry import Command, Context
from pydokku.errors import DokkuError, UsageError

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from typing import Any

GLOBAL_FLAGS = ("--quiet", "--trace", "--force")
HELP_WORDS = ("help", "--help", "-h")
DOKKU_USER = "dokku"
# Commands that change the host outside the Dokku root keep root's rights.
ROOT_COMMANDS = frozenset(
    {"plugin:install", "plugin:uninstall", "plugin:update", "nginx:start", "nginx:stop"}
)
# Dokku's rule: plugin:* but list and help must be run as root (so never over SSH).
ROOT_ONLY = frozenset(
    {
        "plugin:install",
        "plugin:uninstall",
        "plugin:update",
        "plugin:enable",
        "plugin:disable",
        "plugin:trigger",
    }
)
# Internal commands git runs on the host; an SSH client may never name them directly.
LOCAL_ONLY_COMMANDS = frozenset({"git-hook"})


class Invocation:
    """A command line split into global flags, the command name and its arguments."""

    def __init__(self) -> None:
        self.name = ""
        self.args: list[str] = []
        self.quiet = False
        self.trace = False
        self.force = False
        self.app: str | None = None


def parse_invocation(argv: list[str]) -> Invocation:
    """Split `[--quiet] [--trace] [--force] [--app APP] NS:SUB [args]`."""
    inv = Invocation()
    rest = list(argv)
    while rest and rest[0].startswith("--") and rest[0] not in HELP_WORDS:
        flag = rest.pop(0)
        if flag in GLOBAL_FLAGS:
            setattr(inv, flag[2:], True)
        elif flag == "--app" and rest:
            inv.app = rest.pop(0)
        elif flag.startswith("--app="):
            inv.app = flag.split("=", 1)[1]
        elif flag == "--version":
            rest.insert(0, "version")
            break
        else:
            raise UsageError(f"Unknown global flag {flag}")
    if rest and rest[0] == "-v":
        rest[0] = "version"
    if rest:
        inv.name, inv.args = rest[0], rest[1:]
    return inv


def with_app(usage_args: str, args: list[str], app: str | None) -> list[str]:
    """Put the `--app` name where the command expects its app, as Dokku does.

    Dokku's client (contrib/dokku_client.sh) sends `--app APP CMD ARGS` for every command,
    also those without an app (`apps:list`) and with the name repeated
    (`apps:create APP`): the former ignore it, the latter take it once. Service commands
    (`postgres:link <service> <app>`) take it after the service name, as their plugins do.
    """
    if app is None or "<app>" not in usage_args:
        return args
    positionals = [a for a in args if not a.startswith("-")]
    if "<service> <app>" in usage_args:
        return [*args, app] if len(positionals) == 1 else args
    if positionals[:1] == [app]:
        return args
    return [app, *args]


def main(argv: list[str] | None = None) -> int:
    """Run `dokku` with `argv` (default: the process arguments) and return the exit code."""
    if argv is None:
        argv = sys.argv[1:]
    output.guard_streams()
    over_ssh = not argv and os.environ.get("SSH_ORIGINAL_COMMAND") is not None
    trace = "--trace" in argv
    try:
        if over_ssh:
            argv = _ssh_argv(os.environ["SSH_ORIGINAL_COMMAND"])
            trace = "--trace" in argv
        inv = parse_invocation(argv)
        trace = inv.trace
        return dispatch(inv, over_ssh=over_ssh)
    except UsageError as exc:
        output.error(exc.message)
        if exc.usage:
            output.error(f"Usage: {exc.usage}")
        return exc.exit_code
    except DokkuError as exc:
        output.error(exc.message)
        return exc.exit_code
    except KeyboardInterrupt:
        output.error("Interrupted")
        return 130
    except Exception as exc:
        if trace or os.environ.get("DOKKU_TRACE"):  # --trace, or trace:on (dispatch)
            raise
        output.error(f"Unexpected error: {type(exc).__name__}: {exc}")
        output.error("Run again with --trace to see the details")
        return 1


def resolved_ssh_command(original: str) -> str:
    """Return the command name an SSH command line resolves to ('' when there is none)."""
    try:
        return parse_invocation(_ssh_argv(original)).name if original.strip() else ""
    except DokkuError:
        return ""


def _ssh_argv(original: str) -> list[str]:
    import shlex

    try:
        argv = shlex.split(original)
    except ValueError as exc:
        raise DokkuError(f"Cannot parse the SSH command: {exc}") from exc
    if not argv:
        return ["help"]
    return argv


def dispatch(inv: Invocation, *, over_ssh: bool = False) -> int:
    """Run the command an invocation names, or print help."""
    from pydokku.plugins import find_command, find_namespace

    output.set_quiet(inv.quiet)
    if inv.trace or _trace_switched_on():
        os.environ["DOKKU_TRACE"] = "1"
    ctx = Context(quiet=inv.quiet, trace=inv.trace, force=inv.force)
    name = inv.name
    if not name or name in HELP_WORDS:
        return _print_help(inv.args[0] if inv.args else None)
    if name.endswith(":help"):
        return _print_help(name.removesuffix(":help"))
    wants_help = any(a in ("--help", "-h") for a in inv.args)
    command = find_command(name)
    if ":" not in name and (wants_help or command is None) and find_namespace(name):
        return _print_help(name)
    if command is None:
        raise DokkuError(_unknown_command_message(name, over_ssh))
    if wants_help:
        from pydokku.cli.help import command_help

        output.echo(command_help(command))
        return 0
    inv.args = with_app(command.usage_args, inv.args, inv.app)
    if command.name in ROOT_ONLY and (over_ssh or os.geteuid() != 0):
        raise DokkuError(f"{command.name} must be run as root on the server")
    if over_ssh:
        if command.name in LOCAL_ONLY_COMMANDS:
            raise DokkuError(f"{command.name} runs from an app's pre-receive hook, not over SSH")
        from pydokku.cli.registry import refuse_host_files

        refuse_host_files()
    kwargs = _parse(command, inv.args)  # file arguments are read with the caller's rights
    if over_ssh:
        _authorize(command, inv.args, kwargs)
    if not _keeps_root(command, inv.args):
        _drop_to_dokku_user()
        return _run(command, ctx, kwargs)
    try:
        return _run(command, ctx, kwargs)
    finally:
        _give_state_to_dokku()


def _keeps_root(command: Command, args: list[str]) -> bool:
    if command.name in ROOT_COMMANDS:
        return True
    # Host-preparation hooks run as root, as plugin:install and plugin:update run them.
    return command.name == "plugin:trigger" and args[:1] in (["install"], ["update"])


def _trace_switched_on() -> bool:
    """Tell whether `trace:on` turned trace mode on (one stat: the CLI's hot path)."""
    from pydokku.plugins.trace.logic import is_on

    return is_on()


def _parse(command: Command, args: list[str]) -> dict[str, Any]:
    try:
        return command.parse(args)
    except UsageError as exc:
        exc.usage = exc.usage or command.usage
        raise


def _run(command: Command, ctx: Context, kwargs: dict[str, Any]) -> int:
    try:
        return command.call(ctx, kwargs)
    except UsageError as exc:
        exc.usage = exc.usage or command.usage
        raise


def _print_help(topic: str | None) -> int:
    from pydokku.cli import help as helptext
    from pydokku.plugins import all_namespaces, find_namespace

    if topic:
        ns = find_namespace(topic.split(":", 1)[0])
        if ns is None:
            raise DokkuError(_unknown_command_message(topic, False))
        output.echo(helptext.namespace_help(ns))
    else:
        output.echo(helptext.overview(all_namespaces()))
    return 0


def _unknown_command_message(name: str, over_ssh: bool) -> str:
    import difflib

    from pydokku.plugins import all_namespaces

    names = [c for ns in all_namespaces() for c in ns.commands]
    names += [ns.name for ns in all_namespaces()]
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
    message = f"`{name}` is not a dokku command."
    if close:
        message += f"\nDid you mean `{close[0]}`?"
    else:
        message += "\nSee `dokku help` for a list of available commands."
    return message


def _dokku_account() -> tuple[int, int, str] | None:
    """Return (uid, gid, home) of the dokku user when it owns the Dokku root, else None."""
    import pwd

    from pydokku.paths import dokku_root_dir

    try:
        user = pwd.getpwnam(DOKKU_USER)
        owner = os.stat(dokku_root_dir()).st_uid
    except (KeyError, OSError):
        return None
    return (user.pw_uid, user.pw_gid, user.pw_dir) if owner == user.pw_uid else None


def _give_state_to_dokku() -> None:
    """After a root-only command, hand the state files it created to the dokku user."""
    account = _dokku_account() if os.geteuid() == 0 else None
    if account is None:
        return
    from pydokku.paths import state_db

    directory = state_db().parent  # the store, its WAL files and the secret key
    for path in [directory, *directory.iterdir()]:
        os.chown(path, account[0], account[1])


def _drop_to_dokku_user() -> None:
    """Run as the dokku user when root runs a command on an installed host.

    Files pydokku writes (state, repos, nginx configs) must stay owned by dokku,
    which is who runs commands arriving over SSH.
    """
    account = _dokku_account() if os.geteuid() == 0 else None
    if account is None:
        return
    uid, gid, home = account
    os.environ.setdefault("DOKKU_ACTOR", os.environ.get("SUDO_USER") or "root")
    os.initgroups(DOKKU_USER, gid)
    os.setgid(gid)
    os.setuid(uid)
    os.environ.update(HOME=home, USER=DOKKU_USER, LOGNAME=DOKKU_USER)


def _authorize(command: Command, args: list[str], kwargs: dict[str, Any]) -> None:
    """Refuse an SSH command its key may not run: the access lists, then `user_auth`."""
    from pydokku.plugins.acl.access import authorize
    from pydokku.plugins.manager import has_third_party_plugins, hook

    ssh_name = os.environ.get("SSH_NAME") or os.environ.get("NAME", "")
    authorize(command.name, command.usage_args, kwargs, ssh_name)
    # No built-in plugin implements user_auth (tests/cli/test_plugins.py checks), so
    # with no third-party plugin nobody can deny: skip building the manager (~70 ms).
    if not has_third_party_plugins():
        return

    user = os.environ.get("USER", "")
    allowed = hook().user_auth(user=user, ssh_name=ssh_name, command=command.name, args=args)
    if allowed is False:
        raise DokkuError(f"Permission denied for {command.name}")
