"""Datastore commands about apps and data: link, unlink, promote, export, import, backups."""

from __future__ import annotations

from pydokku import output
from pydokku.cli.registry import Context, Namespace, arg
from pydokku.services.commands import documented
from pydokku.services.spec import ServiceType


def add_data_commands(ns: Namespace, stype: ServiceType) -> None:
    """Declare the link and data commands of a datastore type."""
    add_link_commands(ns, stype)
    add_dump_commands(ns, stype)
    add_backup_commands(ns, stype)


def add_link_commands(ns: Namespace, stype: ServiceType) -> None:
    """Declare link, unlink, linked, links, app-links and promote."""
    title, var = stype.title, f"{stype.default_alias}_URL"

    @ns.command("link", "<service> <app> [-a|--alias ALIAS] [-q|--querystring QS] [-n]")
    @arg("service")
    @arg("app")
    @arg("-a", "--alias", default="")
    @arg("-q", "--querystring", dest="query", default="")
    @arg("-n", "--no-restart", dest="no_restart", action="store_true")
    @documented(f"Link a {title} service to an app: sets {var} (restarts the app unless -n)")
    def link(
        ctx: Context, service: str, app: str, alias: str, query: str, no_restart: bool
    ) -> None:
        from pydokku.services import links

        links.link(stype, service, app, alias=alias, query=query, restart=not no_restart)

    @ns.command("unlink", "<service> <app> [-n|--no-restart]")
    @arg("service")
    @arg("app")
    @arg("-n", "--no-restart", dest="no_restart", action="store_true")
    @documented(f"Unlink a {title} service from an app: removes its URL var")
    def unlink(ctx: Context, service: str, app: str, no_restart: bool) -> None:
        from pydokku.services import links

        links.unlink(stype, service, app, restart=not no_restart)

    @ns.command("linked", "<service> <app>")
    @arg("service")
    @arg("app")
    @documented(f"Exit 0 if the {title} service is linked to the app, 1 if not")
    def linked(ctx: Context, service: str, app: str) -> int:
        from pydokku.services import links

        if links.is_linked(stype, service, app):
            output.step(f"Service {service} is linked to {app}")
            return 0
        output.warn(f"Service {service} is not linked to {app}")
        return 1

    @ns.command("links", "<service>")
    @arg("service")
    @documented(f"List the apps linked to a {title} service")
    def links_(ctx: Context, service: str) -> None:
        from pydokku.services import links

        for app in links.linked_apps(stype, service):
            output.echo(app)

    @ns.command("app-links", "<app>")
    @arg("app")
    @documented(f"List the {title} services linked to an app")
    def app_links(ctx: Context, app: str) -> None:
        from pydokku.services import links

        for service in links.app_services(stype, app):
            output.echo(service)

    @ns.command("promote", "<service> <app>")
    @arg("service")
    @arg("app")
    @documented(f"Make a linked {title} service the app's {var} (the old one keeps a color)")
    def promote(ctx: Context, service: str, app: str) -> None:
        from pydokku.services import links

        links.promote(stype, service, app)


def add_dump_commands(ns: Namespace, stype: ServiceType) -> None:
    """Declare export, import and clone."""
    title = stype.title

    @ns.command("export", "<service>")
    @arg("service")
    @documented(f"Write a dump of a {title} service to stdout (binary)")
    def export(ctx: Context, service: str) -> None:
        from pydokku.services import data

        data.export(stype, service)

    @ns.command("import", "<service>")
    @arg("service")
    @documented(f"Load a dump from stdin into a {title} service")
    def import_(ctx: Context, service: str) -> None:
        from pydokku.services import data

        data.import_(stype, service)

    @ns.command("clone", "<service> <new-service>")
    @arg("service")
    @arg("new_service", metavar="<new-service>")
    @documented(f"Create a new {title} service with a copy of a service's data")
    def clone(ctx: Context, service: str, new_service: str) -> None:
        from pydokku.services import data

        data.clone(stype, service, new_service)


def add_backup_commands(ns: Namespace, stype: ServiceType) -> None:
    """Declare backup, backup-schedule, backup-unschedule, backup-schedule-cat, retention."""
    title = stype.title

    @ns.command("backup", "<service> <dir>")
    @arg("service")
    @arg("directory", metavar="<dir>")
    @documented(f"Write a dump of a {title} service into a directory, keeping the retention")
    def backup(ctx: Context, service: str, directory: str) -> None:
        from pydokku.services import data

        data.backup(stype, service, directory)

    @ns.command("backup-schedule", "<service> <schedule> <dir>")
    @arg("service")
    @arg("schedule", metavar="<schedule>")
    @arg("directory", metavar="<dir>")
    @documented(f'Back up a {title} service on a cron schedule ("0 3 * * *") into a directory')
    def backup_schedule(ctx: Context, service: str, schedule: str, directory: str) -> None:
        from pydokku.services import schedule as cron

        line = cron.schedule(stype, service, schedule, directory)
        output.step(f"Scheduled backups of {service}")
        output.verbose(line)

    @ns.command("backup-unschedule", "<service>")
    @arg("service")
    @documented(f"Remove the backup schedule of a {title} service")
    def backup_unschedule(ctx: Context, service: str) -> None:
        from pydokku.services import names, schedule, store

        schedule.unschedule(store.get(stype, names.validate_name(stype, service)))
        output.step(f"Unscheduled backups of {service}")

    @ns.command("backup-schedule-cat", "<service>")
    @arg("service")
    @documented(f"Show the crontab line of a {title} service's scheduled backup")
    def backup_schedule_cat(ctx: Context, service: str) -> None:
        from pydokku.services import schedule

        output.echo(schedule.entry(stype, service))

    @ns.command("backup-set-retention", "<service> <count>")
    @arg("service")
    @arg("count", metavar="<count>")
    @documented(f"Keep only the newest N backups of a {title} service (0: keep all)")
    def backup_set_retention(ctx: Context, service: str, count: str) -> None:
        from pydokku.services import data

        kept = data.set_retention(stype, service, count)
        output.step(f"Keeping {kept or 'all'} backups of {service}")
