"""letsencrypt:* commands, the dokku-letsencrypt interface (parsing only; work in logic.py)."""

from __future__ import annotations

from pydokku import output
from pydokku.cli.common import add_property_commands
from pydokku.cli.registry import Context, Namespace, arg
from pydokku.errors import DokkuError, UsageError
from pydokku.plugins.letsencrypt import settings

letsencrypt = Namespace("letsencrypt", "Get and renew Let's Encrypt (ACME) certificates for apps")
NAMESPACES = [letsencrypt]

_app = arg("app", metavar="<app>")
COLUMN = 30


@letsencrypt.command("enable", "(<app>|--all) [--force]")
@arg("app", nargs="?", metavar="<app>")
@arg("--all", dest="all_apps", action="store_true")
@arg("--force", action="store_true", help="renew even when the certificate is still good")
def enable(ctx: Context, app: str | None, all_apps: bool, force: bool) -> None:
    """Get a certificate for an app's domains, or renew it when due."""
    from pydokku.plugins.letsencrypt import logic

    failed = []
    for name in _targets(app, all_apps):
        output.header(f"Let's Encrypt {name}")
        try:
            logic.enable(name, force=force or ctx.force)
        except DokkuError as exc:
            if not all_apps:
                raise
            output.warn(f"{name}: {exc.message}")
            failed.append(name)
    if failed:
        raise DokkuError(f"No certificate for {', '.join(failed)}")


@letsencrypt.command("disable", "<app>")
@_app
def disable(ctx: Context, app: str) -> None:
    """Remove an app's Let's Encrypt certificate: it serves plain HTTP again."""
    from pydokku.plugins.letsencrypt import logic

    output.step(f"Disabling Let's Encrypt for {_require(app)}")
    if not logic.disable(app):
        output.warn(f"Let's Encrypt is not active for {app}: nothing to remove")


@letsencrypt.command("revoke", "<app>")
@_app
def revoke(ctx: Context, app: str) -> None:
    """Revoke an app's Let's Encrypt certificate and remove it."""
    from pydokku.plugins.letsencrypt import logic

    output.step(f"Revoking the Let's Encrypt certificate of {_require(app)}")
    logic.revoke(app)
    output.step("Certificate revoked and removed")


@letsencrypt.command("active", "<app>")
@_app
def active(ctx: Context, app: str) -> None:
    """Print true if an app serves its Let's Encrypt certificate, else false."""
    from pydokku.plugins.letsencrypt import logic

    output.echo("true" if logic.is_active(_require(app)) else "false")


@letsencrypt.command("cleanup", "<app>")
@arg("app", metavar="<app>")
def cleanup(ctx: Context, app: str) -> None:
    """Remove what interrupted certificate orders of an app left behind."""
    from pydokku.plugins.letsencrypt import logic

    name = _require(app)
    output.header(f"Cleaning up stale certificate directories for {name}")
    for path in logic.cleanup(name):
        output.step(f"  - stale {path}")


@letsencrypt.command("list")
def list_(ctx: Context) -> None:
    """List the apps with Let's Encrypt certificates, their expiry and renewal times."""
    from pydokku.plugins.letsencrypt import logic

    titles = ("App name", "Certificate Expiry", "Time before expiry", "Time before renewal")
    output.step(_columns(titles))
    for row in logic.list_rows():
        output.echo(_columns(row))


@letsencrypt.command("auto-renew", "[<app>]")
@arg("app", nargs="?", metavar="<app>")
def auto_renew(ctx: Context, app: str | None) -> None:
    """Renew the certificates inside their grace period (every app's, or one app's)."""
    from pydokku.plugins.letsencrypt import logic

    if app:
        targets = [_require(app)]
    else:
        output.header("Auto-renewing all apps...")
        targets = logic.active_apps()
    failed = logic.auto_renew(targets)
    if not app:
        output.header("Finished auto-renewal")
    if failed:
        raise DokkuError(f"Renewal failed for {', '.join(failed)}; their current certificates stay")


@letsencrypt.command("cron-job", "(--add|--remove)")
@arg("--add", action="store_true")
@arg("--remove", action="store_true")
def cron_job(ctx: Context, add: bool, remove: bool) -> None:
    """Add or remove the daily job running letsencrypt:auto-renew."""
    from pydokku.plugins.letsencrypt import cron

    if add == remove:
        raise UsageError("Give --add or --remove")
    if add:
        where = cron.add()
        output.step(f"Added the auto-renew job to {where}")
        output.verbose(cron.cron_line() if where.startswith("the crontab") else cron.COMMAND)
    else:
        output.step(f"Removed the auto-renew job from {cron.remove()}")


def _extra_rows(scope: str) -> list[tuple[str, str]]:
    from pydokku.plugins.letsencrypt import logic

    return logic.report_rows(scope)


report_section = add_property_commands(letsencrypt, settings.SPECS, _extra_rows)


def _columns(values: tuple[str, ...]) -> str:
    return "".join(value.ljust(COLUMN) for value in values[:-1]) + values[-1]


def _require(app: str) -> str:
    from pydokku.plugins.apps.logic import require_app

    return require_app(app)


def _targets(app: str | None, all_apps: bool) -> list[str]:
    from pydokku.plugins.apps.logic import list_apps

    if bool(app) == all_apps:
        raise UsageError("Give an app name or --all")
    return list_apps() if all_apps else [_require(app or "")]
