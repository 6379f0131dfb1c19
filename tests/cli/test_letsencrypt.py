"""letsencrypt:* commands that need no ACME server: settings, reports, refusals, cron job.

The real issuance, renewal and revocation run against Pebble in
tests/integration/test_https.py.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from tests.cli.test_domains import IsolatedDokku
from tests.conftest import Dokku

FAKE_CRONTAB = """#!/bin/sh
# crontab(1) stand-in keeping one crontab in $FAKE_CRONTAB_FILE.
[ "$1" = "-u" ] && shift 2
case "$1" in
  -l) [ -f "$FAKE_CRONTAB_FILE" ] || { echo "no crontab for tester" >&2; exit 1; }
      cat "$FAKE_CRONTAB_FILE" ;;
  -) cat > "$FAKE_CRONTAB_FILE" ;;
  *) exit 2 ;;
esac
"""


class CronDokku(IsolatedDokku):
    """A runner whose `crontab` is a stand-in writing under the temp dir."""

    def __init__(self, base: Path) -> None:
        super().__init__(base)
        self.crontab = base / "crontab.txt"
        self.program = base / "fake-crontab"
        self.program.write_text(FAKE_CRONTAB)
        self.program.chmod(self.program.stat().st_mode | stat.S_IXUSR)

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        own = {"PYDOKKU_CRONTAB": str(self.program), "FAKE_CRONTAB_FILE": str(self.crontab)}
        return super().env({**own, **(extra or {})})


@pytest.fixture
def dokku(tmp_path: Path) -> CronDokku:
    """A runner on temp roots, with nginx pointed nowhere and a stand-in crontab."""
    return CronDokku(tmp_path)


def test_report_and_set(dokku: Dokku, app: str) -> None:
    dokku.ok("letsencrypt:set", "--global", "email", "ops@example.com")
    dokku.ok("letsencrypt:set", app, "graceperiod", "86400")
    data = json.loads(dokku.ok("letsencrypt:report", app, "--format", "json").stdout)
    assert data["active"] == "false"
    assert data["autorenew"] == "false"
    assert data["expiration"] == ""
    assert data["computed-email"] == "ops@example.com"
    assert data["graceperiod"] == "86400"
    assert data["computed-server"] == "default"
    assert data["computed-ca-bundle"] == ""
    assert dokku.ok("letsencrypt:report", app, "--letsencrypt-computed-graceperiod").stdout == (
        "86400\n"
    )
    text = dokku.ok("letsencrypt:report", "--global").stdout
    assert "=====> --global letsencrypt information" in text
    assert "Letsencrypt global email:" in text
    result = dokku("letsencrypt:set", app, "server", "ftp://nope")
    assert result.rc == 1
    assert "expected default, staging or an https:// ACME directory URL" in result.stderr
    result = dokku("letsencrypt:set", app, "dns-provider", "x")
    assert result.rc == 1
    assert "valid properties: email, server, graceperiod, ca-bundle" in result.stderr


def test_enable_refusals_happen_before_any_acme_traffic(dokku: Dokku, app: str) -> None:
    result = dokku("letsencrypt:enable", app)
    assert result.rc == 1
    assert "without an e-mail address" in result.stderr
    dokku.ok("letsencrypt:set", "--global", "email", "ops@example.com")
    result = dokku("letsencrypt:enable", app)
    assert result.rc == 1
    assert "myapp has no domain to get a certificate for" in result.stderr
    dokku.ok("domains:add", app, "myapp.example.com")
    result = dokku("letsencrypt:enable", app)
    assert result.rc == 1
    assert "myapp has no nginx config yet: deploy it first" in result.stderr
    result = dokku("letsencrypt:enable")
    assert result.rc == 1
    assert "Give an app name or --all" in result.stderr
    result = dokku("letsencrypt:enable", "--all")
    assert result.rc == 1
    assert "No certificate for myapp" in result.stderr
    assert dokku.ok("letsencrypt:active", app).stdout == "false\n"


def test_nothing_active(dokku: Dokku, app: str) -> None:
    listing = dokku.ok("letsencrypt:list").stdout.splitlines()
    assert listing == [
        "-----> App name                      Certificate Expiry            "
        "Time before expiry            Time before renewal"
    ]
    result = dokku.ok("letsencrypt:disable", app)
    assert "not active for myapp" in result.stderr
    result = dokku("letsencrypt:revoke", app)
    assert result.rc == 1
    assert "nothing to revoke" in result.stderr
    renew = dokku.ok("letsencrypt:auto-renew").stdout
    assert "=====> Auto-renewing all apps..." in renew
    assert "=====> Finished auto-renewal" in renew
    assert "not active for myapp" in dokku.ok("letsencrypt:auto-renew", app).stdout


def test_a_user_certificate_is_not_letsencrypt(dokku: Dokku, app: str) -> None:
    dokku.ok("certs:generate", app, "myapp.example.com")
    assert dokku.ok("letsencrypt:active", app).stdout == "false\n"
    dokku.ok("letsencrypt:disable", app)
    assert dokku.ok("certs:report", app, "--ssl-enabled").stdout == "true\n"


def test_cron_job_add_and_remove(dokku: CronDokku) -> None:
    dokku.crontab.write_text("0 1 * * * /usr/bin/true\n")
    result = dokku.ok("letsencrypt:cron-job", "--add")
    assert "Added the auto-renew job to the crontab of" in result.stdout
    dokku.ok("letsencrypt:cron-job", "--add")  # idempotent: still one line
    lines = dokku.crontab.read_text().splitlines()
    assert lines[0] == "0 1 * * * /usr/bin/true"
    assert len(lines) == 2
    job = lines[1]
    assert job.startswith(f"@daily DOKKU_ROOT={dokku.root} DOKKU_LIB_ROOT={dokku.lib_root} /")
    assert job.endswith("/dokku letsencrypt:auto-renew >>/var/log/dokku/letsencrypt.log 2>&1")
    assert dokku.ok("letsencrypt:report", "--global", "--letsencrypt-autorenew").stdout == (
        "true\n"
    )
    dokku.ok("letsencrypt:cron-job", "--remove")
    assert dokku.crontab.read_text().splitlines() == ["0 1 * * * /usr/bin/true"]
    result = dokku("letsencrypt:cron-job")
    assert result.rc == 1
    assert "Give --add or --remove" in result.stderr
