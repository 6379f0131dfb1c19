"""App name and config key rules."""

from __future__ import annotations

import pytest

from pydokku.errors import DokkuError
from pydokku.validation import (
    APP_NAME_MAX,
    app_name_problem,
    path_in_dirs_problem,
    relative_path_problem,
    validate_app_name,
    validate_env_key,
)

VALID_APP_NAMES = [
    "myapp",
    "a",
    "0",
    "1app",
    "my-app",
    "my.app",
    "node-js.v2",
    "a" * 63,
]

INVALID_APP_NAMES = [
    "",
    "my_app",
    "MyApp",
    "myApp",
    "-app",
    ".app",
    "app-",
    "app.",
    "a..b",
    "a" * 64,
    "my app",
    "app/x",
    "../etc",
    "..",
    "app:web",
    "--global",
    "myapp\n",
    "my\napp",
    "\nmyapp",
    "äpp",
    "app\x00",
]


def test_max_length_is_one_dns_label() -> None:
    assert APP_NAME_MAX == 63


@pytest.mark.parametrize("name", VALID_APP_NAMES)
def test_valid_app_names(name: str) -> None:
    assert app_name_problem(name) is None
    assert validate_app_name(name) == name


@pytest.mark.parametrize("name", INVALID_APP_NAMES)
def test_invalid_app_names(name: str) -> None:
    assert app_name_problem(name) is not None
    with pytest.raises(DokkuError) as info:
        validate_app_name(name)
    assert info.value.exit_code == 1


def test_problem_messages_name_the_rule() -> None:
    assert app_name_problem("") == "App name must not be empty"
    assert app_name_problem("a" * 64) == "App name must be at most 63 characters"
    assert "lowercase" in str(app_name_problem("My_App"))
    assert "'..'" in str(app_name_problem("a..b"))


def test_invalid_name_error_quotes_the_name() -> None:
    with pytest.raises(DokkuError, match=r"'my_app'"):
        validate_app_name("my_app")


VALID_KEYS = ["A", "_", "_A", "a", "DATABASE_URL", "key1", "K_1_2", "x" * 200]
INVALID_KEYS = [
    "",
    "1A",
    "A-B",
    "A B",
    "A=B",
    "A.B",
    "$A",
    "A\n",
    "\nA",
    "Ä",
    "A\x00",
    "-A",
]


@pytest.mark.parametrize("key", VALID_KEYS)
def test_valid_env_keys(key: str) -> None:
    assert validate_env_key(key) == key


@pytest.mark.parametrize("key", INVALID_KEYS)
def test_invalid_env_keys(key: str) -> None:
    with pytest.raises(DokkuError, match="Invalid config key"):
        validate_env_key(key)


@pytest.mark.parametrize("value", ["Procfile", "deploy/Procfile", "./sub", "a.b-c_d/e", "sub/"])
def test_relative_paths_accepted(value: str) -> None:
    assert relative_path_problem(value) is None


@pytest.mark.parametrize(
    "value",
    [
        "",
        "/etc/os-release",
        "../../..",
        "a/../../b",
        "..",
        "a//b",
        "a b",
        "a\nb",
        "a\x00b",
        "$(id)",
        "a;b",
        "x" * 256,
        "a\\b",
        "`id`",
        "a'b",
    ],
)
def test_relative_paths_refused(value: str) -> None:
    assert relative_path_problem(value)


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("/var/log/nginx/app.log", True),
        ("/var/log/nginx/sub/app.log", True),
        ("/var/log/nginx", False),
        ("/var/log/nginx/../../../etc/profile.d/x.sh", False),
        ("/var/log/nginxevil/x", False),
        ("/etc/profile.d/x.sh", False),
        ("var/log/nginx/x", False),
        ("/var/log/nginx//x", False),
    ],
)
def test_paths_in_fixed_dirs(value: str, ok: bool) -> None:
    assert (path_in_dirs_problem(value, ("/var/log/nginx",)) is None) is ok
