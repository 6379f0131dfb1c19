"""ssh-keys:* commands (parsing only; the work is in logic.py)."""

from __future__ import annotations

import os

from pydokku import output
from pydokku.cli.registry import Context, InputText, Namespace, arg, format_arg, input_file
from pydokku.errors import DokkuError, UsageError
from pydokku.plugins.ssh_keys import logic
from pydokku.plugins.ssh_keys.keys import validate_name

ssh_keys = Namespace("ssh-keys", "Manage the SSH keys allowed to push and run commands")
NAMESPACES = [ssh_keys]

MAX_KEY_INPUT = 64 * 1024


@ssh_keys.command("add", "<name> [<file>|-]")
@arg("name")
@arg("file", nargs="?", default="-", type=input_file)
def add(ctx: Context, name: str, file: InputText) -> None:
    """Add a public key (from a file, or stdin) under a name and print its fingerprint."""
    _refuse_over_ssh("ssh-keys:add")
    validate_name(name)
    stored = logic.add_key(name, _read_key(ctx, file))
    output.echo(stored.key.fingerprint)


@ssh_keys.command("remove", "<name>|--fingerprint <fingerprint>")
@arg("name", nargs="?")
@arg("--fingerprint")
def remove(ctx: Context, name: str | None, fingerprint: str | None) -> None:
    """Remove a key by its name or by its SHA256 fingerprint."""
    _refuse_over_ssh("ssh-keys:remove")
    if (name is None) == (fingerprint is None):
        raise UsageError("Give either a key name or --fingerprint")
    removed = logic.remove_key(name, fingerprint)
    output.step(f"Removed key {removed.name} ({removed.key.fingerprint})")


@ssh_keys.command("list", "[--format text|json] [<name>]")
@arg("name", nargs="?")
@format_arg(default="text", choices=("text", "json"))
def list_(ctx: Context, name: str | None, fmt: str) -> None:
    """List the keys allowed in, with their fingerprints."""
    keys = logic.list_keys(name)
    if fmt == "json":  # as Dokku's jq filter: an unknown name is an empty list, not an error
        import json

        output.echo(json.dumps([k.as_dict() for k in keys]))
        return
    if name is not None and not keys:
        raise DokkuError(f"No public key found with name {name}")
    if not keys:
        raise DokkuError("No public keys found.")
    for key in keys:
        output.echo(f'{key.key.fingerprint}  NAME="{key.name}" SSHCOMMAND_ALLOWED_KEYS="none"')


def _refuse_over_ssh(command: str) -> None:
    # As in Dokku (where these need root): a key holder may not grant or revoke access.
    if os.environ.get("SSH_ORIGINAL_COMMAND") is not None:
        raise DokkuError(f"{command} must be run on the server, not over SSH")


def _read_key(ctx: Context, file: InputText) -> str:
    if file.is_stdin and ctx.stdin.isatty():
        raise UsageError("Give a key file, or pipe the public key on stdin")
    text = file.read(ctx.stdin)
    if len(text) > MAX_KEY_INPUT:
        raise DokkuError("The key input is too large for one public key")
    return text
