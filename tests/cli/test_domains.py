"""domains:*, url and urls run as real `dokku` processes on temp roots."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Dokku


class IsolatedDokku(Dokku):
    """A `dokku` runner that can never touch the host's nginx."""

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        base = self.root.parent
        isolated = {
            "PYDOKKU_NGINX": str(base / "no-nginx"),
            "PYDOKKU_NGINX_CONF_DIR": str(base / "conf.d"),
        }
        return super().env({**isolated, **(extra or {})})


@pytest.fixture
def dokku(tmp_path: Path) -> Dokku:
    """A `dokku` runner on temp roots, with nginx pointed nowhere."""
    return IsolatedDokku(tmp_path)


def vhosts(dokku: Dokku, app: str) -> str:
    return dokku.ok("domains:report", app, "--domains-app-vhosts").stdout.strip()


def test_new_app_gets_a_vhost_per_global_domain(dokku: Dokku) -> None:
    dokku.ok("domains:add-global", "example.com", "Other.ORG")
    dokku.ok("apps:create", "web")
    assert vhosts(dokku, "web") == "web.example.com web.other.org"
    dokku.ok("apps:create", "www.shop.io")
    assert vhosts(dokku, "www.shop.io") == "www.shop.io"


def test_report_text_and_json(dokku: Dokku, app: str) -> None:
    dokku.ok("domains:set-global", "example.com")
    dokku.ok("domains:add", app, "a.example.com")
    text = dokku.ok("domains:report", app).stdout
    assert text.splitlines() == [
        f"=====> {app} domains information",
        "       Domains app enabled:    true",
        "       Domains app vhosts:     a.example.com",
        "       Domains global enabled: true",
        "       Domains global vhosts:  example.com",
    ]
    data = json.loads(dokku.ok("domains:report", app, "--format", "json").stdout)
    assert data == {
        "app-enabled": "true",
        "app-vhosts": "a.example.com",
        "global-enabled": "true",
        "global-vhosts": "example.com",
    }
    assert json.loads(dokku.ok("domains:report", "--global", "--format", "json").stdout) == {
        "global-enabled": "true",
        "global-vhosts": "example.com",
    }


def test_add_remove_set_clear_reset(dokku: Dokku, app: str) -> None:
    result = dokku.ok("domains:add", app, "A.example.com", "b.example.com")
    assert result.lines == [
        f"-----> Added a.example.com to {app}",
        f"-----> Added b.example.com to {app}",
    ]
    dokku.ok("domains:remove", app, "a.example.com")
    assert vhosts(dokku, app) == "b.example.com"
    dokku.ok("domains:set", app, "z.io", "y.io")
    assert vhosts(dokku, app) == "z.io y.io"
    dokku.ok("domains:clear", app)
    assert vhosts(dokku, app) == ""
    dokku.ok("domains:add-global", "example.com")
    dokku.ok("domains:reset", app)
    assert vhosts(dokku, app) == f"{app}.example.com"


@pytest.mark.parametrize("bad", ["bad_domain", "1m; include /etc/passwd", "x-.com", "__"])
def test_invalid_domains_are_refused_and_nothing_is_stored(
    dokku: Dokku, app: str, bad: str
) -> None:
    result = dokku("domains:add", app, "ok.example.com", bad)
    assert result.rc == 1
    assert result.stderr.startswith(f" !     Invalid domain {bad!r}")
    assert vhosts(dokku, app) == ""


def test_global_domains(dokku: Dokku) -> None:
    dokku.ok("domains:add-global", "a.com", "b.com")
    dokku.ok("domains:remove-global", "a.com")
    assert dokku.ok("domains:report", "--global", "--domains-global-vhosts").stdout == "b.com\n"
    dokku.ok("domains:clear-global")
    report = dokku.ok("domains:report", "--global", "--format", "json").stdout
    assert json.loads(report) == {"global-enabled": "false", "global-vhosts": ""}


def test_unknown_app(dokku: Dokku) -> None:
    result = dokku("domains:add", "ghost", "a.com")
    assert result.rc == 1
    assert "App ghost does not exist" in result.stderr


def test_disable_and_enable(dokku: Dokku, app: str) -> None:
    dokku.ok("domains:add", app, "a.io")
    dokku.ok("apps:create", "second")
    dokku.ok("domains:disable", "--all")
    assert dokku.ok("domains:report", app, "--domains-app-enabled").stdout == "false\n"
    assert dokku.ok("domains:report", "second", "--domains-app-enabled").stdout == "false\n"
    assert dokku.ok("url", app).stdout.startswith("http://")
    assert "a.io" not in dokku.ok("urls", app).stdout
    dokku.ok("domains:enable", app)
    assert dokku.ok("domains:report", app, "--domains-app-enabled").stdout == "true\n"
    assert dokku.ok("urls", app).stdout == "http://a.io\n"
    assert dokku("domains:enable").rc == 1


def test_url_and_urls(dokku: Dokku, app: str) -> None:
    dokku.ok("domains:set", app, "a.io", "b.io")
    assert dokku.ok("url", app).stdout == "http://a.io\n"
    assert dokku.ok("urls", app).stdout == "http://a.io\nhttp://b.io\n"


def test_url_without_domains_uses_the_hostname_and_port(dokku: Dokku, app: str) -> None:
    (dokku.root / "HOSTNAME").write_text("paas.example.net\n")
    assert dokku.ok("url", app).stdout == "http://paas.example.net:80\n"


def test_domain_changes_are_events(dokku: Dokku, app: str) -> None:
    dokku.ok("domains:add", app, "a.io")
    dokku.ok("domains:add-global", "example.com")
    events = dokku.ok("events:list").stdout
    assert f"{app} domains:add a.io" in events
    assert "--global domains:add-global example.com" in events


def test_help_lists_the_commands(dokku: Dokku) -> None:
    text = dokku.ok("domains:help").stdout
    for command in ("add", "add-global", "clear", "disable", "enable", "remove", "report", "set"):
        assert f"    domains:{command} " in text


def test_dokku_s_catch_all_and_suffix_wildcard_are_accepted(dokku: Dokku, app: str) -> None:
    dokku.ok("domains:set", app, "_", ".example.com", "www.example.org")
    assert vhosts(dokku, app) == "_ .example.com www.example.org"
    assert dokku.ok("urls", app).stdout.split() == ["http://www.example.org"]


def test_vhost_and_hostname_files_as_dokku(dokku: Dokku) -> None:
    vhost, hostname = dokku.root / "VHOST", dokku.root / "HOSTNAME"
    dokku.ok("domains:set-global", "example.com", "example.org")
    assert vhost.read_text() == "example.com\nexample.org\n"
    assert hostname.read_text() == "example.com\n"
    # Edited by hand: the file wins, for reports, new apps and the next -global command.
    vhost.write_text("edited.io\nnot a domain!\n")
    assert dokku.ok("domains:report", "--global", "--domains-global-vhosts").stdout == (
        "edited.io\n"
    )
    dokku.ok("apps:create", "fresh")
    assert vhosts(dokku, "fresh") == "fresh.edited.io"
    dokku.ok("domains:add-global", "more.io")
    assert vhost.read_text() == "edited.io\nmore.io\n"
    dokku.ok("domains:clear-global")
    assert vhost.read_text() == ""


def test_hostname_alone_is_the_global_domain(dokku: Dokku) -> None:
    (dokku.root / "HOSTNAME").write_text("box.example.net\n")
    dokku.ok("apps:create", "fresh")
    assert vhosts(dokku, "fresh") == "fresh.box.example.net"
