"""The `deploy` command: deploy an existing release again, without a build."""

from __future__ import annotations

from pydokku import release
from pydokku.cli.registry import Context, Namespace, arg
from pydokku.errors import DokkuError, UsageError
from pydokku.plugins.apps.logic import require_app

deploy = Namespace("deploy", "Deploy an app's built image again, without a build")
NAMESPACES = [deploy]


@deploy.command("", "<app> [vN]", default=True)
@arg("app")
@arg("version", nargs="?", metavar="vN")
def deploy_app(ctx: Context, app: str, version: str | None) -> None:
    """Deploy the app's current release again (or release vN) with the current config."""
    from pydokku.plugins.deploy.logic import redeploy

    require_app(app)
    base = None
    if version:
        number = version.removeprefix("v")
        if not number.isdigit():
            raise UsageError(f"Invalid release {version!r}: expected vN")
        base = release.get(app, int(number))
        if base is None or not base.image:
            raise DokkuError(f"Release {version} of {app} does not exist")
    redeploy(app, "deploy", f"Deploy of v{base.version}" if base else "Redeploy", base)
