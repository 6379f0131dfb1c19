"""network rules: property values, container options per phase, aliases, static listeners."""

from __future__ import annotations

from pathlib import Path

import pytest

from pydokku import engine, state
from pydokku.errors import DokkuError
from pydokku.plugins.network import logic
from pydokku.plugins.nginx import render
from pydokku.validation import GLOBAL_SCOPE


def make_app(name: str) -> str:
    with state.transaction() as conn:
        conn.execute("INSERT INTO apps (name, created_at) VALUES (?, ?)", (name, state.now()))
    return name


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("127.0.0.1:8080", True),
        ("[::1]:80", True),
        ("admin.internal:3000", True),
        ("::1:80", False),
        ("127.0.0.1", False),
        ("127.0.0.1:0", False),
        ("127.0.0.1:65536", False),
        ("a b:80", False),
        ("x;y:80", False),
        (":80", False),
    ],
)
def test_listener_values(value: str, ok: bool) -> None:
    assert (logic.listener_problem(value) is None) == ok


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("net-1", True),
        ("a.b_c", True),
        ("", False),
        ("-x", False),
        ("a/b", False),
        ("x" * 65, False),
    ],
)
def test_network_names(name: str, ok: bool) -> None:
    assert (logic.network_name_problem(name) is None) == ok


def test_aliases_carry_the_tld(store: Path) -> None:
    app = make_app("api")
    assert logic.aliases(app, "web") == ["api.web"]
    logic.set_property(GLOBAL_SCOPE, "tld", ["svc.local"])
    assert logic.aliases(app, "web") == ["api.web.svc.local"]


def test_options_per_phase(store: Path) -> None:
    app = make_app("api")
    assert logic.container_options(app, "web", "run") == {}
    logic.set_property(app, "initial-network", ["boot"])
    logic.set_property(app, "attach-post-create", ["a,b", "c"])
    logic.set_property(app, "bind-all-interfaces", ["true"])
    assert logic.container_options(app, "web", "deploy") == {
        "network": "boot",
        "networks": ["a", "b", "c"],
        "network_aliases": ["api.web"],
        "ports": {"5000/tcp": None},
    }
    assert logic.container_options(app, "worker", "deploy")["network_aliases"] == ["api.worker"]
    assert "ports" not in logic.container_options(app, "worker", "deploy")
    assert logic.container_options(app, "run", "run") == {
        "network": "boot",
        "networks": ["a", "b", "c"],
    }


def test_attach_keys_refuse_a_network_in_both(store: Path) -> None:
    app = make_app("api")
    logic.set_property(app, "attach-post-create", ["shared"])
    with pytest.raises(DokkuError, match="already associated with this app: shared"):
        logic.set_property(app, "attach-post-deploy", ["other", "shared"])
    assert logic.attach_networks(app, "attach-post-deploy") == []


def test_apps_using_a_network(store: Path) -> None:
    make_app("api")
    logic.set_property("api", "attach-post-deploy", ["one,two"])
    logic.set_property(GLOBAL_SCOPE, "initial-network", ["two"])
    assert logic.apps_using("two") == ["--global initial-network", "api attach-post-deploy"]
    assert logic.apps_using("three") == []


def test_default_alias_helper() -> None:
    labels = {engine.LABEL_APP: "api", engine.LABEL_PROCESS: "web"}
    assert engine.network_aliases(labels) == ["api.web"]
    assert engine.network_aliases(labels, "svc") == ["api.web.svc"]
    assert engine.network_aliases({}) == []


def test_static_listener_replaces_the_upstream_servers(store: Path) -> None:
    app = make_app("admin")
    context = render.app_context(app, [], ipv6=False, static="127.0.0.1:8080")
    assert [u["servers"] for u in context["upstreams"]] == [["127.0.0.1:8080"]]
    assert "server 127.0.0.1:8080" in render.render_app(context)
    assert render.app_context(app, [], ipv6=False)["upstreams"] == []
