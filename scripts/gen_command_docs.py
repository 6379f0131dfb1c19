"""Write docs/commands.md from the command registry (run after adding a command)."""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs" / "commands.md"


def render() -> str:
    """Return the Markdown listing of every built-in namespace and command."""
    from pydokku.plugins import DEFAULT_PLUGINS, builtin_namespaces

    lines = [
        "# Commands",
        "",
        "Generated from the command registry by `scripts/gen_command_docs.py`; a test fails",
        "when it is out of date. `dokku NS:help` prints the same text.",
        "",
    ]
    namespaces = [ns for plugin in DEFAULT_PLUGINS for ns in builtin_namespaces(plugin)]
    for ns in sorted(namespaces, key=lambda n: n.name):
        lines += [f"## {ns.name}", "", ns.description + ".", ""]
        for command in sorted(ns.commands.values(), key=lambda c: c.name):
            doc = (command.func.__doc__ or "").strip()
            lines.append(f"- `{command.usage}`" + (" (hidden)" if command.hidden else ""))
            lines += [f"  {line.strip()}" for line in doc.splitlines() if line.strip()]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    DOCS.write_text(render())
    sys.exit(0)
