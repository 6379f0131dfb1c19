"""Domains in the store: defaults from global domains, set/add/remove/reset, rename, URLs."""

from __future__ import annotations

from pathlib import Path

import pytest

from pydokku import state
from pydokku.errors import AppNotFoundError, DokkuError
from pydokku.plugins.domains import logic
from pydokku.plugins.domains.urls import app_urls
from pydokku.validation import GLOBAL_SCOPE


def make_app(name: str) -> str:
    """Insert an app row without running creation hooks."""
    with state.transaction() as conn:
        conn.execute("INSERT INTO apps (name, created_at) VALUES (?, ?)", (name, state.now()))
    return name


def set_ports(app: str, *mappings: tuple[str, int, int]) -> None:
    with state.transaction() as conn:
        conn.executemany(
            "INSERT INTO ports (app, scheme, host_port, container_port) VALUES (?, ?, ?, ?)",
            [(app, *m) for m in mappings],
        )


def test_defaults_derive_from_every_global_domain(store: Path) -> None:
    logic.set_domains(GLOBAL_SCOPE, ["example.com", "other.org"])
    make_app("web")
    assert logic.setup_defaults("web") == ["web.example.com", "web.other.org"]
    assert logic.app_vhosts("web") == ["web.example.com", "web.other.org"]


def test_fqdn_app_name_is_its_own_vhost(store: Path) -> None:
    logic.add_domains(GLOBAL_SCOPE, ["example.com"])
    make_app("www.shop.io")
    assert logic.setup_defaults("www.shop.io") == ["www.shop.io"]


def test_no_global_domain_means_no_default(store: Path) -> None:
    make_app("web")
    assert logic.setup_defaults("web") == []
    assert logic.app_vhosts("web") == []


def test_ip_global_domain_gives_no_app_subdomain(store: Path) -> None:
    logic.add_domains(GLOBAL_SCOPE, ["10.0.0.1", "example.com"])
    make_app("web")
    assert logic.default_domains("web") == ["web.example.com"]


def test_add_remove_set_keep_order_and_report_changes(store: Path) -> None:
    make_app("web")
    assert logic.add_domains("web", ["B.example.com", "a.example.com"]) == [
        "b.example.com",
        "a.example.com",
    ]
    assert logic.add_domains("web", ["a.example.com", "c.example.com"]) == ["c.example.com"]
    assert logic.stored_domains("web") == ["b.example.com", "a.example.com", "c.example.com"]
    assert logic.remove_domains("web", ["a.example.com", "nope.example.com"]) == ["a.example.com"]
    logic.set_domains("web", ["z.example.com", "y.example.com"])
    assert logic.stored_domains("web") == ["z.example.com", "y.example.com"]
    assert logic.clear_domains("web") == ["z.example.com", "y.example.com"]
    assert logic.stored_domains("web") == []


def test_invalid_domain_stores_nothing(store: Path) -> None:
    make_app("web")
    with pytest.raises(DokkuError, match="Invalid domain"):
        logic.add_domains("web", ["ok.example.com", "bad;domain"])
    assert logic.stored_domains("web") == []


def test_unknown_app_is_refused(store: Path) -> None:
    with pytest.raises(AppNotFoundError):
        logic.add_domains("ghost", ["ok.example.com"])


def test_reset_restores_defaults(store: Path) -> None:
    logic.add_domains(GLOBAL_SCOPE, ["example.com"])
    make_app("web")
    logic.set_domains("web", ["custom.io"])
    assert logic.reset_domains("web") == ["web.example.com"]
    assert logic.stored_domains("web") == ["web.example.com"]


def test_disable_keeps_domains_and_enable_brings_them_back(store: Path) -> None:
    make_app("web")
    logic.add_domains("web", ["web.io"])
    logic.set_vhost_enabled("web", False)
    assert logic.app_vhosts("web") == []
    assert logic.stored_domains("web") == ["web.io"]
    logic.set_vhost_enabled("web", True)
    assert logic.app_vhosts("web") == ["web.io"]


def test_enable_without_domains_adds_defaults(store: Path) -> None:
    logic.add_domains(GLOBAL_SCOPE, ["example.com"])
    make_app("web")
    logic.set_vhost_enabled("web", False)
    logic.set_vhost_enabled("web", True)
    assert logic.app_vhosts("web") == ["web.example.com"]


def test_rename_swaps_default_domains_and_keeps_custom_ones(store: Path) -> None:
    logic.add_domains(GLOBAL_SCOPE, ["example.com"])
    make_app("old")
    logic.setup_defaults("old")
    logic.add_domains("old", ["custom.io"])
    with state.transaction() as conn:
        conn.execute("UPDATE apps SET name = 'new' WHERE name = 'old'")
        conn.execute("UPDATE domains SET app = 'new' WHERE app = 'old'")
    logic.rename_defaults("old", "new")
    assert logic.stored_domains("new") == ["new.example.com", "custom.io"]


def test_report_rows(store: Path) -> None:
    logic.add_domains(GLOBAL_SCOPE, ["example.com"])
    make_app("web")
    logic.add_domains("web", ["a.io", "b.io"])
    assert logic.report_rows("web") == [
        ("app-enabled", "true"),
        ("app-vhosts", "a.io b.io"),
        ("global-enabled", "true"),
        ("global-vhosts", "example.com"),
    ]
    assert logic.report_rows(GLOBAL_SCOPE) == [
        ("global-enabled", "true"),
        ("global-vhosts", "example.com"),
    ]


def test_changes_are_recorded_as_events(store: Path) -> None:
    make_app("web")
    logic.add_domains("web", ["a.io"])
    logic.add_domains(GLOBAL_SCOPE, ["example.com"])
    rows = state.query("SELECT target, action, detail FROM events ORDER BY id")
    assert [tuple(r) for r in rows] == [
        ("web", "domains:add", "a.io"),
        (GLOBAL_SCOPE, "domains:add-global", "example.com"),
    ]


def test_urls_of_domains_default_to_http_without_port(store: Path) -> None:
    make_app("web")
    logic.add_domains("web", ["a.io", "*.b.io", "c.io"])
    assert app_urls("web") == ["http://a.io", "http://c.io"]


def test_urls_use_https_and_non_default_ports(store: Path) -> None:
    make_app("web")
    logic.add_domains("web", ["a.io"])
    set_ports("web", ("http", 8080, 5000))
    assert app_urls("web") == ["http://a.io:8080"]
    set_ports("web", ("https", 443, 5000))
    assert app_urls("web") == ["https://a.io"]


def test_url_without_domains_is_host_and_port(store: Path) -> None:
    make_app("web")
    (store.parent / "root").mkdir(exist_ok=True)
    (store.parent / "root" / "HOSTNAME").write_text("paas.example.net\n")
    assert app_urls("web") == ["http://paas.example.net:80"]
    logic.add_domains("web", ["a.io"])
    logic.set_vhost_enabled("web", False)
    assert app_urls("web") == ["http://paas.example.net:80"]
