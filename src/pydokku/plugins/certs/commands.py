"""certs:* commands (parsing only; the work is in logic.py)."""

from __future__ import annotations

from pydokku import output
from pydokku.cli.common import add_report_command
from pydokku.cli.registry import Context, InputText, Namespace, arg, input_file
from pydokku.errors import UsageError
from pydokku.plugins.certs import inputs, logic
from pydokku.report import ReportSection

certs = Namespace("certs", "Manage the TLS certificates of apps")
NAMESPACES = [certs]

_app = arg("app", metavar="<app>")
# Files are read while parsing, with the caller's rights (root's files stay readable).
_crt = arg("crt", nargs="?", metavar="<crt-file>", type=input_file)
_key = arg("key", nargs="?", metavar="<key-file>", type=input_file)
FILES_OR_TAR = "<app> [<crt-file> <key-file>]"


@certs.command("add", FILES_OR_TAR)
@_app
@_crt
@_key
def add(ctx: Context, app: str, crt: InputText | None, key: InputText | None) -> None:
    """Add a certificate and key to an app (files, or a tar on stdin): it serves HTTPS.

    The tar holds server.crt and server.key (or one *.crt and one *.key).
    """
    _install(ctx, app, crt, key, "certs:add", "Adding")


@certs.command("update", FILES_OR_TAR)
@_app
@_crt
@_key
def update(ctx: Context, app: str, crt: InputText | None, key: InputText | None) -> None:
    """Replace the certificate and key of an app (files, or a tar on stdin)."""
    _install(ctx, app, crt, key, "certs:update", "Updating")


@certs.command("remove", "<app>")
@_app
def remove(ctx: Context, app: str) -> None:
    """Remove the certificate of an app: its proxy serves plain HTTP again."""
    _require(app)
    output.step(f"Removing the certificate of {app}")
    logic.remove(app)


@certs.command("generate", "<app> <domain>")
@_app
@arg("domain", metavar="<domain>")
def generate(ctx: Context, app: str, domain: str) -> None:
    """Generate a key and a self-signed certificate for a domain, and install them."""
    _require(app)
    output.step(f"Generating a self-signed certificate for {domain}")
    cert = logic.generate(app, domain)
    output.verbose(f"Installed a certificate for {' '.join(cert.hostnames)} ({cert.subject})")
    output.warn("Self-signed certificates are not trusted by browsers: use them for testing only")


@certs.command("show", "<app> (crt|key)")
@_app
@arg("which", choices=("crt", "key"), metavar="crt|key")
def show(ctx: Context, app: str, which: str) -> None:
    """Print the certificate (crt) or the private key (key) of an app."""
    output.echo(logic.show(_require(app), which).rstrip("\n"))


def report_section(scope: str) -> ReportSection:
    """Report an app's certificate: subject, issuer, names, validity, trust."""
    return ReportSection("ssl", scope, logic.report_rows(scope))


add_report_command(certs, report_section, flag_prefix="ssl")


def _require(app: str) -> str:
    from pydokku.plugins.apps.logic import require_app

    return require_app(app)


def _install(
    ctx: Context,
    app: str,
    crt: InputText | None,
    key: InputText | None,
    action: str,
    verb: str,
) -> None:
    _require(app)
    if bool(crt) != bool(key):
        raise UsageError("Give both a certificate file and a key file, or a tar on stdin")
    if crt and key:
        data = (inputs.file_bytes(crt, "certificate"), inputs.file_bytes(key, "key"))
    else:
        if ctx.stdin.isatty():
            raise UsageError("Give CRT and KEY files, or pipe a tar of server.crt and server.key")
        data = inputs.read_tar(_stdin_bytes(ctx))
    output.step(f"{verb} the certificate of {app}")
    cert = logic.install(app, data[0], data[1], action=action)
    from pydokku.plugins.certs.pem import iso

    names = " ".join(cert.hostnames) or cert.subject
    output.verbose(f"Certificate for {names}, valid until {iso(cert.expires_at)}")


def _stdin_bytes(ctx: Context) -> bytes:
    buffer = getattr(ctx.stdin, "buffer", None)
    if buffer is not None:
        return bytes(buffer.read(inputs.MAX_TAR_BYTES + 1))
    return ctx.stdin.read().encode("utf-8", "surrogateescape")
