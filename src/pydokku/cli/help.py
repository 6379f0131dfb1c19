"""Help text: the command overview, a namespace's commands, and one command's usage."""

from __future__ import annotations

from pydokku import __version__
from pydokku.cli.registry import Command, Namespace

GLOBAL_USAGE = (
    "Usage: dokku [--quiet|--trace|--force] [--app APP] COMMAND <app> [command-specific-options]"
)


def overview(namespaces: list[Namespace]) -> str:
    """Return `dokku help`: every namespace with a visible command, and its description.

    Plumbing (`git-hook`, `git-upload-pack`, ...) has only hidden commands: git and the
    pre-receive hook run it, users never do, so it stays out of the list.
    """
    namespaces = [ns for ns in namespaces if ns.visible()]
    width = max((len(ns.name) for ns in namespaces), default=0) + 4
    lines = [
        GLOBAL_USAGE,
        "",
        'Primary help options, type "dokku COMMAND:help" for more details.',
        "",
        "Commands:",
        "",
    ]
    lines += [f"    {ns.name.ljust(width)}{ns.description}" for ns in sorted(namespaces, key=_name)]
    lines += ["", f"pydokku {__version__}"]
    return "\n".join(lines)


def namespace_help(ns: Namespace) -> str:
    """Return `dokku NS:help`: the namespace's description and its commands."""
    commands = ns.visible()
    usages = [_usage_column(c) for c in commands]
    width = max((len(u) for u in usages), default=0) + 2
    lines = [f"Usage: dokku {ns.name}[:COMMAND]", "", ns.description, "", "Additional commands:"]
    lines += [f"    {u.ljust(width)}{c.summary}" for u, c in zip(usages, commands, strict=True)]
    return "\n".join(lines)


def command_help(command: Command) -> str:
    """Return the usage and full docstring of one command."""
    doc = (command.func.__doc__ or "").strip()
    body = "\n".join(line.strip() for line in doc.splitlines())
    return f"Usage: {command.usage}\n\n{body}".rstrip()


def _usage_column(command: Command) -> str:
    return f"{command.name} {command.usage_args}".rstrip()


def _name(ns: Namespace) -> str:
    return ns.name
