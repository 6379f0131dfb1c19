"""Who may run what over SSH: the rules of the dokku-acl plugin, applied at dispatch.

Access control applies once a super user is set or any app or service has a grant;
until then every key holder may run everything, as before. Then, for a key name:

- a super user may run every command;
- `acl:*` needs a super user (lists change locally, or over SSH by a super user);
- `help`, `version`, `apps:list` and `<service>:list` are open (the lists show only
  what the user may see);
- a command on apps or services is allowed when each one's list names the user, or,
  for an empty list, when no super user is set;
- any other command (plugins, ssh-keys, `--global` settings, commands over every app
  such as `ps:stop --all`, `report` or `events:list`) needs a super user.

Commands run on the server itself are never restricted.
"""

from __future__ import annotations

from pydokku.errors import DokkuError
from pydokku.plugins.acl import logic
from pydokku.validation import GLOBAL_SCOPE

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

OPEN_COMMANDS = frozenset({"help", "version", "apps:list"})
GIT_COMMANDS = frozenset({"git-receive-pack", "git-upload-pack", "git-upload-archive"})
# Keyword arguments that name an app (or `--global`, for `target`).
APP_ARGS = ("app", "old_app", "new_app", "target")
SERVICE_ARGS = ("service", "new_service")
# The key name the current SSH command runs as; None for local commands.
_viewer: dict[str, str | None] = {"name": None}


class Targets:
    """What a command line acts on: apps, services of one type, or the whole host."""

    def __init__(self) -> None:
        self.apps: list[str] = []
        self.services: list[str] = []
        self.service_type = ""
        self.host = False


def targets(command: str, kwargs: dict[str, Any]) -> Targets:
    """Find the apps and services a parsed command line names, or that it acts host-wide."""
    found = Targets()
    namespace = command.split(":", 1)[0]
    if command in GIT_COMMANDS:
        from pydokku.plugins.git.receive import app_from_repo_arg

        found.apps.append(app_from_repo_arg(str(kwargs.get("repo", ""))))
        return found
    for key in APP_ARGS:
        value = kwargs.get(key)
        if value == GLOBAL_SCOPE:
            found.host = True
        elif isinstance(value, str) and value:
            found.apps.append(value)
    if any(kwargs.get(key) for key in SERVICE_ARGS):
        found.service_type = namespace
        found.services = [str(kwargs[key]) for key in SERVICE_ARGS if kwargs.get(key)]
    if kwargs.get("global_") or kwargs.get("all_apps"):
        found.host = True
    elif not found.apps and not found.services:
        found.host = True  # no app or service named: it acts on the host or on every app
    return found


def authorize(command: str, usage_args: str, kwargs: dict[str, Any], name: str) -> None:
    """Refuse an SSH command key `name` may not run; remember `name` for the lists."""
    supers = logic.super_users()
    if name and name in supers:
        return
    who = name or "(unnamed key)"
    if command.split(":", 1)[0] == "acl":  # even before any list exists
        raise DokkuError(
            f"User {who} may not run {command} over SSH: access lists are changed "
            "by a super user or with the dokku command on the server"
        )
    if not logic.in_use():
        return
    _viewer["name"] = name
    if command in OPEN_COMMANDS or _lists_services(command, usage_args):
        return
    found = targets(command, kwargs)
    if found.host:
        raise DokkuError(f"User {who} does not have permissions to run {command}")
    for app in found.apps:
        if not _may(name, logic.app_users(app), supers):
            raise DokkuError(
                f"User {who} does not have permissions to run {command} on {app}, "
                f"or {app} does not exist"
            )
    for service in found.services:
        if not _may(name, logic.service_users(found.service_type, service), supers):
            raise DokkuError(
                f"User {who} does not have permissions to run {command} on {service}, "
                f"or {service} does not exist"
            )


def visible_apps(apps: list[str]) -> list[str]:
    """Return the apps of `apps` the SSH user may see (all of them for local commands)."""
    return _visible(apps, logic.app_users)


def visible_services(type_name: str, services: list[str]) -> list[str]:
    """Return the services of `services` the SSH user may see (all for local commands)."""
    return _visible(services, lambda service: logic.service_users(type_name, service))


def _visible(names: list[str], users_of: Callable[[str], list[str]]) -> list[str]:
    viewer = _viewer["name"]
    supers = logic.super_users() if viewer is not None else set()
    if viewer is None or viewer in supers:
        return names
    return [name for name in names if _may(viewer, users_of(name), supers)]


def _may(name: str, users: list[str], supers: set[str]) -> bool:
    """dokku-acl's rule: listed users only; an empty list is open unless a super user is set."""
    return name in users if users else not supers


def _lists_services(command: str, usage_args: str) -> bool:
    namespace, _, sub = command.partition(":")
    if sub != "list" or usage_args != "[--format stdout|json]":
        return False
    try:
        logic.service_type(namespace)
    except DokkuError:
        return False
    return True
