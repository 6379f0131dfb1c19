"""trace:on and trace:off."""

from __future__ import annotations

from pydokku import output
from pydokku.cli.registry import Context, Namespace
from pydokku.plugins.trace import logic

trace = Namespace("trace", "Manage trace mode")
NAMESPACES = [trace]


@trace.command("on")
def on(ctx: Context) -> None:
    """Enable trace mode: every command runs as with --trace (full tracebacks)."""
    output.step("Enabling trace mode")
    logic.turn_on()


@trace.command("off")
def off(ctx: Context) -> None:
    """Disable trace mode."""
    output.step("Disabling trace mode")
    logic.turn_off()
