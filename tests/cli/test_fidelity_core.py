"""Dokku 0.38 behaviour scripts depend on: version, --quiet tables, --app as its client sends it.

Each row pins what Dokku prints or accepts (from Dokku's source: `dokku`, plugins/apps,
plugins/ps/functions.go, plugins/ssh-keys, contrib/dokku_client.sh).
"""

from __future__ import annotations

import pytest

from tests.conftest import Dokku


@pytest.mark.parametrize(
    ("argv", "stdout"),
    [
        # ps:scale's table: `proctype: qty` and names padded to 5 (common.RightPad).
        (
            ["ps:scale", "myapp"],
            "-----> Scaling for myapp\nproctype: qty\n--------: ---\nweb:  1\n",
        ),
        # --quiet drops the step line and the table header, keeping the rows.
        (["--quiet", "ps:scale", "myapp"], "web:  1\n"),
        (["ps:scale", "myapp", "--format", "json"], '[{"process_type": "web", "quantity": 1}]\n'),
        (["--quiet", "apps:list"], "myapp\n"),
        # Dokku's client: `--app APP CMD ...` for every command.
        (["--app", "myapp", "apps:list"], "=====> My Apps\nmyapp\n"),
        (["--app", "myapp", "apps:exists", "myapp"], ""),
        (["--app", "myapp", "config:keys"], "A\n"),
        (["--app", "myapp", "--quiet", "config:get", "A"], "1\n"),
    ],
)
def test_output_as_dokku_prints_it(dokku: Dokku, app: str, argv: list[str], stdout: str) -> None:
    dokku.ok("config:set", "--no-restart", app, "A=1")
    assert dokku.ok(*argv).stdout == stdout


def test_the_client_s_repeated_app_name_creates_one_app(dokku: Dokku) -> None:
    dokku.ok("--app", "fresh", "apps:create", "fresh")
    assert dokku.ok("apps:list", "--format", "json").stdout == '["fresh"]\n'
    dokku.ok("--app", "fresh", "config:set", "--no-restart", "K=v")
    assert dokku.ok("config:get", "fresh", "K").stdout == "v\n"
    dokku.ok("--app", "fresh", "--force", "apps:destroy")
    assert dokku.ok("apps:list", "--format", "json").stdout == "[]\n"
