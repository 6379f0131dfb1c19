"""Input rules of git:sync URLs, plugin sources and plugin:trigger arguments."""

from __future__ import annotations

import pytest

from pydokku.errors import DokkuError, UsageError
from pydokku.plugins.git import access, remote
from pydokku.plugins.git.commit import DEFAULT_AUTHOR, validate_author
from pydokku.plugins.plugin.packages import parse_source
from pydokku.plugins.plugin.trigger import hook_arguments


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/dokku/dokku.git",
        "http://127.0.0.1:8080/repo.git",
        "ssh://git@example.com:2222/org/repo.git",
        "git://127.0.0.1/repo",
        "git@github.com:org/repo.git",
        "example.com:repo.git",
    ],
)
def test_network_urls_are_accepted_from_anyone(url: str) -> None:
    assert remote.check_url(url, remote_caller=True) == url


@pytest.mark.parametrize("url", ["/srv/git/app.git", "file:///srv/git/app.git"])
def test_local_repos_only_for_local_callers(url: str) -> None:
    assert remote.check_url(url, remote_caller=False) == url
    with pytest.raises(DokkuError, match="cannot be synced over SSH"):
        remote.check_url(url, remote_caller=True)


@pytest.mark.parametrize(
    "url",
    [
        "ext::sh%20-c%20touch%20/tmp/x",
        "fd::3",
        "--upload-pack=touch",
        "ftp://example.com/repo",
        "https://-oProxyCommand=x/repo",
        "relative/path",
        "../other-app",
        "https://example.com/a b",
        "",
    ],
)
def test_unsafe_urls_are_refused(url: str) -> None:
    with pytest.raises(DokkuError):
        remote.check_url(url, remote_caller=False)


def test_git_is_told_which_transports_are_allowed() -> None:
    options = remote.git_options(allow_local=False)
    assert options[:2] == ["-c", "protocol.allow=never"]
    assert "protocol.file.allow=always" not in options
    assert "protocol.file.allow=always" in remote.git_options(allow_local=True)
    assert "protocol.ext.allow=always" not in remote.git_options(allow_local=True)


def test_passwords_in_urls_are_hidden() -> None:
    assert remote.redact("https://bob:s3cret@host/r.git") == "https://bob:***@host/r.git"
    assert remote.redact("https://bob@host/r.git") == "https://bob@host/r.git"
    assert remote.redact("git@host:r.git") == "git@host:r.git"


def test_netrc_entries_refuse_what_would_break_the_file() -> None:
    access.check_entry("github.com", "bob", "s3cret")
    access.check_entry("github.com", "", "")  # removal
    for host, user, password in [
        ("bad host", "bob", "x"),
        ("-oProxy", "bob", "x"),
        ("github.com", "bob", "two words"),
        ("github.com", "bob", 'q"uote'),
        ("github.com", "bob", ""),
        ("github.com", "b\nob", "x"),
    ]:
        with pytest.raises(DokkuError):
            access.check_entry(host, user, password)


def test_commit_author() -> None:
    assert validate_author("", "") == DEFAULT_AUTHOR
    assert validate_author("Ann", "ann@example.com") == ("Ann", "ann@example.com")
    for name, email in [("Ann", ""), ("A<nn>", "a@b"), ("Ann", "not-an-email"), ("", "a@b")]:
        with pytest.raises(DokkuError):
            validate_author(name, email)


def test_plugin_sources(tmp_path) -> None:
    wheel = tmp_path / "p-1.0-py3-none-any.whl"
    wheel.write_bytes(b"")
    assert parse_source("pydokku-foo==1.2").requirement == "pydokku-foo==1.2"
    assert parse_source(str(wheel)).requirement == str(wheel)
    assert parse_source(str(wheel)).local
    named = parse_source(str(tmp_path), name="pydokku-foo").requirement
    assert named == f"pydokku-foo @ file://{tmp_path}"
    git = parse_source("https://example.com/o/p.git", name="p", committish="v1").requirement
    assert git == "p @ git+https://example.com/o/p.git@v1"
    assert (
        parse_source("git@example.com:o/p.git").requirement == "git+ssh://git@example.com/o/p.git"
    )
    for bad in ["-e /tmp", "foo; rm -rf /", "--index-url=http://x", str(tmp_path / "missing")]:
        with pytest.raises(DokkuError):
            parse_source(bad)
    with pytest.raises(DokkuError):
        parse_source("pydokku-foo", committish="v1")
    with pytest.raises(DokkuError):
        parse_source("https://example.com/o/p.git", committish="--upload-pack=x")


def test_trigger_arguments_follow_the_hook_signature() -> None:
    assert hook_arguments("post-create", ["app1"]) == ("post_create", {"app": "app1"})
    name, kwargs = hook_arguments("post-config-update", ["app1", "set", "A,B", "false"])
    assert name == "post_config_update"
    assert kwargs == {"app": "app1", "action": "set", "keys": ["A", "B"], "restart": False}
    with pytest.raises(UsageError):
        hook_arguments("post-create", [])
    with pytest.raises(DokkuError, match="Unknown hook"):
        hook_arguments("no-such-hook", [])
    with pytest.raises(DokkuError, match="cannot be triggered"):
        hook_arguments("post-deploy", ["x"])
