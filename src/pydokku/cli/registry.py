"""Command declarations: a namespace groups `NS:sub` commands declared with decorators.

A command function takes the run context and the parsed arguments as keyword
arguments; its docstring's first line is its help text.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NoReturn, TextIO

from pydokku.errors import UsageError
from pydokku.validation import GLOBAL_SCOPE

_GLOBAL_TOKEN = "\x00global"  # noqa: S105 (a marker, not a secret)
CommandFunc = Callable[..., int | None]
ArgSpec = tuple[tuple[str, ...], dict[str, Any]]


@dataclass
class Context:
    """What every command gets besides its own arguments: global flags and streams."""

    quiet: bool = False
    trace: bool = False
    force: bool = False
    stdin: TextIO = field(default_factory=lambda: sys.stdin)

    @property
    def actor(self) -> str:
        """Name of whoever runs the command: the SSH key name, else the local user."""
        return actor_name()


def actor_name() -> str:
    """Return the SSH key name when run over SSH, else the local user name."""
    if os.environ.get("SSH_ORIGINAL_COMMAND") is not None or os.environ.get("SSH_CONNECTION"):
        name = os.environ.get("SSH_NAME") or os.environ.get("NAME")
        if name:
            return name
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid())


class _Parser(argparse.ArgumentParser):
    """An argument parser that raises UsageError instead of printing and exiting."""

    def __init__(self, usage_line: str, **kwargs: Any) -> None:
        super().__init__(add_help=False, allow_abbrev=False, **kwargs)
        self.usage_line = usage_line

    def error(self, message: str) -> NoReturn:
        raise UsageError(message.capitalize(), self.usage_line)


@dataclass
class Command:
    """One `NS:sub` command: its function, arguments and help."""

    name: str
    func: CommandFunc
    usage_args: str = ""
    arguments: list[ArgSpec] = field(default_factory=list)
    hidden: bool = False
    extra_args: bool = False  # unknown flags are passed on as `extra` (report flags)
    global_scope: bool = False  # `--global` may stand where the app name goes

    @property
    def summary(self) -> str:
        """First line of the function's docstring."""
        doc = (self.func.__doc__ or "").strip()
        return doc.splitlines()[0].rstrip(".") if doc else ""

    @property
    def usage(self) -> str:
        """Usage line: `dokku NS:sub ARGS`."""
        return f"dokku {self.name} {self.usage_args}".rstrip()

    def parse(self, argv: list[str]) -> dict[str, Any]:
        """Parse `argv` into keyword arguments for the command function."""
        parser = _Parser(self.usage, prog=f"dokku {self.name}")
        for flags, options in self.arguments:
            parser.add_argument(*flags, **options)
        if self.global_scope and GLOBAL_SCOPE in argv:
            # argparse would take `--global` for an option; pass it as the app positional.
            argv = list(argv)
            argv[argv.index(GLOBAL_SCOPE)] = _GLOBAL_TOKEN
        if self.extra_args:
            namespace, extra = parser.parse_known_intermixed_args(argv)
            parsed = {**vars(namespace), "extra": extra}
        else:
            parsed = vars(parser.parse_intermixed_args(argv))
        return {k: GLOBAL_SCOPE if v == _GLOBAL_TOKEN else v for k, v in parsed.items()}

    def run(self, ctx: Context, argv: list[str]) -> int:
        """Parse arguments, call the command, and return its exit code."""
        result = self.func(ctx, **self.parse(argv))
        return int(result or 0)


def arg(*flags: str, **options: Any) -> Callable[[CommandFunc], CommandFunc]:
    """Declare one argparse argument of a command (use under `Namespace.command`)."""

    def decorate(func: CommandFunc) -> CommandFunc:
        specs: list[ArgSpec] = func.__dict__.setdefault("_dokku_args", [])
        specs.insert(0, (flags, options))
        return func

    return decorate


def format_arg(
    *, default: str = "stdout", choices: tuple[str, ...] = ("stdout", "json")
) -> Callable[[CommandFunc], CommandFunc]:
    """Declare the usual `--format stdout|json` option."""
    return arg("--format", dest="fmt", default=default, choices=choices)


@dataclass
class Namespace:
    """A group of commands sharing the `NS:` prefix, with its help description."""

    name: str
    description: str
    commands: dict[str, Command] = field(default_factory=dict)
    default: str | None = None

    def command(
        self,
        sub: str,
        usage: str = "",
        *,
        hidden: bool = False,
        default: bool = False,
        extra_args: bool = False,
        global_scope: bool = False,
    ) -> Callable[[CommandFunc], CommandFunc]:
        """Register the decorated function as `NS:sub` (`sub` empty for the bare `NS`)."""

        def decorate(func: CommandFunc) -> CommandFunc:
            name = f"{self.name}:{sub}" if sub else self.name
            specs = list(func.__dict__.get("_dokku_args", []))
            self.commands[name] = Command(
                name, func, usage, specs, hidden, extra_args, global_scope
            )
            if default:
                self.default = name
            return func

        return decorate

    def visible(self) -> list[Command]:
        """Commands listed in help, sorted by name."""
        return sorted((c for c in self.commands.values() if not c.hidden), key=lambda c: c.name)
