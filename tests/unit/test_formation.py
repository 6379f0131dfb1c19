"""Formation: `ps:scale` arguments and the quantity of each process type."""

from __future__ import annotations

from pathlib import Path

import pytest

from pydokku import state
from pydokku.errors import DokkuError
from pydokku.plugins.ps import formation
from pydokku.plugins.ps.formation import MAX_QUANTITY

APP_JSON: dict[str, object] = {
    "formation": {"web": {"quantity": 2}, "worker": {"quantity": 3}, "clock": {"quantity": 0}}
}


def test_defaults_are_one_web_and_no_others(store: Path) -> None:
    assert formation.resolve("myapp", ["web", "worker"], {}) == {"web": 1, "worker": 0}


def test_app_json_overrides_defaults(store: Path) -> None:
    assert formation.resolve("myapp", ["web", "worker", "clock", "cron"], APP_JSON) == {
        "web": 2,
        "worker": 3,
        "clock": 0,
        "cron": 0,
    }


def test_ps_scale_overrides_app_json(store: Path) -> None:
    formation.store("myapp", {"web": 0, "worker": 5})
    assert formation.resolve("myapp", ["web", "worker", "clock"], APP_JSON) == {
        "web": 0,
        "worker": 5,
        "clock": 0,
    }


def test_only_the_given_process_types_are_resolved(store: Path) -> None:
    formation.store("myapp", {"old": 4})
    assert formation.resolve("myapp", ["web"], APP_JSON) == {"web": 2}


def test_scale_is_per_app(store: Path) -> None:
    formation.store("myapp", {"web": 3})
    assert formation.resolve("other", ["web"], {}) == {"web": 1}


def test_store_updates_and_records_an_event(store: Path) -> None:
    formation.store("myapp", {"web": 3, "worker": 1})
    formation.store("myapp", {"web": 2})
    assert formation.stored("myapp") == {"web": 2, "worker": 1}
    events = state.query("SELECT action, detail FROM events WHERE target = 'myapp'")
    assert [tuple(e) for e in events] == [("ps:scale", "web=3 worker=1"), ("ps:scale", "web=2")]


def test_parse_scale_args() -> None:
    assert formation.parse_scale_args(["web=2", "worker_1=0", "my-proc=100"]) == {
        "web": 2,
        "worker_1": 0,
        "my-proc": 100,
    }
    assert formation.parse_scale_args([]) == {}
    assert formation.parse_scale_args(["web=1", "web=3"]) == {"web": 3}


@pytest.mark.parametrize(
    "pair",
    [
        "web",
        "web:2",
        "=2",
        "web=",
        "web=-1",
        "web=+1",
        "web=1.5",
        "web=two",
        "web= 1",
        "web=²",
        "web=\u0663",  # ARABIC-INDIC DIGIT THREE
        "my.proc=1",
        "my proc=1",
        "web\n=1",
        "../x=1",
    ],
)
def test_parse_scale_args_refuses_bad_pairs(pair: str) -> None:
    with pytest.raises(DokkuError, match=r"Invalid scale argument .*expected PROCESS=QUANTITY"):
        formation.parse_scale_args([pair])


def test_parse_scale_args_caps_the_quantity() -> None:
    assert formation.parse_scale_args([f"web={MAX_QUANTITY}"]) == {"web": MAX_QUANTITY}
    with pytest.raises(DokkuError, match=f"web=101: at most {MAX_QUANTITY} per process type"):
        formation.parse_scale_args(["web=101"])
