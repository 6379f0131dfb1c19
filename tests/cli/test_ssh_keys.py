"""ssh-keys:add/list/remove against a temp store, and the `authorized_keys` file they write."""

from __future__ import annotations

import json
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Dokku

RESTRICTIONS = "no-agent-forwarding,no-user-rc,no-X11-forwarding,no-port-forwarding"


def keygen(tmp_path: Path, name: str) -> tuple[Path, str]:
    """Generate an ed25519 key pair; return the public key file and its fingerprint."""
    path = tmp_path / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"{name}@test", "-f", str(path)],
        check=True,
    )
    pub = path.with_suffix(".pub")
    listed = subprocess.run(
        ["ssh-keygen", "-lf", str(pub)], capture_output=True, text=True, check=True
    )
    return pub, listed.stdout.split()[1]


def authorized_keys(dokku: Dokku) -> Path:
    return dokku.root / ".ssh" / "authorized_keys"


def listed(dokku: Dokku) -> list[dict[str, str]]:
    return json.loads(dokku.ok("ssh-keys:list", "--format", "json").stdout)


@pytest.fixture
def alice(tmp_path: Path) -> tuple[Path, str]:
    return keygen(tmp_path, "alice")


@pytest.fixture
def bob(tmp_path: Path) -> tuple[Path, str]:
    return keygen(tmp_path, "bob")


def test_add_from_a_file_prints_the_fingerprint(dokku: Dokku, alice: tuple[Path, str]) -> None:
    pub, fp = alice
    result = dokku.ok("ssh-keys:add", "alice", str(pub), env={"DOKKU_BIN": "/opt/x/bin/dokku"})
    assert result.stdout == f"{fp}\n"
    key_type, blob = pub.read_text().split()[:2]
    assert authorized_keys(dokku).read_text() == (
        f'command="DOKKU_ROOT={dokku.root} DOKKU_LIB_ROOT={dokku.lib_root} '
        f'NAME=\\"alice\\" FINGERPRINT={fp} /opt/x/bin/dokku",'
        f"{RESTRICTIONS} {key_type} {blob}\n"
    )
    assert stat.S_IMODE(authorized_keys(dokku).stat().st_mode) == 0o600
    assert stat.S_IMODE(authorized_keys(dokku).parent.stat().st_mode) == 0o700


def test_the_dokku_program_defaults_to_an_absolute_path(
    dokku: Dokku, alice: tuple[Path, str]
) -> None:
    dokku.ok("ssh-keys:add", "alice", str(alice[0]))
    program = authorized_keys(dokku).read_text().split(" ")[4]
    assert program.startswith("/")


def test_add_from_stdin_and_list(
    dokku: Dokku, alice: tuple[Path, str], bob: tuple[Path, str]
) -> None:
    dokku.ok("ssh-keys:add", "bob", stdin=bob[0].read_text())
    dokku.ok("ssh-keys:add", "alice", "-", stdin=alice[0].read_text())
    assert dokku.ok("ssh-keys:list").lines == [
        f'{alice[1]}  NAME="alice" SSHCOMMAND_ALLOWED_KEYS="none"',
        f'{bob[1]}  NAME="bob" SSHCOMMAND_ALLOWED_KEYS="none"',
    ]
    keys = listed(dokku)
    assert [(k["name"], k["fingerprint"], k["type"]) for k in keys] == [
        ("alice", alice[1], "ssh-ed25519"),
        ("bob", bob[1], "ssh-ed25519"),
    ]
    assert keys[0]["comment"] == "alice@test"
    only = json.loads(dokku.ok("ssh-keys:list", "--format", "json", "bob").stdout)
    assert [k["name"] for k in only] == ["bob"]
    assert dokku.ok("ssh-keys:list", "alice").lines[0].startswith(alice[1])
    lines = authorized_keys(dokku).read_text().splitlines()
    assert ['NAME=\\"alice\\"' in lines[0], 'NAME=\\"bob\\"' in lines[1]] == [True, True]


def test_list_without_keys(dokku: Dokku) -> None:
    assert listed(dokku) == []
    result = dokku("ssh-keys:list")
    assert (result.rc, result.stderr) == (1, " !     No public keys found.\n")
    result = dokku("ssh-keys:list", "nobody")
    assert (result.rc, result.stderr) == (1, " !     No public key found with name nobody\n")
    assert dokku.ok("ssh-keys:list", "--format", "json", "nobody").stdout == "[]\n"


def test_remove_by_name_and_by_fingerprint(
    dokku: Dokku, alice: tuple[Path, str], bob: tuple[Path, str]
) -> None:
    dokku.ok("ssh-keys:add", "alice", str(alice[0]))
    dokku.ok("ssh-keys:add", "bob", str(bob[0]))
    result = dokku.ok("ssh-keys:remove", "alice")
    assert result.stdout == f"-----> Removed key alice ({alice[1]})\n"
    assert [k["name"] for k in listed(dokku)] == ["bob"]
    assert "alice" not in authorized_keys(dokku).read_text()
    dokku.ok("ssh-keys:remove", "--fingerprint", bob[1])
    assert listed(dokku) == []
    assert authorized_keys(dokku).read_text() == ""


def test_remove_errors(dokku: Dokku, alice: tuple[Path, str]) -> None:
    dokku.ok("ssh-keys:add", "alice", str(alice[0]))
    for args, message in [
        (("nobody",), "No key with name nobody"),
        (("--fingerprint", "SHA256:" + "A" * 43), "No key with fingerprint"),
        (("--fingerprint", "nope"), "Invalid fingerprint"),
        ((), "Give either a key name or --fingerprint"),
        (("alice", "--fingerprint", alice[1]), "Give either a key name or --fingerprint"),
    ]:
        result = dokku("ssh-keys:remove", *args)
        assert result.rc == 1
        assert message in result.stderr
    assert [k["name"] for k in listed(dokku)] == ["alice"]


def test_events_are_recorded(dokku: Dokku, alice: tuple[Path, str]) -> None:
    dokku.ok("ssh-keys:add", "alice", str(alice[0]))
    dokku.ok("ssh-keys:remove", "alice")
    events = json.loads(dokku.ok("events:list", "--format", "json").stdout)
    assert [(e["action"], e["detail"]) for e in events[-2:]] == [
        ("ssh-keys:add", f"alice {alice[1]}"),
        ("ssh-keys:remove", f"alice {alice[1]}"),
    ]


def test_refusals_change_nothing(
    dokku: Dokku, tmp_path: Path, alice: tuple[Path, str], bob: tuple[Path, str]
) -> None:
    dokku.ok("ssh-keys:add", "alice", str(alice[0]))
    before = (listed(dokku), authorized_keys(dokku).read_text())
    key = alice[0].read_text()
    cases = [
        (("alice", str(bob[0])), None, "A key named alice already exists"),
        (("alice2", str(alice[0])), None, f"This key ({alice[1]}) is already added as alice"),
        (("bad",), "ssh-foo AAAA\n", "Unsupported key type 'ssh-foo'"),
        (("bad",), "ssh-ed25519 %%%%\n", "not valid base64"),
        (("bad",), "ssh-rsa " + key.split()[1], "not 'ssh-rsa'"),
        (("bad",), 'command="id" ' + key, "Key options"),
        (("bad",), key + bob[0].read_text(), "Expected one public key, found 2 lines"),
        (("bad",), "", "No public key given"),
        (("bad", str(tmp_path / "missing.pub")), None, "Cannot read"),
        (("a b",), key, "Invalid key name"),
        (('x"; id; "',), key, "Invalid key name"),
    ]
    for args, stdin, message in cases:
        result = dokku("ssh-keys:add", *args, stdin=stdin)
        assert result.rc == 1, args
        assert message in result.stderr, (args, result.stderr)
        assert len(result.stderr.splitlines()) == 1, result.stderr
        assert (listed(dokku), authorized_keys(dokku).read_text()) == before


def test_lines_not_written_by_pydokku_are_kept(dokku: Dokku, alice: tuple[Path, str]) -> None:
    authorized_keys(dokku).parent.mkdir(parents=True)
    authorized_keys(dokku).write_text("# admin\nssh-ed25519 AAAAadmin root@host\n")
    dokku.ok("ssh-keys:add", "alice", str(alice[0]))
    dokku.ok("ssh-keys:remove", "alice")
    assert authorized_keys(dokku).read_text() == "# admin\nssh-ed25519 AAAAadmin root@host\n"


def test_unsafe_roots_are_refused(dokku: Dokku, tmp_path: Path, alice: tuple[Path, str]) -> None:
    lib_root = tmp_path / "a b"
    result = dokku("ssh-keys:add", "alice", str(alice[0]), env={"DOKKU_LIB_ROOT": str(lib_root)})
    assert result.rc == 1
    assert f"DOKKU_LIB_ROOT='{lib_root}' has characters unsafe in a shell line" in result.stderr
    assert not authorized_keys(dokku).exists()


def test_keys_cannot_be_added_or_removed_over_ssh(dokku: Dokku, alice: tuple[Path, str]) -> None:
    dokku.ok("ssh-keys:add", "alice", str(alice[0]))
    for command in ("ssh-keys:add mallory", "ssh-keys:remove alice"):
        result = dokku(stdin=alice[0].read_text(), env={"SSH_ORIGINAL_COMMAND": command})
        assert result.rc == 1
        assert (
            result.stderr
            == f" !     {command.split()[0]} must be run on the server, not over SSH\n"
        )
    result = dokku(env={"SSH_ORIGINAL_COMMAND": "ssh-keys:list"})
    assert result.rc == 0
    assert 'NAME="alice"' in result.stdout


def test_authorized_keys_is_the_source_of_truth(
    dokku: Dokku, alice: tuple[Path, str], bob: tuple[Path, str]
) -> None:
    dokku.ok("ssh-keys:add", "alice", str(alice[0]))
    dokku.ok("ssh-keys:add", "bob", str(bob[0]))
    path = authorized_keys(dokku)
    backup = path.read_text()
    # Removed by hand: gone from the list too (sshd no longer lets it in).
    path.write_text("".join(f"{ln}\n" for ln in backup.splitlines() if 'NAME=\\"bob\\"' not in ln))
    assert [k["name"] for k in listed(dokku)] == ["alice"]
    # A backup restored: both are back.
    path.write_text(backup)
    assert [k["name"] for k in listed(dokku)] == ["alice", "bob"]
    # A line in Dokku's own format (sshcommand), added by hand, is a key like any other.
    carol_pub, carol_fp = keygen(path.parent.parent.parent, "carol")
    key_type, blob = carol_pub.read_text().split()[:2]
    dokku_line = (
        f'command="FINGERPRINT={carol_fp} NAME=\\"carol\\" `cat /home/dokku/.sshcommand` '
        f'$SSH_ORIGINAL_COMMAND",no-agent-forwarding,no-user-rc,no-X11-forwarding,'
        f"no-port-forwarding {key_type} {blob}\n"
    )
    path.write_text(backup + dokku_line)
    assert {k["name"]: k["fingerprint"] for k in listed(dokku)}["carol"] == carol_fp
    dokku.ok("ssh-keys:remove", "alice")
    assert [k["name"] for k in listed(dokku)] == ["bob", "carol"]
    assert 'NAME=\\"carol\\"' in path.read_text()  # rewritten in pydokku's form, still there
