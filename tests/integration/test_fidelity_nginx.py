"""Dokku's nginx timeouts and upstream keepalive, as set, pass the real `nginx -t`."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.integration.conftest import DokkuRunner

pytestmark = pytest.mark.integration

SETTINGS = {
    "client-body-timeout": ("30s", "client_body_timeout 30s;"),
    "client-header-timeout": ("31s", "client_header_timeout 31s;"),
    "lingering-timeout": ("7s", "lingering_timeout 7s;"),
    "send-timeout": ("2m", "send_timeout 2m;"),
}


def test_dokku_nginx_properties_pass_nginx_t(
    dokku: DokkuRunner, app_name: Callable[[], str]
) -> None:
    app = app_name()
    dokku("apps:create", app)
    for key, (value, _) in SETTINGS.items():
        dokku("nginx:set", app, key, value)
    dokku("nginx:set", app, "proxy-keepalive", "16")
    dokku("proxy:build-config", app)
    dokku("nginx:validate-config", app)
    text = dokku("nginx:show-config", app).stdout
    for _, directive in SETTINGS.values():
        assert directive in text
