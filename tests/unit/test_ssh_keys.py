"""Public key parsing, fingerprints, key names, and `authorized_keys` lines."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pydokku.errors import DokkuError
from pydokku.plugins.ssh_keys import invocation
from pydokku.plugins.ssh_keys.keys import (
    authorized_keys_line,
    fingerprint,
    parse_key_line,
    parse_public_key,
    validate_fingerprint,
    validate_name,
)

ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIL+VEPmTOhXWkO0i8Mvdbdb57JmElpqUZHPjYbv3n/7V me@host"
ED25519_FP = "SHA256:bH7oCz8GzaByF4kASZz4Rl9lHEdUHrSZiUxNGzmUB54"


def wire(*parts: bytes) -> str:
    """Return the base64 of SSH wire-format strings."""
    raw = b"".join(len(p).to_bytes(4, "big") + p for p in parts)
    return base64.b64encode(raw).decode()


def keygen(tmp_path: Path, key_type: str, *extra: str) -> Path:
    path = tmp_path / f"key-{key_type}"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", key_type, *extra, "-N", "", "-C", "t@x", "-f", str(path)],
        check=True,
    )
    return path.with_suffix(".pub")


@pytest.mark.parametrize(
    ("key_type", "extra"), [("ed25519", ()), ("ecdsa", ("-b", "384")), ("rsa", ("-b", "2048"))]
)
def test_fingerprint_matches_ssh_keygen(tmp_path: Path, key_type: str, extra: tuple[str]) -> None:
    pub = keygen(tmp_path, key_type, *extra)
    listed = subprocess.run(
        ["ssh-keygen", "-l", "-E", "sha256", "-f", str(pub)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[1]
    key = parse_public_key(pub.read_text())
    assert key.fingerprint == listed
    assert key.comment == "t@x"


def test_parse_a_known_key() -> None:
    key = parse_public_key(f"\n# my laptop\n{ED25519}\n\n")
    assert (key.key_type, key.comment, key.fingerprint) == ("ssh-ed25519", "me@host", ED25519_FP)
    assert fingerprint(key.blob) == ED25519_FP
    assert parse_key_line(ED25519.rsplit(" ", 1)[0]).comment == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "No public key given"),
        ("# only a comment\n", "No public key given"),
        ("ssh-foo AAAA", "Unsupported key type 'ssh-foo'"),
        ("ssh-ed25519", "has no key data"),
        ("ssh-ed25519 not*base64", "not valid base64"),
        (
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIL+VEPmTOhXWkO0i8Mvdbdb57JmElpqUZHPjYbv3n/7",
            "base64",
        ),
        (f"ssh-rsa {ED25519.split()[1]}", "is a 'ssh-ed25519' key, not 'ssh-rsa'"),
        (f"ssh-ed25519 {wire(b'ssh-ed25519')}", "holds no key material"),
        ("ssh-ed25519 AAAA", "truncated or malformed"),
        (f'command="sh" {ED25519}', "Key options (such as command=...) are not allowed"),
        (f"no-pty {ED25519}", "Key options"),
        (f"{ED25519}\n{ED25519}", "Expected one public key, found 2 lines"),
        ("-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n", "This is a private key"),
        (f"{ED25519} bell\x07", "Invalid key comment"),
    ],
)
def test_malformed_keys_are_refused(text: str, message: str) -> None:
    with pytest.raises(DokkuError) as caught:
        parse_public_key(text)
    assert message in caught.value.message
    assert "\n" not in caught.value.message


@pytest.mark.parametrize("name", ["admin", "alice@laptop", "ci.deploy-1", "A_b", "x" * 64])
def test_valid_names(name: str) -> None:
    assert validate_name(name) == name


@pytest.mark.parametrize(
    "name",
    ["", "-x", ".x", "a b", 'a"b', "a$(id)", "a;b", "a\nb", "a/b", "a\\b", "é", "x" * 65, "a'b"],
)
def test_invalid_names(name: str) -> None:
    with pytest.raises(DokkuError, match="Invalid key name"):
        validate_name(name)


def test_fingerprint_format() -> None:
    assert validate_fingerprint(ED25519_FP) == ED25519_FP
    for bad in ("SHA256:abc", "MD5:" + "a" * 43, ED25519_FP + " x", ED25519_FP[:-1] + "$"):
        with pytest.raises(DokkuError, match="Invalid fingerprint"):
            validate_fingerprint(bad)


def test_authorized_keys_line() -> None:
    key = parse_public_key(ED25519)
    line = authorized_keys_line("alice", key, ["/usr/bin/dokku"], [("DOKKU_ROOT", "/home/dokku")])
    assert line == (
        'command="DOKKU_ROOT=/home/dokku NAME=\\"alice\\" '
        f'FINGERPRINT={ED25519_FP} /usr/bin/dokku",'
        "no-agent-forwarding,no-user-rc,no-X11-forwarding,no-port-forwarding "
        f"ssh-ed25519 {key.blob}"
    )


def test_authorized_keys_line_refuses_unsafe_words() -> None:
    key = parse_public_key(ED25519)
    with pytest.raises(DokkuError):
        authorized_keys_line("a;b", key, ["/usr/bin/dokku"], [])
    with pytest.raises(DokkuError, match="Refusing to write"):
        authorized_keys_line("a", key, ["/usr/bin/dokku x"], [])
    with pytest.raises(DokkuError, match="Refusing to write"):
        authorized_keys_line("a", key, ["/usr/bin/dokku"], [("DOKKU_ROOT", "/a$(id)")])


def test_the_forced_command_runs_as_sshd_would_run_it(tmp_path: Path) -> None:
    """sshd unescapes `\\"` and hands the command to the user's shell."""
    probe = tmp_path / "probe"
    probe.write_text(
        f"#!{sys.executable}\nimport os\n"
        "print(os.environ['NAME'], os.environ['FINGERPRINT'], os.environ['DOKKU_ROOT'])\n"
    )
    probe.chmod(0o755)
    key = parse_public_key(ED25519)
    line = authorized_keys_line("a.b@c", key, [str(probe)], [("DOKKU_ROOT", str(tmp_path))])
    forced = line.split('command="', 1)[1].split('",no-agent', 1)[0].replace('\\"', '"')
    out = subprocess.run(["/bin/sh", "-c", forced], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["a.b@c", ED25519_FP, str(tmp_path)]


def test_dokku_command_prefers_dokku_bin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOKKU_BIN", "/opt/pydokku/bin/dokku")
    assert invocation.dokku_command() == ["/opt/pydokku/bin/dokku"]
    monkeypatch.setenv("DOKKU_BIN", "/opt/my dokku/dokku")
    with pytest.raises(DokkuError, match="unsafe in a shell line"):
        invocation.dokku_command()


def test_dokku_command_falls_back_to_this_program(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("DOKKU_BIN", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(sys, "argv", [str(tmp_path / "pydokku" / "__main__.py")])
    assert invocation.dokku_command() == [os.path.abspath(sys.executable), "-m", "pydokku"]
    monkeypatch.setattr(sys, "argv", ["/usr/local/bin/dokku"])
    assert invocation.dokku_command() == [str(Path("/usr/local/bin/dokku").resolve())]


def test_root_env_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOKKU_ROOT", "/home/dokku")
    monkeypatch.delenv("DOKKU_LIB_ROOT", raising=False)
    assert invocation.root_env() == [("DOKKU_ROOT", "/home/dokku")]
    monkeypatch.setenv("DOKKU_LIB_ROOT", "/var/lib/dokku'; id")
    with pytest.raises(DokkuError, match="DOKKU_LIB_ROOT"):
        invocation.root_env()
