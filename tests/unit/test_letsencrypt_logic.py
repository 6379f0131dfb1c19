"""Let's Encrypt pieces without an ACME server: settings, state, renewal rules, include, cron."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from pydokku import properties, state
from pydokku.errors import DokkuError
from pydokku.plugins.certs import logic as certs
from pydokku.plugins.letsencrypt import challenge, cron, logic, settings
from pydokku.validation import GLOBAL_SCOPE
from tests.tls_helpers import make_leaf
from tests.unit.test_nginx_render import make_app


@pytest.fixture(autouse=True)
def no_nginx(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the host's nginx out of these tests."""
    monkeypatch.setenv("PYDOKKU_NGINX", str(store / "no-nginx"))


def le_set(scope: str, key: str, value: str) -> None:
    properties.set_value(settings.SPECS, "letsencrypt", scope, key, value)


def install_as_letsencrypt(app: str, names: list[str], days: float = 90) -> None:
    """Install a certificate the way letsencrypt:enable does."""
    leaf = make_leaf(names, days=days, start_days_ago=0.01)
    certs.install(app, leaf.cert_pem, leaf.key_pem, action="letsencrypt:enable")
    settings.remember_installed(app, logic.fingerprint(certs.cert_path(app).read_bytes()))


@pytest.mark.parametrize(
    ("key", "value", "ok"),
    [
        ("email", "me@example.com", True),
        ("email", "me+tag@mail.example.co.uk", True),
        ("email", "not-an-email", False),
        ("email", "me@localhost", False),
        ("email", "a b@example.com", False),
        ("server", "default", True),
        ("server", "staging", True),
        ("server", "https://127.0.0.1:14000/dir", True),
        ("server", "http://acme.example.com/dir", False),
        ("server", "https://acme.example.com/dir; rm", False),
        ("graceperiod", "86400", True),
        ("graceperiod", "-1", False),
        ("graceperiod", "1d", False),
        ("ca-bundle", "/etc/ssl/certs/ca.pem", True),
        ("ca-bundle", "relative.pem", False),
        ("ca-bundle", "/etc/../root/x", False),
        ("ca-bundle", "/etc/ssl/certs/../../shadow", False),
        ("ca-bundle", "/etc/os-release", False),
        ("ca-bundle", "/usr/local/share/ca-certificates/corp.crt", True),
    ],
)
def test_setting_validation(store: Path, key: str, value: str, ok: bool) -> None:
    if ok:
        le_set("myapp", key, value)
        assert settings.value("myapp", key) == value
    else:
        with pytest.raises(DokkuError, match="Invalid value"):
            le_set("myapp", key, value)


def test_settings_resolve_app_then_global_then_default(store: Path) -> None:
    assert settings.directory_url("myapp") == settings.SERVERS["default"]
    assert settings.grace_period("myapp") == 2592000
    le_set(GLOBAL_SCOPE, "server", "staging")
    assert settings.directory_url("myapp") == settings.SERVERS["staging"]
    le_set("myapp", "server", "https://127.0.0.1:14000/dir")
    assert settings.directory_url("myapp") == "https://127.0.0.1:14000/dir"
    with pytest.raises(DokkuError, match="without an e-mail address"):
        settings.email("myapp")
    le_set(GLOBAL_SCOPE, "email", "ops@example.com")
    assert settings.email("myapp") == "ops@example.com"


def test_ca_bundle_must_be_readable(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "CA_BUNDLE_DIRS", (str(tmp_path),))
    assert settings.ca_bundle("myapp") is None
    le_set("myapp", "ca-bundle", str(tmp_path / "missing.pem"))
    with pytest.raises(DokkuError, match="Cannot read the ca-bundle"):
        settings.ca_bundle("myapp")
    (tmp_path / "missing.pem").write_text("x")
    assert settings.ca_bundle("myapp") == str(tmp_path / "missing.pem")


def test_ca_bundle_link_out_of_the_ca_dirs_is_refused_at_use(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "CA_BUNDLE_DIRS", (str(tmp_path / "certs"),))
    (tmp_path / "certs").mkdir()
    (tmp_path / "certs" / "ca.pem").symlink_to("/etc/os-release")
    le_set("myapp", "ca-bundle", str(tmp_path / "certs" / "ca.pem"))
    with pytest.raises(DokkuError, match="leads outside"):
        settings.ca_bundle("myapp")


def test_account_key_dir_is_private(store: Path) -> None:
    key = settings.account_key_file()
    assert key.parent.stat().st_mode & 0o777 == 0o700
    assert key.parent == store / "data" / "letsencrypt" / "--global"


def test_active_only_while_the_installed_certificate_serves(store: Path) -> None:
    make_app("web", "web.example.com")
    assert not logic.is_active("web")
    install_as_letsencrypt("web", ["web.example.com"])
    assert logic.is_active("web")
    assert logic.active_apps() == ["web"]
    other = make_leaf(["web.example.com"])
    certs.install("web", other.cert_pem, other.key_pem)  # the user's own certificate
    assert not logic.is_active("web")
    assert logic.active_apps() == []


def test_renewal_reasons(store: Path) -> None:
    make_app("web", "web.example.com")
    assert logic.renewal_reason("web", ["web.example.com"]) == "no Let's Encrypt certificate yet"
    install_as_letsencrypt("web", ["web.example.com"], days=90)
    assert logic.renewal_reason("web", ["web.example.com"]) is None
    assert logic.renewal_reason("web", ["web.example.com", "www.example.com"]) == (
        "the domains changed"
    )
    install_as_letsencrypt("web", ["web.example.com"], days=10)  # inside 30 days
    assert "within the grace period" in (logic.renewal_reason("web", ["web.example.com"]) or "")
    le_set("web", "graceperiod", str(86400))
    assert logic.renewal_reason("web", ["web.example.com"]) is None


def test_renewal_time_is_expiry_minus_grace(store: Path) -> None:
    make_app("web", "web.example.com")
    install_as_letsencrypt("web", ["web.example.com"], days=90)
    expires = logic.expiry("web")
    due = logic.renewal_time("web")
    assert expires is not None
    assert due is not None
    assert expires - due == datetime.timedelta(days=30)


def test_cert_domains_skip_wildcards_and_need_one(store: Path) -> None:
    make_app("web", "web.example.com", "*.example.com", "10.1.2.3")
    assert logic.cert_domains("web") == ["web.example.com"]
    make_app("bare")
    with pytest.raises(DokkuError, match="no domain to get a certificate for"):
        logic.cert_domains("bare")


def test_enable_refuses_before_any_acme_traffic(store: Path) -> None:
    make_app("web", "web.example.com")
    with pytest.raises(DokkuError, match="e-mail"):
        logic.enable("web")
    le_set(GLOBAL_SCOPE, "email", "ops@example.com")
    with pytest.raises(DokkuError, match="no nginx config yet"):
        logic.enable("web")


def test_enable_skips_a_good_certificate(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_app("web", "web.example.com")
    le_set(GLOBAL_SCOPE, "email", "ops@example.com")
    install_as_letsencrypt("web", ["web.example.com"], days=90)
    assert logic.enable("web") is False
    assert "nothing to do" in capsys.readouterr().out


def test_failed_renewal_is_loud_and_recorded(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_app("web", "web.example.com")
    install_as_letsencrypt("web", ["web.example.com"], days=90)
    logic.renewal_failed("web", "the CA said no")
    err = capsys.readouterr().err
    assert " !     RENEWAL FAILED for web: the CA said no" in err
    assert "keeps serving until it expires at" in err
    events = state.query("SELECT action, detail FROM events WHERE target = 'web'")
    assert (events[-1]["action"], events[-1]["detail"]) == (
        "letsencrypt:renew-failed",
        "the CA said no",
    )


def test_disable_removes_only_a_letsencrypt_certificate(store: Path) -> None:
    make_app("web", "web.example.com")
    own = make_leaf(["web.example.com"])
    certs.install("web", own.cert_pem, own.key_pem)
    assert logic.disable("web") is False
    assert certs.has_cert("web")
    install_as_letsencrypt("web", ["web.example.com"])
    assert logic.disable("web") is True
    assert not certs.has_cert("web")
    assert settings.installed_fingerprint("web") is None


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0s"),
        (59, "59s"),
        (3600, "1h"),
        (90061, "1d, 1h, 1m, 1s"),
        (-7200, "2h ago"),
    ],
)
def test_timediff(seconds: int, text: str) -> None:
    assert logic.timediff(datetime.timedelta(seconds=seconds)) == text


def test_challenge_include_serves_the_webroot(store: Path) -> None:
    text = challenge.include_text("web")
    root = store / "data" / "letsencrypt" / "web"
    assert "location ^~ /.well-known/acme-challenge/ {" in text
    assert f"alias {root}/;" in text
    assert challenge.include_path("web").name == "letsencrypt.conf"


def test_publish_refuses_odd_tokens(tmp_path: Path) -> None:
    challenge.publish(tmp_path, "abc-DEF_123", "answer")
    assert (tmp_path / "abc-DEF_123").read_text() == "answer"
    assert (tmp_path / "abc-DEF_123").stat().st_mode & 0o777 == 0o644
    for bad in ("../x", "a/b", "", "a b", "x" * 300):
        with pytest.raises(DokkuError, match="invalid challenge token"):
            challenge.publish(tmp_path, bad, "answer")


def test_cron_line_runs_auto_renew_with_a_log(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOKKU_ROOT", raising=False)
    monkeypatch.delenv("DOKKU_LIB_ROOT", raising=False)
    line = cron.cron_line()
    assert line.startswith("@daily /")
    assert line.endswith("/dokku letsencrypt:auto-renew >>/var/log/dokku/letsencrypt.log 2>&1")


def test_cron_line_carries_non_default_roots(store: Path) -> None:
    line = cron.cron_line()
    assert f"DOKKU_LIB_ROOT={store}" in line
    assert "DOKKU_ROOT=" in line


def test_cron_refuses_unsafe_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOKKU_ROOT", "/tmp/100%/root")
    with pytest.raises(DokkuError, match="cannot be written into a crontab"):
        cron.cron_line()


def test_systemd_units() -> None:
    assert "OnCalendar=daily" in cron.timer_unit()
    service = cron.service_unit()
    assert "User=dokku" in service
    assert "letsencrypt:auto-renew" in service


@pytest.mark.parametrize(
    ("raised", "message"),
    [
        ("refused", "The ACME server refused: Invalid e-mail"),
        ("ssl", "Cannot verify the TLS certificate of https://acme.test/dir"),
        ("network", "Cannot reach the ACME server https://acme.test/dir: Connection refused"),
        ("timeout", "did not finish the order"),
    ],
)
def test_acme_failures_become_one_clear_error(raised: str, message: str) -> None:
    import requests
    from acme import errors, messages

    from pydokku.plugins.letsencrypt import acme_client

    failures = {
        "refused": messages.Error(
            typ="urn:ietf:params:acme:error:invalidContact", detail="Invalid e-mail"
        ),
        "ssl": requests.exceptions.SSLError("certificate verify failed"),
        "network": requests.exceptions.ConnectionError(
            "Max retries exceeded ([Errno 111] Connection refused)"
        ),
        "timeout": errors.TimeoutError(),
    }
    with pytest.raises(DokkuError) as info, acme_client._errors("https://acme.test/dir"):
        raise failures[raised]
    assert message in info.value.message
