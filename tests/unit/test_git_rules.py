"""Pure rules of the git plugin: branch names, repo paths over SSH, pre-receive input."""

from __future__ import annotations

import subprocess

import pytest

from pydokku.errors import DokkuError
from pydokku.plugins.git.extract import validate_rev
from pydokku.plugins.git.push import parse_updates
from pydokku.plugins.git.receive import app_from_repo_arg
from pydokku.plugins.git.settings import branch_problem, validate_env_name

SHA_A = "a" * 40
SHA_B = "b" * 40
ZERO = "0" * 40

VALID_BRANCHES = ["main", "master", "feature/x", "release-1.2", "a.b", "v1@2", "UPPER_case"]
INVALID_BRANCHES = [
    "",
    "-main",
    "a b",
    "a..b",
    "a//b",
    "/a",
    "a/",
    "a.",
    ".a",
    "a/.b",
    "a.lock",
    "a/b.lock/c",
    "@",
    "a@{1}",
    "a~1",
    "a^",
    "a:b",
    "a?",
    "a*",
    "a[b",
    "a\\b",
    "a\tb",
    "a\x7fb",
    "x" * 256,
]


@pytest.mark.parametrize("name", VALID_BRANCHES)
def test_valid_branch_names(name: str) -> None:
    assert branch_problem(name) is None


@pytest.mark.parametrize("name", INVALID_BRANCHES)
def test_invalid_branch_names(name: str) -> None:
    assert branch_problem(name)


# Left out: "" and the over-long name, whose limits differ, and "@", git's shorthand for HEAD.
@pytest.mark.parametrize("name", [n for n in VALID_BRANCHES + INVALID_BRANCHES[1:-1] if n != "@"])
def test_branch_rules_agree_with_git(name: str) -> None:
    proc = subprocess.run(
        ["git", "check-ref-format", "--branch", name], capture_output=True, check=False
    )
    assert (proc.returncode == 0) == (branch_problem(name) is None)


def test_rev_env_var_names() -> None:
    assert validate_env_name("GIT_REV") is None
    assert validate_env_name("MY-REV")
    assert validate_env_name("1REV")


@pytest.mark.parametrize(
    ("raw", "app"),
    [
        ("myapp", "myapp"),
        ("'myapp'", "myapp"),
        ("/myapp", "myapp"),
        ("/myapp.git", "myapp"),
        ("myapp.git", "myapp"),
        ('"my-app.example.com"', "my-app.example.com"),
    ],
)
def test_repo_args_name_an_app(raw: str, app: str) -> None:
    assert app_from_repo_arg(raw) == app


@pytest.mark.parametrize(
    "raw", ["../etc", "/etc/passwd", "", "'", "a/b", "MyApp", "my app", "~/myapp", ".git", "-x"]
)
def test_other_repo_args_are_refused(raw: str) -> None:
    with pytest.raises(DokkuError):
        app_from_repo_arg(raw)


def test_parse_updates() -> None:
    updates = parse_updates(
        [f"{ZERO} {SHA_A} refs/heads/main\n", "\n", f"{SHA_A} {ZERO} refs/tags/v1\n"]
    )
    assert [(u.old, u.new, u.ref) for u in updates] == [
        (ZERO, SHA_A, "refs/heads/main"),
        (SHA_A, ZERO, "refs/tags/v1"),
    ]
    assert [(u.branch, u.deleted) for u in updates] == [("main", False), (None, True)]


@pytest.mark.parametrize(
    "line", [f"{SHA_A} refs/heads/main", f"{SHA_A} --help refs/heads/main", f"x {SHA_B} r"]
)
def test_bad_pre_receive_input_is_refused(line: str) -> None:
    with pytest.raises(DokkuError):
        parse_updates([line])


def test_revs_are_full_object_ids() -> None:
    assert validate_rev(SHA_A) == SHA_A
    assert validate_rev("c" * 64) == "c" * 64
    for bad in ("HEAD", "--output=/etc/x", SHA_A.upper(), SHA_A[:-1]):
        with pytest.raises(DokkuError, match="Invalid revision"):
            validate_rev(bad)
