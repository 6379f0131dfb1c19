"""events:* end to end: what is recorded, by whom, and the on/off switch."""

from __future__ import annotations

import json
import queue
import threading

import pytest

from tests.conftest import Dokku

# Other plugins may record events of their own from hooks; these tests follow the core ones.
CORE = ("apps", "config", "events")


def core_events(dokku: Dokku, *args: str) -> list[dict[str, object]]:
    events = json.loads(dokku.ok("events:list", "--format", "json", *args).stdout)
    return [e for e in events if str(e["action"]).split(":")[0] in CORE]


def actions(dokku: Dokku) -> list[tuple[object, ...]]:
    events = core_events(dokku)
    return [(e["actor"], e["target"], e["action"], e["detail"]) for e in events]


@pytest.mark.integration  # destroy/rename ask the Docker engine for the app's containers
def test_changes_are_listed_with_their_actor(dokku: Dokku) -> None:
    dokku.ok("apps:create", "myapp")
    dokku.ok("config:set", "myapp", "B=2", "A=1")
    dokku.ok("config:unset", "myapp", "B")
    dokku.ok("apps:rename", "myapp", "renamed")
    lines = [
        line for line in dokku.ok("events:list").lines if line.split()[3].split(":")[0] in CORE
    ]
    assert [line.split(" ", 1)[1] for line in lines] == [
        "tester myapp apps:create",
        "tester myapp config:set A B",
        "tester myapp config:unset B",
        "tester renamed apps:rename from myapp",
    ]
    stamp = lines[0].split(" ", 1)[0]
    assert len(stamp) == 20
    assert stamp.endswith("Z")


def test_reads_are_not_recorded(dokku: Dokku) -> None:
    dokku.ok("apps:create", "myapp")
    before = dokku.ok("events:list", "--format", "json").stdout
    dokku.ok("apps:list")
    dokku.ok("config:show", "myapp")
    dokku("config:get", "myapp", "A")
    dokku.ok("apps:report", "myapp")
    dokku.ok("report", "myapp")
    assert dokku.ok("events:list", "--format", "json").stdout == before


def test_number_of_events(dokku: Dokku) -> None:
    for name in ("a1", "a2", "a3"):
        dokku.ok("config:set", "--global", f"{name.upper()}=1")
    assert [line.split()[4] for line in dokku.ok("events:list", "-n", "2").lines] == ["A2", "A3"]
    assert [line.split()[4] for line in dokku.ok("events", "--num", "1").lines] == ["A3"]
    result = dokku("events:list", "-n", "0")
    assert result.rc == 1
    assert result.stderr.startswith(" !     -n must be at least 1")
    assert dokku("events:list", "-n", "x").rc == 1
    assert len(dokku.ok("events:list", "-n", "1" + "0" * 30).lines) == 3


def test_json_format(dokku: Dokku) -> None:
    dokku.ok("apps:create", "myapp")
    events = core_events(dokku)
    assert len(events) == 1
    event = events[0]
    assert set(event) == {"id", "at", "target", "actor", "action", "detail"}
    assert (event["target"], event["actor"], event["action"], event["detail"]) == (
        "myapp",
        "tester",
        "apps:create",
        "",
    )
    assert isinstance(event["id"], int)
    result = dokku("events:list", "-t", "--format", "json")
    assert result.rc == 1


def test_off_stops_recording_and_on_resumes(dokku: Dokku) -> None:
    dokku.ok("apps:create", "before")
    assert dokku.ok("events:off").stdout == "-----> Disabling dokku events logger\n"
    dokku.ok("apps:create", "during")
    dokku.ok("config:set", "during", "A=1")
    assert dokku.ok("events:on").stdout == "-----> Enabling dokku events logger\n"
    dokku.ok("apps:create", "after")
    recorded = actions(dokku)
    targets = [target for _, target, _, _ in recorded]
    assert "during" not in targets
    assert [a for _, _, a, _ in recorded] == [
        "apps:create",
        "events:off",
        "events:set",
        "apps:create",
    ]
    assert targets == ["before", "--global", "--global", "after"]


def test_off_twice_and_on_twice(dokku: Dokku) -> None:
    dokku.ok("events:off")
    dokku.ok("events:off")
    dokku.ok("events:on")
    dokku.ok("events:on")
    dokku.ok("apps:create", "x")
    assert actions(dokku)[-1][1:3] == ("x", "apps:create")


def test_tail_follows_new_events(dokku: Dokku) -> None:
    dokku.ok("config:set", "--global", "BEFORE=1")
    proc = dokku.start("events:list", "-t")
    lines: queue.Queue[str] = queue.Queue()
    assert proc.stdout is not None
    reader = threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout or []])
    reader.start()

    def next_line_with(text: str) -> str:
        while True:
            line = lines.get(timeout=15)
            if text in line:
                return line

    try:
        assert next_line_with("BEFORE").split()[1:] == [
            "tester",
            "--global",
            "config:set",
            "BEFORE",
        ]
        dokku.ok("config:set", "--global", "AFTER=1")
        assert next_line_with("AFTER").split()[1:] == ["tester", "--global", "config:set", "AFTER"]
    finally:
        proc.kill()
        proc.wait(timeout=15)
        reader.join(timeout=15)
        proc.stdout.close()
        if proc.stderr:
            proc.stderr.close()
