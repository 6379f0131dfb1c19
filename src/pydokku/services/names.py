"""Pure naming rules of services: names, containers, DNS aliases, URLs and link aliases."""

from __future__ import annotations

import re
from urllib.parse import quote

from pydokku.errors import DokkuError
from pydokku.services.spec import ServiceType
from pydokku.validation import is_env_key

SERVICE_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*\Z")
DNS_LABEL_MAX = 63
# Dokku's order for the second, third... link of one kind: DOKKU_POSTGRES_AQUA_URL, ...
COLORS = (
    "AQUA",
    "BLACK",
    "BLUE",
    "FUCHSIA",
    "GRAY",
    "GREEN",
    "LIME",
    "MAROON",
    "NAVY",
    "OLIVE",
    "PURPLE",
    "RED",
    "SILVER",
    "TEAL",
    "WHITE",
    "YELLOW",
)
# Printable ASCII without space, quotes or backslash: safe in env, URLs (quoted) and
# redis.conf (double-quoted).
_PASSWORD_RE = re.compile(r"^[!#-&(-\[\]-~]{8,128}\Z")
_QUERY_RE = re.compile(r"^[A-Za-z0-9_.~%&=+:,/-]{1,512}\Z")


def max_name_length(stype: ServiceType) -> int:
    """Return the longest service name whose DNS alias fits one DNS label."""
    return DNS_LABEL_MAX - len(f"dokku-{stype.name}-")


def name_problem(stype: ServiceType, name: str) -> str | None:
    """Return why `name` is not a valid service name, or None when it is valid."""
    if not name:
        return "Service name must not be empty"
    if len(name) > max_name_length(stype):
        return f"Service name must be at most {max_name_length(stype)} characters"
    if not SERVICE_NAME_RE.match(name):
        return (
            "Valid service names begin with a lowercase alphanumeric character and contain "
            "only lowercase alphanumeric characters, periods, dashes and underscores"
        )
    if ".." in name or name.endswith((".", "-", "_")):
        return "Service name must not end with a period, dash or underscore, nor contain '..'"
    return None


def validate_name(stype: ServiceType, name: str) -> str:
    """Return `name` if it is a valid service name, else raise a DokkuError."""
    problem = name_problem(stype, name)
    if problem:
        raise DokkuError(f"{problem}: {name!r}" if name else problem)
    return name


def container_name(stype: ServiceType, name: str) -> str:
    """Return Dokku's container name `dokku.postgres.NAME`."""
    return f"dokku.{stype.name}.{name}"


def dns_alias(stype: ServiceType, name: str) -> str:
    """Return the host name apps use: `dokku-postgres-NAME` (dots, underscores -> dashes)."""
    return re.sub(r"[._]", "-", container_name(stype, name))


def database_name(name: str) -> str:
    """Return the database name of a service (Dokku: dots and dashes -> underscores)."""
    return re.sub(r"[.-]", "_", name)


def validate_password(password: str) -> str:
    """Return `password` if it is usable (8-128 printable characters, no quotes/space)."""
    if not _PASSWORD_RE.match(password):
        raise DokkuError(
            "The password must be 8 to 128 printable ASCII characters without spaces, "
            "quotes or backslashes"
        )
    return password


def template_values(stype: ServiceType, name: str, password: str) -> dict[str, str]:
    """Return the values service templates are filled with."""
    return {
        "password": password,
        "password_url": quote(password, safe=""),
        "database": database_name(name),
        "host": dns_alias(stype, name),
        "port": str(stype.port),
        "scheme": stype.scheme,
    }


def service_url(
    stype: ServiceType, name: str, password: str, scheme: str = "", query: str = ""
) -> str:
    """Return the URL an app gets on link (`postgres://postgres:PW@dokku-postgres-db:5432/db`)."""
    values = template_values(stype, name, password)
    values["scheme"] = scheme or stype.scheme
    values["password"] = values["password_url"]
    url = stype.url.format(**values)
    return f"{url}?{query}" if query else url


def same_service(url: str, other: str) -> bool:
    """Tell whether two URLs point at the same service (schemes and query strings aside)."""

    def core(value: str) -> str:
        return value.partition("://")[2].partition("?")[0]

    return bool(core(url)) and core(url) == core(other)


def validate_scheme(scheme: str) -> str:
    """Return a URL scheme from an app's `*_DATABASE_SCHEME` if it is one, else raise."""
    if not re.match(r"^[a-z][a-z0-9+.-]{0,31}\Z", scheme):
        raise DokkuError(f"Invalid URL scheme {scheme!r}")
    return scheme


def validate_query(query: str) -> str:
    """Return a link query string (`sslmode=disable`) without its leading `?`, or raise."""
    query = query.removeprefix("?")
    if query and not _QUERY_RE.match(query):
        raise DokkuError(f"Invalid query string {query!r}")
    return query


def alias_var(alias: str) -> str:
    """Turn a `-a ALIAS` into its config var: `reporting` -> `REPORTING_URL`."""
    base = alias.upper().replace("-", "_").removesuffix("_URL")
    var = f"{base}_URL"
    if not base or not is_env_key(var):
        raise DokkuError(f"Invalid alias {alias!r}: use letters, digits and underscores")
    return var


def link_var(stype: ServiceType, existing: set[str] | dict[str, str], alias: str = "") -> str:
    """Return the config var a new link sets: the alias's, the default, or the next color."""
    if alias:
        var = alias_var(alias)
        if var in existing:
            raise DokkuError(f"Specified alias {var.removesuffix('_URL')} already in use")
        return var
    default = f"{stype.default_alias}_URL"
    if default not in existing:
        return default
    return alternative_var(stype, existing)


def alternative_var(stype: ServiceType, existing: set[str] | dict[str, str]) -> str:
    """Return the first free `DOKKU_<TYPE>_<COLOR>_URL` in Dokku's color order."""
    for color in COLORS:
        var = f"{stype.alt_alias}_{color}_URL"
        if var not in existing:
            return var
    raise DokkuError("Unable to use default or generated URL alias")
