"""events:* end to end: what is recorded, by whom, and the on/off switch."""

from __future__ import annotations

import json

from tests.conftest import Dokku


def actions(dokku: Dokku) -> list[tuple[str, str, str, str]]:
    events = json.loads(dokku.ok("events:list", "--format", "json").stdout)
    return [(e["actor"], e["target"], e["action"], e["detail"]) for e in events]


def test_changes_are_listed_with_their_actor(dokku: Dokku) -> None:
    dokku.ok("apps:create", "myapp")
    dokku.ok("config:set", "myapp", "B=2", "A=1")
    dokku.ok("config:unset", "myapp", "B")
    dokku.ok("apps:rename", "myapp", "renamed")
    lines = dokku.ok("events:list").lines
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
    dokku.ok("apps:list")
    dokku.ok("config:show", "myapp")
    dokku.ok("apps:report", "myapp")
    assert [a[2] for a in actions(dokku)] == ["apps:create"]


def test_number_of_events(dokku: Dokku) -> None:
    for name in ("a1", "a2", "a3"):
        dokku.ok("apps:create", name)
    assert [line.split()[2] for line in dokku.ok("events:list", "-n", "2").lines] == ["a2", "a3"]
    assert [line.split()[2] for line in dokku.ok("events", "--num", "1").lines] == ["a3"]
    result = dokku("events:list", "-n", "0")
    assert result.rc == 1
    assert result.stderr.startswith(" !     -n must be at least 1")
    assert dokku("events:list", "-n", "x").rc == 1


def test_json_format(dokku: Dokku) -> None:
    dokku.ok("apps:create", "myapp")
    events = json.loads(dokku.ok("events:list", "--format", "json").stdout)
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
