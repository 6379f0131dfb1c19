"""config:* commands (parsing only; the work is in logic.py and formats.py)."""

from __future__ import annotations

from pydokku import output
from pydokku.cli.registry import Context, InputText, Namespace, arg, input_file
from pydokku.errors import DokkuError
from pydokku.plugins.config import formats, logic
from pydokku.report import ReportSection
from pydokku.validation import validate_env_key

config = Namespace("config", "Manage app and global environment variables")
NAMESPACES = [config]

_target = arg("target", metavar="<app>|--global")
_merged = arg("--merged", action="store_true", help="include global vars")
_no_restart = arg("--no-restart", action="store_true")


@config.command("show", "[--merged] (<app>|--global)", global_scope=True, default=True)
@_target
@_merged
def show(ctx: Context, target: str, merged: bool) -> None:
    """Pretty-print the environment of an app or the global one."""
    env = logic.env_for(logic.check_scope(target), merged)
    if not env:
        output.warn(f"No config vars for {target}")
        return
    output.header(f"{target} env vars")
    output.echo(formats.pretty(env))


@config.command("get", "[--quoted] (<app>|--global) KEY", global_scope=True)
@_target
@arg("key", metavar="KEY")
@arg("--quoted", action="store_true", help="shell-quote the value")
def get(ctx: Context, target: str, key: str, quoted: bool) -> int:
    """Print the value of one config var; exit 1 when it is not set."""
    validate_env_key(key)
    env = logic.merged_env(logic.check_scope(target))
    if key not in env:
        return 1
    if quoted:
        import shlex

        output.echo(shlex.quote(env[key]))
    else:
        output.echo(env[key])
    return 0


@config.command("keys", "[--merged] (<app>|--global)", global_scope=True)
@_target
@_merged
def keys(ctx: Context, target: str, merged: bool) -> None:
    """List the names of the config vars of an app or the global ones."""
    for key in logic.get_keys(logic.check_scope(target), merged):
        output.echo(key)


@config.command(
    "export",
    f"[--format {'|'.join(formats.EXPORT_FORMATS)}] [--merged] (<app>|--global)",
    global_scope=True,
)
@_target
@_merged
@arg("--format", dest="fmt", default="exports", choices=formats.EXPORT_FORMATS)
def export(ctx: Context, target: str, merged: bool, fmt: str) -> None:
    """Export config vars (default: `export KEY='value'` lines for a shell)."""
    text = formats.export(logic.env_for(logic.check_scope(target), merged), fmt)
    if text:
        output.echo(text)


@config.command("bundle", "[--merged] (<app>|--global)", global_scope=True)
@_target
@_merged
def bundle(ctx: Context, target: str, merged: bool) -> None:
    """Write the config vars as a tar file to stdout: one file per key holding its value."""
    import sys

    env = logic.env_for(logic.check_scope(target), merged)
    if sys.stdout.isatty():
        raise DokkuError("config:bundle writes a tar file: redirect stdout to a file or a pipe")
    sys.stdout.flush()
    sys.stdout.buffer.write(formats.bundle(env))
    sys.stdout.buffer.flush()


@config.command(
    "set",
    "[--encoded] [--no-restart] (<app>|--global) KEY1=VALUE1 [KEY2=VALUE2 ...]",
    global_scope=True,
)
@_target
@arg("pairs", nargs="+", metavar="KEY=VALUE")
@arg("--encoded", action="store_true", help="values are base64-encoded")
@_no_restart
def set_(ctx: Context, target: str, pairs: list[str], encoded: bool, no_restart: bool) -> None:
    """Set one or more config vars; the app restarts unless --no-restart."""
    env = logic.parse_pairs(pairs, encoded)
    logic.check_scope(target)
    output.step("Setting config vars")
    for line in formats.pretty(env).splitlines():
        output.verbose(line)
    logic.set_vars(target, env, restart=not no_restart)


@config.command("unset", "[--no-restart] (<app>|--global) KEY1 [KEY2 ...]", global_scope=True)
@_target
@arg("keys", nargs="+", metavar="KEY")
@_no_restart
def unset(ctx: Context, target: str, keys: list[str], no_restart: bool) -> None:
    """Unset one or more config vars; the app restarts unless --no-restart."""
    logic.check_scope(target)
    for key in keys:
        validate_env_key(key)
    for key in keys:
        output.step(f"Unsetting {key}")
    logic.unset_vars(target, keys, restart=not no_restart)


@config.command("clear", "[--no-restart] (<app>|--global)", global_scope=True)
@_target
@_no_restart
def clear(ctx: Context, target: str, no_restart: bool) -> None:
    """Remove every config var of an app or the global ones."""
    logic.check_scope(target)
    output.step("Clearing config vars")
    logic.clear_vars(target, restart=not no_restart)


@config.command(
    "import",
    "[--replace] [--no-restart] [--format envfile|json] (<app>|--global) [FILE|-]",
    global_scope=True,
)
@_target
@arg("source", nargs="?", default="-", metavar="FILE|-", type=input_file)
@arg("--replace", action="store_true", help="remove vars missing from the input")
@arg("--format", dest="fmt", default="", choices=formats.IMPORT_FORMATS)
@_no_restart
def import_(
    ctx: Context, target: str, source: InputText, replace: bool, fmt: str, no_restart: bool
) -> None:
    """Import vars from an env file, `config:export` output or JSON (stdin by default).

    `--format envfile|json` says which the input is (Dokku's flag); without it, input
    starting with `{` or `[` is read as JSON.
    """
    logic.check_scope(target)
    env = formats.parse(_read_source(ctx, source), fmt)
    if not env:
        raise DokkuError("No config vars to set")
    output.step(f"Importing {len(env)} config vars")
    logic.set_vars(target, env, restart=not no_restart, replace=replace)


@config.command("rotate-key", "")
def rotate_key(ctx: Context) -> None:
    """Re-encrypt every stored secret under a new key (config, releases, service passwords)."""
    from pydokku.plugins.config import sealing

    output.step("Re-encrypting stored secrets under a new key")
    count = sealing.rotate_key()
    output.verbose(f"{count} values re-encrypted; the old key is gone (back up the new one)")


def report_section(app: str) -> ReportSection:
    """Report the names of an app's config vars (never their values)."""
    return ReportSection("config", app, [("keys", " ".join(logic.get_keys(app)))])


def _read_source(ctx: Context, source: InputText) -> str:
    if source.is_stdin and ctx.stdin.isatty():
        raise DokkuError("Pass a file, or pipe the vars on stdin")
    return source.read(ctx.stdin)
