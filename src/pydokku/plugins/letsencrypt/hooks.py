"""Hook implementations of the letsencrypt plugin."""

from __future__ import annotations

from pydokku.hookspecs import hookimpl
from pydokku.report import ReportSection
from pydokku.validation import GLOBAL_SCOPE


@hookimpl
def post_delete(app: str) -> None:
    """Remove the challenge directory and lock of a destroyed app."""
    from pydokku.plugins.letsencrypt.logic import forget

    forget(app)


@hookimpl
def post_domains_update(app: str, action: str, domains: list[str]) -> None:
    """Warn that an app's certificate no longer covers its changed domains."""
    if app == GLOBAL_SCOPE:
        return
    from pydokku import output
    from pydokku.plugins.letsencrypt.logic import is_active

    if is_active(app):
        output.warn(
            f"The Let's Encrypt certificate of {app} covers its previous domains: "
            f"run `dokku letsencrypt:enable {app}` to cover the new ones"
        )


@hookimpl
def report(app: str) -> ReportSection:
    """Report an app's Let's Encrypt settings and certificate state."""
    from pydokku.plugins.letsencrypt.commands import report_section

    return report_section(app)
