"""acl:* commands and the access rules they set for commands arriving over SSH."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.conftest import Dokku, Result


def ssh(dokku: Dokku, name: str, command: str, stdin: str = "", **env: str) -> Result:
    return dokku(stdin=stdin, env={"SSH_ORIGINAL_COMMAND": command, "NAME": name, **env})


def grants(dokku: Dokku) -> list[tuple[str, ...]]:
    with sqlite3.connect(dokku.db) as conn:
        rows = conn.execute("SELECT 'app', app, user FROM acl_apps").fetchall()
        rows += conn.execute("SELECT type, service, user FROM acl_services").fetchall()
    return sorted(rows)


@pytest.fixture
def two_apps(dokku: Dokku) -> None:
    dokku.ok("apps:create", "alpha")
    dokku.ok("apps:create", "beta")


def test_add_list_remove(dokku: Dokku, two_apps: None) -> None:
    dokku.ok("acl:add", "alpha", "alice")
    dokku.ok("acl:add", "alpha", "bob")
    assert dokku.ok("acl:list", "alpha").stdout == "alice\nbob\n"
    assert dokku.ok("acl:list", "beta").stdout == ""
    assert json.loads(dokku.ok("acl:list", "--format", "json").stdout) == {
        "alpha": ["alice", "bob"],
        "beta": [],
    }
    assert dokku.ok("acl:allowed", "bob").stdout == "alpha\n"
    dokku.ok("acl:remove", "alpha", "bob")
    dokku.ok("acl:remove", "alpha", "bob")  # nothing left to revoke: not an error
    assert dokku.ok("acl:list", "alpha", "--format", "json").stdout == '["alice"]\n'
    events = dokku.ok("events:list", "--format", "json").stdout
    assert "acl:add" in events
    assert "acl:remove" in events


def test_adding_twice_exits_2(dokku: Dokku, two_apps: None) -> None:
    dokku.ok("acl:add", "alpha", "alice")
    result = dokku("acl:add", "alpha", "alice")
    assert result.rc == 2
    assert result.stderr == " !     User already has permissions to push to this repository\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("acl:add", "nope", "alice"), "App nope does not exist"),
        (("acl:add", "alpha", "bad name"), "Invalid key name 'bad name'"),
        (("acl:add", "alpha", "-x"), ""),
        (("acl:add", "alpha", "a;rm"), "Invalid key name"),
        (("acl:add", "Bad_App", "alice"), "App name"),
        (("acl:remove", "alpha", "a/b"), "Invalid key name"),
        (("acl:list", "../etc"), "App name"),
        (("acl:allowed", "x" * 65), "Invalid key name"),
        (("acl:add-service", "postgres", "nodb", "alice"), "Service nodb of type postgres"),
        (("acl:add-service", "mysql", "db", "alice"), "'mysql' service plugin not detected"),
        (("acl:add-service", "../x", "db", "alice"), "service plugin not detected"),
        (("acl:add-service", "apps", "db", "alice"), "'apps' service plugin not detected"),
        (("acl:list-service", "redis", "nodb"), "Service nodb of type redis does not exist"),
        (("acl:allowed-services", "ps", "alice"), "'ps' service plugin not detected"),
        (("acl:set", "alpha", "super-user", "alice"), "can only be set with --global"),
        (("acl:set", "--global", "super-user", "a b;c"), "Invalid key name 'b;c'"),
        (("acl:set", "--global", "superusers", "a"), "Invalid property 'superusers'"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    dokku: Dokku, two_apps: None, args: tuple[str, ...], message: str
) -> None:
    dokku.ok("acl:add", "alpha", "alice")
    before = (grants(dokku), dokku.ok("acl:report", "--global").stdout)
    result = dokku(*args)
    assert result.rc != 0
    assert result.stderr.startswith(" !     ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert (grants(dokku), dokku.ok("acl:report", "--global").stdout) == before


def test_service_lists(dokku: Dokku, two_apps: None) -> None:
    # A service row as postgres:create stores it (no container needed for the lists).
    with sqlite3.connect(dokku.db) as conn:
        for name in ("db1", "db2"):
            conn.execute(
                "INSERT INTO services (type, name, created_at, image, version) "
                "VALUES ('postgres', ?, 'now', 'postgres', '16')",
                (name,),
            )
    dokku.ok("acl:add-service", "postgres", "db1", "alice")
    assert dokku("acl:add-service", "postgres", "db1", "alice").rc == 2
    assert dokku.ok("acl:list-service", "postgres", "db1").stdout == "alice\n"
    assert dokku.ok("acl:allowed-services", "postgres", "alice").stdout == "db1\n"
    assert dokku.ok("acl:allowed-services", "postgres", "bob").stdout == ""
    dokku.ok("acl:set", "--global", "super-user", "root-key")
    assert dokku.ok("acl:allowed-services", "postgres", "root-key").stdout == "db1\ndb2\n"
    # Over SSH, alice sees and may use only db1; bob none (a super user is set).
    listing = ssh(dokku, "alice", "postgres:list --format json")
    assert (listing.rc, listing.stdout) == (0, '["db1"]\n')
    refused = ssh(dokku, "alice", "postgres:info db2")
    assert refused.rc == 1
    assert refused.stderr == (
        " !     User alice does not have permissions to run postgres:info on db2, "
        "or db2 does not exist\n"
    )
    # A link needs both the service and the app.
    dokku.ok("acl:add", "alpha", "alice")
    link = ssh(dokku, "alice", "postgres:link db1 beta")
    assert "on beta, or beta does not exist" in link.stderr
    dokku.ok("acl:remove-service", "postgres", "db1", "alice")
    assert dokku.ok("acl:list-service", "postgres", "db1").stdout == ""
    # Dropping the service drops its grants.
    dokku.ok("acl:add-service", "postgres", "db2", "bob")
    with sqlite3.connect(dokku.db) as conn:
        conn.execute("DELETE FROM services WHERE name = 'db2'")
    assert grants(dokku) == [("app", "alpha", "alice")]


def test_no_grants_and_no_super_user_restrict_nothing(dokku: Dokku, two_apps: None) -> None:
    assert ssh(dokku, "bob", "config:set alpha A=1").rc == 0
    assert ssh(dokku, "bob", "events:list").rc == 0
    assert ssh(dokku, "bob", "apps:list --format json").stdout == '["alpha", "beta"]\n'


def test_a_grant_locks_others_out_of_that_app(dokku: Dokku, two_apps: None) -> None:
    dokku.ok("acl:add", "alpha", "alice")
    assert ssh(dokku, "alice", "config:set alpha A=1").rc == 0
    refused = ssh(dokku, "bob", "config:get alpha A")
    assert refused.rc == 1
    assert refused.stdout == ""
    assert refused.stderr == (
        " !     User bob does not have permissions to run config:get on alpha, "
        "or alpha does not exist\n"
    )
    for command in (
        "--app alpha config:show",
        "apps:destroy alpha --force",
        "apps:rename alpha gamma",
        "apps:rename beta alpha",
        "apps:clone alpha gamma",
        "ps:report alpha",
        "git-receive-pack 'alpha'",
        "git-receive-pack '/alpha.git'",
        "git-upload-pack 'alpha.git'",
        "logs alpha",
        "run alpha ls",
    ):
        result = ssh(dokku, "bob", command)
        assert result.rc == 1, command
        assert "User bob does not have permissions to run" in result.stderr, command
    # An app without grants stays open while no super user is set; so do new apps.
    assert ssh(dokku, "bob", "config:set beta B=1").rc == 0
    assert ssh(dokku, "bob", "apps:create gamma").rc == 0
    assert ssh(dokku, "bob", "apps:list").stdout == "=====> My Apps\nbeta\ngamma\n"
    assert ssh(dokku, "alice", "apps:list --format json").stdout == ('["alpha", "beta", "gamma"]\n')
    # Local commands are never restricted.
    assert dokku.ok("config:get", "alpha", "A").stdout == "1\n"


def test_host_commands_once_acls_are_in_use(dokku: Dokku, two_apps: None) -> None:
    dokku.ok("acl:add", "alpha", "alice")
    for command in (
        "ssh-keys:list",
        "ssh-keys:add alice",
        "plugin:list",
        "config:set --global A=1",
        "nginx:set --global client-max-body-size 1m",
        "ps:report --global",
        "ps:restart --all",
        "report",
        "events:list",
        "domains:add-global example.com",
    ):
        result = ssh(dokku, "alice", command)
        assert result.rc == 1, command
        assert result.stderr.startswith(" !     User alice does not have permissions to run "), (
            command,
            result.stderr,
        )
    for command in ("help", "version", "apps:list", "postgres:list"):
        assert ssh(dokku, "alice", command).rc == 0, command


def test_a_super_user_may_do_everything(dokku: Dokku, two_apps: None) -> None:
    dokku.ok("acl:set", "--global", "super-user", "root-key other")
    dokku.ok("acl:add", "alpha", "alice")
    for name in ("root-key", "other"):
        assert ssh(dokku, name, "config:set alpha A=1").rc == 0
        assert ssh(dokku, name, "config:set --global G=1").rc == 0
        assert ssh(dokku, name, "events:list").rc == 0
        assert ssh(dokku, name, "apps:list --format json").stdout == '["alpha", "beta"]\n'
    # Super users change the lists over SSH too.
    assert ssh(dokku, "root-key", "acl:add beta bob").rc == 0
    assert ssh(dokku, "root-key", "acl:list beta").stdout == "bob\n"


def test_the_env_var_names_super_users_too(dokku: Dokku, two_apps: None) -> None:
    dokku.ok("acl:add", "alpha", "alice")
    env = {"DOKKU_SUPER_USER": "puck robin"}
    assert ssh(dokku, "robin", "config:get alpha A", **env).rc == 1  # unset var, not refused
    assert "permissions" not in ssh(dokku, "robin", "config:get alpha A", **env).stderr
    assert ssh(dokku, "robin", "events:list", **env).rc == 0
    assert ssh(dokku, "bob", "events:list", **env).rc == 1


def test_with_a_super_user_an_empty_list_refuses_others(dokku: Dokku, two_apps: None) -> None:
    dokku.ok("acl:set", "--global", "super-user", "root-key")
    dokku.ok("acl:add", "alpha", "alice")
    refused = ssh(dokku, "alice", "config:set beta A=1")
    assert refused.rc == 1
    assert "run config:set on beta, or beta does not exist" in refused.stderr
    assert ssh(dokku, "alice", "apps:create gamma").rc == 1
    assert ssh(dokku, "alice", "git-receive-pack 'delta'").rc == 1
    assert ssh(dokku, "alice", "apps:list").stdout == "=====> My Apps\nalpha\n"
    assert ssh(dokku, "alice", "config:set alpha A=1").rc == 0
    assert dokku.ok("apps:list", "--format", "json").stdout == '["alpha", "beta"]\n'


def test_only_super_users_change_lists_over_ssh(dokku: Dokku, two_apps: None) -> None:
    # Without a super user nobody may: not even to make themselves one.
    for command in (
        "acl:add alpha bob",
        "acl:set --global super-user bob",
        "acl:list alpha",
        "acl:allowed bob",
    ):
        result = ssh(dokku, "bob", command)
        assert result.rc == 1, command
        assert result.stderr == (
            f" !     User bob may not run {command.split()[0]} over SSH: access lists are "
            "changed by a super user or with the dokku command on the server\n"
        )
    assert grants(dokku) == []
    assert dokku.ok("acl:report", "--global", "--acl-global-super-user").stdout == ""
    dokku.ok("acl:add", "alpha", "alice")
    assert ssh(dokku, "alice", "acl:remove alpha alice").rc == 1
    assert grants(dokku) == [("app", "alpha", "alice")]


def test_grants_follow_rename_clone_and_destroy(dokku: Dokku, two_apps: None) -> None:
    dokku.ok("acl:add", "alpha", "alice")
    dokku.ok("apps:rename", "--skip-deploy", "alpha", "gamma")
    assert dokku.ok("acl:list", "gamma").stdout == "alice\n"
    dokku.ok("apps:clone", "--skip-deploy", "gamma", "delta")
    assert dokku.ok("acl:list", "delta").stdout == "alice\n"
    dokku.ok("apps:destroy", "gamma", "--force")
    dokku.ok("apps:destroy", "delta", "--force")
    assert grants(dokku) == []


def test_report(dokku: Dokku, two_apps: None) -> None:
    dokku.ok("acl:add", "alpha", "alice")
    dokku.ok("acl:add", "alpha", "bob")
    dokku.ok("acl:set", "--global", "super-user", "root-key")
    report = json.loads(dokku.ok("acl:report", "alpha", "--format", "json").stdout)
    assert report == {
        "allowed-users": "alice bob",
        "computed-super-user": "root-key",
        "global-super-user": "root-key",
    }
    flag = dokku.ok("acl:report", "alpha", "--acl-allowed-users", env={"DOKKU_SUPER_USER": "x"})
    assert flag.stdout == "alice bob\n"
    dokku.ok("acl:set", "--global", "super-user")
    assert dokku.ok("acl:report", "--global", "--acl-computed-super-user").stdout == ""
