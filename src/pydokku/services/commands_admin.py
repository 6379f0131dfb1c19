"""Dokku's datastore maintenance commands: `NS:pause`, `NS:upgrade` and `NS:set`.

Parsing and printing only; the work is in `services.admin`.
"""

from __future__ import annotations

from pydokku.cli.registry import Context, Namespace, arg
from pydokku.services.spec import ServiceType


def settings_of(**flags: str | None) -> dict[str, str]:
    """Return the create/upgrade flags that were given, by their stored names."""
    return {key: value for key, value in flags.items() if value is not None}


def add_admin_commands(ns: Namespace, stype: ServiceType) -> None:
    """Declare pause, upgrade and set."""
    from pydokku.services.commands import documented

    title = stype.title

    @ns.command("pause", "<service>")
    @arg("service")
    @documented(f"Pause a running {title} service (its container is stopped, not removed)")
    def pause(ctx: Context, service: str) -> None:
        from pydokku.services import admin

        admin.pause(stype, service)

    @ns.command(
        "upgrade",
        "<service> [-i IMAGE] [-I VERSION] [-R|--restart-apps true] [-C ENV] [-s SIZE] "
        "[-c OPTIONS] [-N NET] [-P NETS] [-S NETS]",
    )
    @arg("service")
    @arg("-i", "--image", default="")
    @arg("-I", "--image-version", dest="version", default="")
    @arg("-R", "--restart-apps", dest="restart_apps", default="false", choices=("true", "false"))
    @arg("-C", "--custom-env", dest="custom_env", default=None)
    @arg("-s", "--shm-size", dest="shm_size", default=None)
    @arg("-c", "--config-options", dest="config_options", default=None)
    @arg("-N", "--initial-network", dest="initial_network", default=None)
    @arg("-P", "--post-create-network", dest="post_create_network", default=None)
    @arg("-S", "--post-start-network", dest="post_start_network", default=None)
    @documented(f"Run a {title} service on another image or version; its data is kept")
    def upgrade(
        ctx: Context,
        service: str,
        image: str,
        version: str,
        restart_apps: str,
        custom_env: str | None,
        shm_size: str | None,
        config_options: str | None,
        initial_network: str | None,
        post_create_network: str | None,
        post_start_network: str | None,
    ) -> None:
        from pydokku.services import admin

        admin.upgrade(
            stype,
            service,
            image=image,
            version=version,
            restart_apps=restart_apps == "true",
            settings=settings_of(
                custom_env=custom_env,
                shm_size=shm_size,
                config_options=config_options,
                initial_network=initial_network,
                post_create_network=post_create_network,
                post_start_network=post_start_network,
            ),
        )

    @ns.command("set", "<service> <key> [<value>]")
    @arg("service")
    @arg("key", nargs="?", default="")
    @arg("value", nargs="?", default="")
    @documented(f"Set or clear a property of a {title} service (the networks it joins)")
    def set_(ctx: Context, service: str, key: str, value: str) -> None:
        from pydokku.services import admin

        admin.set_property(stype, service, key, value)
