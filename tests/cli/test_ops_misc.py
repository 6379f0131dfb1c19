"""trace, scheduler, config:bundle, repo, run:retire and cleanup from the command line."""

from __future__ import annotations

import io
import json
import subprocess
import tarfile

from tests.conftest import Dokku
from tests.report_json import short_keys


def test_trace_on_makes_every_command_trace(dokku: Dokku) -> None:
    dokku.ok("trace:on")
    switch = dokku.root / ".dokkurc" / "DOKKU_TRACE"
    assert switch.read_text() == "export DOKKU_TRACE=1\n"
    dokku.ok("trace:off")
    assert not switch.exists()
    dokku.ok("trace:off")  # already off: still fine


def test_scheduler_set_and_report(dokku: Dokku, app: str) -> None:
    bad = dokku("scheduler:set", app, "selected", "k3s")
    assert bad.rc == 1
    assert bad.stderr.rstrip() == (
        " !     Invalid value for selected: unknown scheduler 'k3s'; available: docker-local"
    )
    assert dokku("scheduler:set", app, "colour", "red").rc == 1
    report = short_keys(
        json.loads(dokku.ok("scheduler:report", app, "--format", "json").stdout), "scheduler"
    )
    assert report == {"selected": "", "global-selected": "", "computed-selected": "docker-local"}
    dokku.ok("scheduler:set", "--global", "selected", "docker-local")
    flag = dokku.ok("scheduler:report", app, "--scheduler-computed-selected")
    assert flag.stdout.strip() == "docker-local"
    assert dokku("scheduler:report", "nope").rc != 0


def test_config_bundle_is_a_tar_of_the_vars(dokku: Dokku, app: str) -> None:
    dokku.ok("config:set", "--no-restart", "--global", "G=global")
    dokku.ok("config:set", "--no-restart", app, "A=1", "B=two words")
    proc = subprocess.run(
        dokku.argv(("config:bundle", "--merged", app)),
        env=dokku.env(),
        capture_output=True,
        check=True,
    )
    with tarfile.open(fileobj=io.BytesIO(proc.stdout)) as archive:
        assert sorted(archive.getnames()) == ["A", "B", "G"]
        assert archive.extractfile("B").read() == b"two words"
    bad = dokku("config:bundle", "nope")
    assert bad.rc == 1
    assert bad.stdout == ""
    assert bad.stderr.rstrip() == " !     App nope does not exist"


def test_bad_input_is_one_clear_line(dokku: Dokku, app: str) -> None:
    for args, message in [
        (("repo:gc", "nope"), "App nope does not exist"),
        (("repo:purge-cache", "nope"), "App nope does not exist"),
        (("run:retire", "nope"), "App nope does not exist"),
        (("cleanup", "Bad_Name"), "App name must begin"),
        (("trace:on", "extra"), "Unrecognized arguments: extra"),
    ]:
        result = dokku(*args)
        assert result.rc != 0, args
        assert result.stdout == "", args
        first = result.stderr.splitlines()[0]
        assert first.startswith(" !     "), (args, result.stderr)
        assert message in first, (args, result.stderr)
        assert "Traceback" not in result.stderr
