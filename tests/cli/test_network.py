"""network:set/report end to end, and input refused before the engine is asked (no daemon)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Dokku
from tests.statedump import dump


def report(dokku: Dokku, target: str) -> dict[str, str]:
    found: dict[str, str] = json.loads(
        dokku.ok("network:report", target, "--format", "json").stdout
    )
    return found


def test_set_and_report(dokku: Dokku, app: str) -> None:
    out = dokku.ok("network:set", app, "attach-post-create", "net-a", "net-b").stdout
    assert out == "-----> Setting attach-post-create to net-a,net-b\n"
    dokku.ok("network:set", "--global", "tld", "svc.cluster.local")
    dokku.ok("network:set", app, "static-web-listener", "127.0.0.1:8080")
    found = report(dokku, app)
    assert found["attach-post-create"] == "net-a,net-b"
    assert found["computed-tld"] == "svc.cluster.local"
    assert found["tld"] == ""
    assert found["computed-bind-all-interfaces"] == "false"
    assert found["web-listeners"] == "127.0.0.1:8080"
    assert dokku.ok("network:report", app, "--network-computed-tld").stdout == (
        "svc.cluster.local\n"
    )
    assert dokku.ok("network:set", app, "attach-post-create").stdout == (
        "-----> Unsetting attach-post-create\n"
    )
    assert report(dokku, app)["computed-attach-post-create"] == ""
    text = dokku.ok("network:report", app).lines
    assert text[0] == "=====> myapp network information"
    assert "       Network web listeners:" in " ".join(text)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("network:set", "myapp", "attach-post-create", "host"), "Invalid network name specified"),
        (
            ("network:set", "myapp", "attach-post-deploy", "bridge"),
            "Invalid network name specified",
        ),
        (("network:set", "myapp", "attach-post-deploy", "taken"), "already associated"),
        (("network:set", "myapp", "attach-post-create", "bad name"), "Invalid network name"),
        (("network:set", "myapp", "initial-network", "host"), "cannot be the initial network"),
        (("network:set", "myapp", "initial-network", "a", "b"), "takes one value"),
        (("network:set", "myapp", "bind-all-interfaces", "yes"), "expected true or false"),
        (("network:set", "myapp", "tld", "Bad_TLD"), "expected a DNS suffix"),
        (("network:set", "myapp", "static-web-listener", "127.0.0.1"), "expected HOST:PORT"),
        (("network:set", "myapp", "static-web-listener", "1.2.3.4:70000"), "expected HOST:PORT"),
        (("network:set", "myapp", "static-web-listener", "a b:80"), "expected an IP address"),
        (("network:set", "--global", "static-web-listener", "127.0.0.1:80"), "--global"),
        (("network:set", "myapp", "nope", "x"), "Invalid property 'nope'"),
        (("network:set", "ghost", "tld", "x"), "App ghost does not exist"),
        (("network:report", "ghost"), "App ghost does not exist"),
        (("network:rebuild", "ghost"), "App ghost does not exist"),
        (("network:create", "bad/name"), "Invalid network name"),
        (("network:create", ""), "No network name specified"),
        (("network:destroy", "_x"), "Invalid network name"),
        (("network:exists", "a;b"), "Invalid network name"),
        (("network:info", "x" * 70), "Invalid network name"),
        (("network:info", "bridge", "--format", "yaml"), "Argument --format: invalid choice"),
        (("redis:create", "cache", "-P", "host"), "cannot be joined by a service"),
        (("redis:create", "cache", "-S", "ok,bad/name"), "Invalid network name"),
        (("postgres:create", "db", "-N", "a,b"), "Only one initial network"),
        (("postgres:create", "db", "--initial-network", "pydokku"), "cannot be joined"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    dokku: Dokku, app: str, args: tuple[str, ...], message: str
) -> None:
    dokku.ok("network:set", app, "attach-post-create", "taken")
    before = dump(dokku.db)
    result = dokku(*args)
    assert result.rc != 0
    first, *rest = result.stderr.strip().splitlines()
    assert message in first
    assert all(line.startswith(f" !     Usage: dokku {args[0]} ") for line in rest)
    assert dump(dokku.db) == before


def test_settings_follow_clone_and_go_with_destroy(dokku: Dokku, app: str) -> None:
    dokku.ok("network:set", app, "attach-post-deploy", "shared")
    dokku.ok("apps:clone", "--skip-deploy", app, "copy")
    assert report(dokku, "copy")["attach-post-deploy"] == "shared"
    dokku.ok("--force", "apps:destroy", app)
    dokku.ok("apps:create", app)
    assert report(dokku, app)["attach-post-deploy"] == ""
