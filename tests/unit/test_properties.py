"""The property store: app -> global -> default resolution, validation, report rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from pydokku import properties, state
from pydokku.errors import DokkuError
from pydokku.properties import PropertySpec
from pydokku.validation import GLOBAL_SCOPE

SPECS = [
    PropertySpec("branch", "main"),
    PropertySpec("retries", "3", properties.validate_positive_int),
    PropertySpec("autocreate", "false", properties.validate_bool, global_only=True),
    PropertySpec("secret", "", app_only=True),
]


def put(scope: str, key: str, value: str) -> None:
    properties.set_value(SPECS, "demo", scope, key, value)


def test_default_when_nothing_is_set(store: Path) -> None:
    assert properties.resolve("demo", "app1", "branch", "main") == "main"
    assert properties.resolve("demo", None, "branch", "main") == "main"
    assert properties.get("demo", "app1", "branch") is None


def test_global_value_applies_to_every_app(store: Path) -> None:
    put(GLOBAL_SCOPE, "branch", "develop")
    assert properties.resolve("demo", "app1", "branch", "main") == "develop"
    assert properties.resolve("demo", "app2", "branch", "main") == "develop"
    assert properties.resolve("demo", None, "branch", "main") == "develop"


def test_app_value_wins_over_global_for_that_app_only(store: Path) -> None:
    put(GLOBAL_SCOPE, "branch", "develop")
    put("app1", "branch", "feature")
    assert properties.resolve("demo", "app1", "branch", "main") == "feature"
    assert properties.resolve("demo", "app2", "branch", "main") == "develop"
    assert properties.resolve("demo", None, "branch", "main") == "develop"


def test_app_value_without_global_falls_back_to_default_elsewhere(store: Path) -> None:
    put("app1", "branch", "feature")
    assert properties.resolve("demo", "app1", "branch", "main") == "feature"
    assert properties.resolve("demo", "app2", "branch", "main") == "main"


def test_plugins_do_not_share_values(store: Path) -> None:
    put("app1", "branch", "feature")
    assert properties.resolve("other", "app1", "branch", "x") == "x"


def test_empty_value_unsets(store: Path) -> None:
    put(GLOBAL_SCOPE, "branch", "develop")
    put("app1", "branch", "feature")
    put("app1", "branch", "")
    assert properties.get("demo", "app1", "branch") is None
    assert properties.resolve("demo", "app1", "branch", "main") == "develop"
    put(GLOBAL_SCOPE, "branch", "")
    assert properties.resolve("demo", "app1", "branch", "main") == "main"


def test_setting_twice_keeps_one_row(store: Path) -> None:
    put("app1", "branch", "a")
    put("app1", "branch", "b")
    assert properties.all_for("demo", "app1") == {"branch": "b"}


@pytest.mark.parametrize(
    ("scope", "key", "value", "message"),
    [
        ("app1", "nope", "x", "Invalid property 'nope' for demo; valid properties: branch, "),
        ("app1", "autocreate", "true", "Property 'autocreate' can only be set with --global"),
        (GLOBAL_SCOPE, "secret", "x", "Property 'secret' cannot be set with --global"),
        ("app1", "retries", "-1", "Invalid value for retries: expected a whole number"),
        (GLOBAL_SCOPE, "autocreate", "yes", "Invalid value for autocreate: expected true or"),
    ],
)
def test_refused_values_store_nothing(
    store: Path, scope: str, key: str, value: str, message: str
) -> None:
    with pytest.raises(DokkuError) as info:
        put(scope, key, value)
    assert info.value.message.startswith(message)
    assert state.query("SELECT * FROM properties") == []


def test_report_rows(store: Path) -> None:
    put(GLOBAL_SCOPE, "branch", "develop")
    put(GLOBAL_SCOPE, "autocreate", "true")
    put("app1", "retries", "5")
    put("app1", "secret", "s")
    assert properties.report_rows(SPECS, "demo", "app1") == [
        ("branch", ""),
        ("global-branch", "develop"),
        ("computed-branch", "develop"),
        ("retries", "5"),
        ("global-retries", ""),
        ("computed-retries", "5"),
        ("global-autocreate", "true"),
        ("computed-autocreate", "true"),
        ("secret", "s"),
        ("computed-secret", "s"),
    ]


def test_report_rows_of_global_scope_ignore_app_values(store: Path) -> None:
    put("app1", "branch", "feature")
    rows = dict(properties.report_rows(SPECS, "demo", GLOBAL_SCOPE))
    assert rows["computed-branch"] == "main"
    # As in Dokku, a --global report holds only global and computed keys.
    assert all(key.startswith(("global-", "computed-")) for key in rows)
    assert "computed-secret" not in rows  # an app-only property has no global side


def test_setting_records_an_event(store: Path) -> None:
    put("app1", "branch", "feature")
    put("app1", "branch", "")
    rows = state.query("SELECT target, action, detail FROM events ORDER BY id")
    assert [tuple(r) for r in rows] == [
        ("app1", "demo:set", "branch=feature"),
        ("app1", "demo:set", "branch unset"),
    ]


@pytest.mark.parametrize(("value", "ok"), [("true", True), ("false", True), ("True", False)])
def test_validate_bool(value: str, ok: bool) -> None:
    assert (properties.validate_bool(value) is None) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [("0", True), ("42", True), ("-1", False), ("1.5", False), ("²", False), ("\u0661", False)],
)
def test_validate_positive_int(value: str, ok: bool) -> None:
    assert (properties.validate_positive_int(value) is None) is ok
