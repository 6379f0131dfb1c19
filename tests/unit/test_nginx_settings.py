"""nginx:set values: Dokku's defaults, and validators that let no nginx syntax through."""

from __future__ import annotations

from pathlib import Path

import pytest

from pydokku import properties, state
from pydokku.errors import DokkuError
from pydokku.plugins.nginx import settings
from pydokku.validation import GLOBAL_SCOPE

SPECS = {spec.key: spec for spec in settings.SPECS}

ACCEPTED = [
    ("client-max-body-size", "1m"),
    ("client-max-body-size", "0"),
    ("client-max-body-size", "512k"),
    ("client-max-body-size", "2G"),
    ("proxy-read-timeout", "60s"),
    ("proxy-read-timeout", "2m"),
    ("proxy-read-timeout", "1m30s"),
    ("proxy-read-timeout", "500ms"),
    ("keepalive-timeout", "75"),
    ("proxy-buffers", "8 4k"),
    ("proxy-buffering", "off"),
    ("underscore-in-headers", "on"),
    ("hsts", "false"),
    ("hsts-max-age", "31536000"),
    ("access-log-path", "/var/log/nginx/custom.log"),
    ("access-log-path", "off"),
    ("error-log-path", "/var/log/nginx/app-error.log"),
    ("access-log-format", "main_ext"),
    ("bind-address-ipv4", "127.0.0.1"),
    ("bind-address-ipv6", "::1"),
    ("bind-address-ipv6", "::"),
    ("x-forwarded-for-value", "$proxy_add_x_forwarded_for"),
    ("x-forwarded-proto-value", "$http_x_forwarded_proto"),
    ("x-forwarded-port-value", "443"),
    ("x-forwarded-ssl", "on"),
]

INJECTIONS = [
    ("client-max-body-size", "1m; include /etc/passwd"),
    ("client-max-body-size", "1m;"),
    ("client-max-body-size", "1 m"),
    ("client-max-body-size", "1m\n"),
    ("client-max-body-size", "-1"),
    ("proxy-read-timeout", "60s; }"),
    ("proxy-read-timeout", "sixty"),
    ("proxy-buffers", "8 4k; add_header X 1"),
    ("proxy-buffers", "8"),
    ("proxy-buffering", "yes"),
    ("proxy-buffering", "on;"),
    ("hsts", "True"),
    ("hsts-max-age", "1;"),
    ("access-log-path", "relative.log"),
    ("access-log-path", "/var/log/a b.log"),
    ("access-log-path", "/var/log/a.log;"),
    ("access-log-path", '/var/log/"a".log'),
    ("access-log-path", "/var/log/{a}.log"),
    ("access-log-path", "/var/log/a.log#"),
    ("access-log-path", "/var/log/$host.log"),
    ("access-log-path", "/var/log/../../etc/passwd"),
    ("access-log-path", "/etc/profile.d/x.sh"),
    ("access-log-path", "/var/log/nginx/../../../etc/profile.d/x.sh"),
    ("access-log-path", "/var/log/nginx/sub/x.log"),
    ("access-log-path", "/var/log/nginx/.hidden"),
    ("error-log-path", "/srv/logs/app-error.log"),
    ("access-log-format", "main; include x"),
    ("bind-address-ipv4", "0.0.0.0:80"),
    ("bind-address-ipv4", "::1"),
    ("bind-address-ipv4", "localhost"),
    ("bind-address-ipv6", "[::1]"),
    ("bind-address-ipv6", "127.0.0.1"),
    ("x-forwarded-for-value", "$remote_addr; include /etc/passwd"),
    ("x-forwarded-for-value", "$remote_addr $host"),
    ("x-forwarded-for-value", '"quoted"'),
    ("x-forwarded-for-value", "${remote_addr}"),
    ("x-forwarded-ssl", "true"),
]


@pytest.mark.parametrize(("key", "value"), ACCEPTED)
def test_accepted_values(key: str, value: str) -> None:
    validate = SPECS[key].validate
    assert validate is not None
    assert validate(value) is None


@pytest.mark.parametrize(("key", "value"), INJECTIONS)
def test_injection_attempts_are_refused(key: str, value: str) -> None:
    validate = SPECS[key].validate
    assert validate is not None
    assert validate(value) is not None


def test_set_value_refuses_injection_and_stores_nothing(store: Path) -> None:
    with pytest.raises(DokkuError, match="Invalid value for client-max-body-size"):
        properties.set_value(
            settings.SPECS, "nginx", "web", "client-max-body-size", "1m; include /etc/passwd"
        )
    assert properties.all_for("nginx", "web") == {}


def test_dokku_defaults(store: Path) -> None:
    values = settings.computed("web")
    assert values["client-max-body-size"] == "1m"
    assert values["proxy-read-timeout"] == "60s"
    assert values["proxy-connect-timeout"] == "60s"
    assert values["proxy-send-timeout"] == "60s"
    assert values["proxy-buffering"] == "on"
    assert values["proxy-buffer-size"] == "4k"
    assert values["proxy-buffers"] == "8 4k"
    assert values["proxy-busy-buffers-size"] == "8k"
    assert values["keepalive-timeout"] == "75s"
    assert values["access-log-path"] == "/var/log/nginx/web-access.log"
    assert values["error-log-path"] == "/var/log/nginx/web-error.log"
    assert values["x-forwarded-for-value"] == "$remote_addr"
    assert values["x-forwarded-port-value"] == "$server_port"
    assert values["x-forwarded-proto-value"] == "$scheme"
    assert values["underscore-in-headers"] == "off"
    assert values["hsts"] == "true"
    assert values["hsts-max-age"] == "15724800"


def test_app_value_beats_global_beats_default(store: Path) -> None:
    properties.set_value(settings.SPECS, "nginx", GLOBAL_SCOPE, "client-max-body-size", "10m")
    properties.set_value(settings.SPECS, "nginx", "web", "client-max-body-size", "50m")
    assert settings.computed("web")["client-max-body-size"] == "50m"
    assert settings.computed("other")["client-max-body-size"] == "10m"


def test_a_tampered_stored_value_is_refused_at_render_time(store: Path) -> None:
    with state.transaction() as conn:
        properties.store(conn, "nginx", "web", "proxy-buffering", "on; include /etc/passwd")
    with pytest.raises(DokkuError, match="is invalid"):
        settings.computed("web")


def test_report_rows_fill_per_app_log_defaults() -> None:
    rows = [("computed-access-log-path", ""), ("access-log-path", "")]
    assert settings.report_rows("web", rows) == [
        ("computed-access-log-path", "/var/log/nginx/web-access.log"),
        ("access-log-path", ""),
    ]
