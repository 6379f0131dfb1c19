"""domains:*, url and urls commands (parsing only; the work is in logic.py and urls.py)."""

from __future__ import annotations

from pydokku import output
from pydokku.cli.common import add_report_command
from pydokku.cli.registry import Context, Namespace, arg
from pydokku.errors import UsageError
from pydokku.plugins.domains import logic
from pydokku.report import ReportSection
from pydokku.validation import GLOBAL_SCOPE

domains = Namespace("domains", "Manage the domains (vhosts) apps answer to")
url = Namespace("url", "Print the first URL of an app")
urls = Namespace("urls", "Print every URL of an app")
NAMESPACES = [domains, url, urls]

_app = arg("app", metavar="<app>")
_domains = arg("names", nargs="+", metavar="<domain>")


@domains.command("add", "<app> <domain> [<domain> ...]")
@_app
@_domains
def add(ctx: Context, app: str, names: list[str]) -> None:
    """Add domains to an app."""
    logic.check_app(app)
    for domain in logic.add_domains(app, names):
        _warn_if_shared(domain, app)
        output.step(f"Added {domain} to {app}")


@domains.command("remove", "<app> <domain> [<domain> ...]")
@_app
@_domains
def remove(ctx: Context, app: str, names: list[str]) -> None:
    """Remove domains from an app."""
    logic.check_app(app)
    for domain in logic.remove_domains(app, names):
        output.step(f"Removed {domain} from {app}")


@domains.command("set", "<app> <domain> [<domain> ...]")
@_app
@_domains
def set_(ctx: Context, app: str, names: list[str]) -> None:
    """Replace every domain of an app with the given ones."""
    logic.check_app(app)
    output.step(f"Set {' '.join(logic.set_domains(app, names))} for {app}")


@domains.command("clear", "<app>")
@_app
def clear(ctx: Context, app: str) -> None:
    """Remove every domain of an app."""
    logic.clear_domains(app)
    output.step(f"Cleared domains in {app}")


@domains.command("reset", "<app>")
@_app
def reset(ctx: Context, app: str) -> None:
    """Give an app back its default domains (derived from the global ones)."""
    defaults = logic.reset_domains(app)
    output.step(f"Reset domains for {app}" + (f": {' '.join(defaults)}" if defaults else ""))


@domains.command("enable", "(<app>|--all)")
@arg("app", nargs="?", metavar="<app>")
@arg("--all", dest="all_apps", action="store_true")
def enable(ctx: Context, app: str | None, all_apps: bool) -> None:
    """Serve apps by their domains again (restores default domains if they have none)."""
    for name in _targets(app, all_apps):
        output.step(f"Enabling domains for {name}")
        logic.set_vhost_enabled(name, True)


@domains.command("disable", "(<app>|--all)")
@arg("app", nargs="?", metavar="<app>")
@arg("--all", dest="all_apps", action="store_true")
def disable(ctx: Context, app: str | None, all_apps: bool) -> None:
    """Serve apps on their ports only, without matching domain names."""
    for name in _targets(app, all_apps):
        output.step(f"Disabling domains for {name}")
        logic.set_vhost_enabled(name, False)


@domains.command("add-global", "<domain> [<domain> ...]")
@_domains
def add_global(ctx: Context, names: list[str]) -> None:
    """Add global domains (new apps get APP.<domain>)."""
    for domain in logic.add_domains(GLOBAL_SCOPE, names):
        output.step(f"Added {domain}")


@domains.command("remove-global", "<domain> [<domain> ...]")
@_domains
def remove_global(ctx: Context, names: list[str]) -> None:
    """Remove global domains."""
    for domain in logic.remove_domains(GLOBAL_SCOPE, names):
        output.step(f"Removed {domain}")


@domains.command("set-global", "<domain> [<domain> ...]")
@_domains
def set_global(ctx: Context, names: list[str]) -> None:
    """Replace every global domain with the given ones."""
    output.step(f"Set {' '.join(logic.set_domains(GLOBAL_SCOPE, names))}")


@domains.command("clear-global")
def clear_global(ctx: Context) -> None:
    """Remove every global domain."""
    logic.clear_domains(GLOBAL_SCOPE)
    output.step("Cleared global domains")


@url.command("", "<app>", default=True)
@_app
def show_url(ctx: Context, app: str) -> None:
    """Print the first URL of an app."""
    from pydokku.plugins.domains.urls import app_urls

    output.echo(app_urls(logic.check_app(app))[0])


@urls.command("", "<app>", default=True)
@_app
def show_urls(ctx: Context, app: str) -> None:
    """Print every URL of an app, one per line."""
    from pydokku.plugins.domains.urls import app_urls

    for line in app_urls(logic.check_app(app)):
        output.echo(line)


def report_section(scope: str) -> ReportSection:
    """Report whether an app is served by name, its vhosts and the global ones."""
    return ReportSection("domains", scope, logic.report_rows(scope))


add_report_command(domains, report_section)


def _targets(app: str | None, all_apps: bool) -> list[str]:
    from pydokku.plugins.apps.logic import list_apps

    if bool(app) == all_apps:
        raise UsageError("Give an app name or --all")
    return list_apps() if all_apps else [logic.check_app(app or "")]


def _warn_if_shared(domain: str, app: str) -> None:
    others = logic.apps_using(domain, app)
    if others:
        output.warn(f"{domain} is also a domain of {', '.join(others)}")
