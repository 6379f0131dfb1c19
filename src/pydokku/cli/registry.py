"""Command declarations: a namespace groups `NS:sub` commands declared with decorators.

A command function takes the run context and the parsed arguments as keyword
arguments; its docstring's first line is its help text.
"""

from __future__ import annotations

import os
import sys

from pydokku.errors import DokkuError, UsageError
from pydokku.validation import GLOBAL_SCOPE

# Plain classes, not dataclasses, and argparse imported on first parse: every
# millisecond of import time is paid by each `dokku` call.
TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from typing import Any, NoReturn, TextIO

    CommandFunc = Callable[..., int | None]
    ArgSpec = tuple[tuple[str, ...], dict[str, Any]]

_GLOBAL_TOKEN = "\x00global"  # noqa: S105 (a marker, not a secret)


class Context:
    """What every command gets besides its own arguments: global flags and streams."""

    def __init__(
        self,
        quiet: bool = False,
        trace: bool = False,
        force: bool = False,
        stdin: TextIO | None = None,
    ) -> None:
        self.quiet = quiet
        self.trace = trace
        self.force = force
        self.stdin = stdin or sys.stdin

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
    if os.environ.get("DOKKU_ACTOR"):
        return os.environ["DOKKU_ACTOR"]
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid())


def _parser(usage_line: str, prog: str) -> argparse.ArgumentParser:
    """Return an argument parser that raises UsageError instead of printing and exiting."""
    import argparse

    class Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            raise UsageError(message[:1].upper() + message[1:], usage_line)

    def formatter(prog: str) -> argparse.HelpFormatter:
        # A fixed width: the default asks shutil for the terminal size (slow to import).
        return argparse.HelpFormatter(prog, width=100)

    return Parser(prog=prog, add_help=False, allow_abbrev=False, formatter_class=formatter)


class Command:
    """One `NS:sub` command: its function, arguments and help.

    `extra_args`: unknown flags are passed on as `extra` (report flags).
    `global_scope`: `--global` may stand where the app name goes.
    `intermixed`: flags may follow positionals; off for commands that pass the rest of
    the line on untouched (`run APP CMD --flag`).
    """

    def __init__(
        self,
        name: str,
        func: CommandFunc,
        usage_args: str = "",
        arguments: list[ArgSpec] | None = None,
        hidden: bool = False,
        extra_args: bool = False,
        global_scope: bool = False,
        intermixed: bool = True,
    ) -> None:
        self.name = name
        self.func = func
        self.usage_args = usage_args
        self.arguments = arguments or []
        self.hidden = hidden
        self.extra_args = extra_args
        self.global_scope = global_scope
        self.intermixed = intermixed

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
        if self.global_scope and GLOBAL_SCOPE in argv:
            # argparse would take `--global` for an option; pass it as the app positional.
            argv = list(argv)
            argv[argv.index(GLOBAL_SCOPE)] = _GLOBAL_TOKEN
        parsed = self._parse_plain(argv) if self.intermixed else None
        if parsed is None:
            parsed = self._parse_with_argparse(argv)
        return {k: _unmark(v) for k, v in parsed.items()}

    def _parse_plain(self, argv: list[str]) -> dict[str, Any] | None:
        from pydokku.cli.fastparse import parse_plain

        parsed = parse_plain(self.arguments, argv)
        if parsed is not None and self.extra_args:
            parsed["extra"] = []
        return parsed

    def _parse_with_argparse(self, argv: list[str]) -> dict[str, Any]:
        parser = _parser(self.usage, f"dokku {self.name}")
        for flags, options in self.arguments:
            parser.add_argument(*flags, **options)
        if self.extra_args:
            namespace, extra = parser.parse_known_intermixed_args(argv)
            return {**vars(namespace), "extra": extra}
        if self.intermixed:
            return vars(parser.parse_intermixed_args(argv))
        return vars(parser.parse_args(argv))

    def run(self, ctx: Context, argv: list[str]) -> int:
        """Parse arguments, call the command, and return its exit code."""
        return self.call(ctx, self.parse(argv))

    def call(self, ctx: Context, kwargs: dict[str, Any]) -> int:
        """Call the command with parsed arguments and return its exit code."""
        return int(self.func(ctx, **kwargs) or 0)


MAX_INPUT_BYTES = 64 * 1024 * 1024


class InputText:
    """A `FILE|-` argument, read while parsing: before pydokku gives up root's rights."""

    def __init__(self, name: str, text: str | None = None) -> None:
        self.name = name
        self.text = text

    @property
    def is_stdin(self) -> bool:
        """Tell whether the input comes from stdin (`-`)."""
        return self.text is None

    def read(self, stdin: TextIO) -> str:
        """Return the file's text, or read stdin for `-`."""
        return self.text if self.text is not None else stdin.read(MAX_INPUT_BYTES)


_host_files = {"allowed": True}


def refuse_host_files() -> None:
    """Make `FILE` arguments refuse host paths (over SSH: data comes only from stdin)."""
    _host_files["allowed"] = False


def host_path(value: str) -> str:
    """argparse type for a host path argument: refused over SSH (see `input_file`)."""
    if value and not _host_files["allowed"]:
        raise DokkuError(f"Over SSH, host paths are not accepted ({value!r}): run it on the host")
    return value


def input_file(value: str) -> InputText:
    """argparse type for `FILE|-`: read the file now (as the invoking user).

    Over SSH a path would be read as the dokku user on the server, not the client's file:
    only `-` (stdin) is accepted there.
    """
    if value == "-":
        return InputText("-")
    if not _host_files["allowed"]:
        raise DokkuError(
            f"Over SSH, give the data on stdin instead of a path ({value!r}): "
            "host files are read only by local commands"
        )
    try:
        with open(value, encoding="utf-8", errors="replace") as handle:
            return InputText(value, handle.read(MAX_INPUT_BYTES))
    except OSError as exc:
        # Not a usage mistake: a DokkuError passes through argparse as it is.
        raise DokkuError(f"Cannot read {value}: {exc.strerror}") from exc


def _unmark(value: Any) -> Any:
    """Turn the `--global` marker back into `--global`, also inside list arguments."""
    if isinstance(value, list):
        return [GLOBAL_SCOPE if v == _GLOBAL_TOKEN else v for v in value]
    return GLOBAL_SCOPE if value == _GLOBAL_TOKEN else value


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


class Namespace:
    """A group of commands sharing the `NS:` prefix, with its help description."""

    def __init__(self, name: str, description: str) -> None:
        self.name = name
        self.description = description
        self.commands: dict[str, Command] = {}
        self.default: str | None = None

    def command(
        self,
        sub: str,
        usage: str = "",
        *,
        hidden: bool = False,
        default: bool = False,
        extra_args: bool = False,
        global_scope: bool = False,
        intermixed: bool = True,
    ) -> Callable[[CommandFunc], CommandFunc]:
        """Register the decorated function as `NS:sub` (`sub` empty for the bare `NS`)."""

        def decorate(func: CommandFunc) -> CommandFunc:
            name = f"{self.name}:{sub}" if sub else self.name
            specs = list(func.__dict__.get("_dokku_args", []))
            self.commands[name] = Command(
                name, func, usage, specs, hidden, extra_args, global_scope, intermixed
            )
            if default:
                self.default = name
            return func

        return decorate

    def visible(self) -> list[Command]:
        """Commands listed in help, sorted by name."""
        return sorted((c for c in self.commands.values() if not c.hidden), key=lambda c: c.name)
