"""`nginx:set` properties: Dokku's keys and defaults, and validators that keep nginx syntax out.

Every value ends up inside an nginx directive, so each validator accepts only the
shape that directive needs (a size, a duration, on/off, an absolute path, an IP):
no whitespace, quotes, braces, semicolons or comments can get through.
"""

from __future__ import annotations

import ipaddress
import os
import re

from pydokku import properties
from pydokku.errors import DokkuError
from pydokku.properties import PropertySpec
from pydokku.validation import GLOBAL_SCOPE, relative_path_problem

PLUGIN = "nginx"
LOG_DIR = "/var/log/nginx"

SIZE_RE = re.compile(r"^[0-9]{1,10}[kKmMgG]?\Z")
BUFFERS_RE = re.compile(r"^[0-9]{1,5} [0-9]{1,10}[kKmMgG]?\Z")
DURATION_RE = re.compile(r"^(?:[0-9]{1,10}(?:ms|s|m|h|d|w|M|y)?){1,4}\Z")
LOG_NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}\Z")
NAME_RE = re.compile(r"^[A-Za-z0-9_]{1,64}\Z")
HEADER_VALUE_RE = re.compile(r"^(?:\$[a-z_][a-z0-9_]{0,63}|[A-Za-z0-9._:/,-]{1,128})\Z")


def validate_size(value: str) -> str | None:
    """Accept an nginx size: `0`, `512`, `4k`, `1m`, `1g`."""
    return None if SIZE_RE.match(value) else "expected a size such as 1m, 512k or 0"


def validate_buffers(value: str) -> str | None:
    """Accept nginx `proxy_buffers`: a count and a size, such as `8 4k`."""
    return None if BUFFERS_RE.match(value) else "expected a count and a size such as '8 4k'"


def validate_duration(value: str) -> str | None:
    """Accept an nginx duration: `60s`, `2m`, `1m30s`, `75`."""
    return None if DURATION_RE.match(value) else "expected a duration such as 60s or 2m"


def validate_on_off(value: str) -> str | None:
    """Accept `on` or `off`."""
    return None if value in ("on", "off") else "expected on or off"


def validate_log_path(value: str) -> str | None:
    """Accept `off` or a file directly in nginx's log directory (/var/log/nginx/NAME).

    The root nginx master creates and appends these files, and `nginx:*-logs` reads
    them back, so any other path would let a key holder write or read host files.
    """
    if value == "off":
        return None
    name = value.removeprefix(log_dir() + "/")
    if name != value and LOG_NAME_RE.match(name):
        return None
    return f"expected off or {log_dir()}/NAME (NAME of letters, digits and ._-)"


def log_dir() -> str:
    """Return nginx's log directory (`PYDOKKU_NGINX_LOG_DIR` moves it for tests)."""
    return os.environ.get("PYDOKKU_NGINX_LOG_DIR") or LOG_DIR


def validate_name(value: str) -> str | None:
    """Accept an nginx identifier (a `log_format` name)."""
    return None if NAME_RE.match(value) else "expected a log_format name (letters, digits, _)"


def validate_ipv4(value: str) -> str | None:
    """Accept an IPv4 address."""
    return None if _is_ip(value, 4) else "expected an IPv4 address"


def validate_ipv6(value: str) -> str | None:
    """Accept an IPv6 address (without brackets)."""
    return None if _is_ip(value, 6) else "expected an IPv6 address such as ::"


def validate_header_value(value: str) -> str | None:
    """Accept one nginx variable (`$remote_addr`) or a plain token."""
    if HEADER_VALUE_RE.match(value):
        return None
    return "expected one nginx variable such as $remote_addr, or a plain word"


def validate_keepalive(value: str) -> str | None:
    """Accept an upstream `keepalive` connection count (1 or more)."""
    if value.isascii() and value.isdigit() and 0 < int(value) <= 100000:
        return None
    return "expected a number of connections from 1 to 100000"


def validate_sigil_path(value: str) -> str | None:
    """Accept a relative path inside the app's source (the custom template's place)."""
    return relative_path_problem(value)


def _is_ip(value: str, version: int) -> bool:
    try:
        return ipaddress.ip_address(value).version == version
    except ValueError:
        return False


SPECS: list[PropertySpec] = [
    PropertySpec("access-log-format", "", validate_name),
    PropertySpec("access-log-path", "", validate_log_path),
    PropertySpec("bind-address-ipv4", "", validate_ipv4),
    PropertySpec("bind-address-ipv6", "::", validate_ipv6),
    PropertySpec("client-body-timeout", "60s", validate_duration),
    PropertySpec("client-header-timeout", "60s", validate_duration),
    PropertySpec("client-max-body-size", "1m", validate_size),
    PropertySpec("disable-custom-config", "false", properties.validate_bool),
    PropertySpec("error-log-path", "", validate_log_path),
    PropertySpec("hsts", "true", properties.validate_bool),
    PropertySpec("hsts-include-subdomains", "true", properties.validate_bool),
    PropertySpec("hsts-max-age", "15724800", properties.validate_positive_int),
    PropertySpec("hsts-preload", "false", properties.validate_bool),
    PropertySpec("keepalive-timeout", "75s", validate_duration),
    PropertySpec("lingering-timeout", "5s", validate_duration),
    PropertySpec("nginx-conf-sigil-path", "nginx.conf.sigil", validate_sigil_path),
    PropertySpec("proxy-buffer-size", "4k", validate_size),
    PropertySpec("proxy-buffering", "on", validate_on_off),
    PropertySpec("proxy-buffers", "8 4k", validate_buffers),
    PropertySpec("proxy-busy-buffers-size", "8k", validate_size),
    PropertySpec("proxy-connect-timeout", "60s", validate_duration),
    PropertySpec("proxy-read-timeout", "60s", validate_duration),
    PropertySpec("proxy-keepalive", "", validate_keepalive),
    PropertySpec("proxy-send-timeout", "60s", validate_duration),
    PropertySpec("send-timeout", "60s", validate_duration),
    PropertySpec("underscore-in-headers", "off", validate_on_off),
    PropertySpec("x-forwarded-for-value", "$remote_addr", validate_header_value),
    PropertySpec("x-forwarded-port-value", "$server_port", validate_header_value),
    PropertySpec("x-forwarded-proto-value", "$scheme", validate_header_value),
    PropertySpec("x-forwarded-ssl", "", validate_on_off),
]
_BY_KEY = {spec.key: spec for spec in SPECS}


def default_value(app: str, key: str) -> str:
    """Return a property's built-in default for an app (log paths are per app)."""
    if key == "access-log-path":
        return f"{log_dir()}/{app}-access.log"
    if key == "error-log-path":
        return f"{log_dir()}/{app}-error.log"
    return _BY_KEY[key].default


def computed(app: str) -> dict[str, str]:
    """Return every property's effective value for an app, checked again before use."""
    own = properties.all_for(PLUGIN, app)
    glob = properties.all_for(PLUGIN, GLOBAL_SCOPE)
    values: dict[str, str] = {}
    for spec in SPECS:
        value = own.get(spec.key) or glob.get(spec.key) or default_value(app, spec.key)
        problem = spec.validate(value) if spec.validate and value else None
        if problem:
            raise DokkuError(f"Stored nginx property {spec.key}={value!r} is invalid: {problem}")
        values[spec.key] = value
    return values


def report_rows(scope: str, rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Fill the per-app defaults of the log paths into `computed-*` report rows."""
    if scope == GLOBAL_SCOPE:
        return rows
    fixed = []
    for key, value in rows:
        name = key.removeprefix("computed-")
        if key != name and not value and name in ("access-log-path", "error-log-path"):
            value = default_value(scope, name)
        fixed.append((key, value))
    return fixed
