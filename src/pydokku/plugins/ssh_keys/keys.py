"""OpenSSH public keys: parsing, fingerprints, key names and `authorized_keys` lines.

Pure functions only: nothing here touches the store or the disk.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re

from pydokku.errors import DokkuError
from pydokku.plugins.ssh_keys.invocation import require_safe

KEY_TYPES = (
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
)
# sshd runs the forced command through the user's shell: a name must hold no character
# a shell would interpret, and it must fit on one line.
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]*\Z")
NAME_MAX = 64
FINGERPRINT_RE = re.compile(r"^SHA256:[A-Za-z0-9+/]{43}\Z")
MAX_BLOB_BYTES = 16 * 1024
MAX_COMMENT = 256
RESTRICTIONS = "no-agent-forwarding,no-user-rc,no-X11-forwarding,no-port-forwarding"


class PublicKey:
    """One public key: its type, its base64 blob and its comment."""

    def __init__(self, key_type: str, blob: str, comment: str = "") -> None:
        self.key_type = key_type
        self.blob = blob
        self.comment = comment

    @property
    def fingerprint(self) -> str:
        """The SHA256 fingerprint, as `ssh-keygen -l` prints it."""
        return fingerprint(self.blob)


def fingerprint(blob: str) -> str:
    """Return `SHA256:<unpadded base64 of sha256(key bytes)>` for a base64 key blob."""
    digest = hashlib.sha256(base64.b64decode(blob)).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


def validate_name(name: str) -> str:
    """Return `name` if it may name a key, else raise."""
    if not name or len(name) > NAME_MAX or not NAME_RE.match(name):
        raise DokkuError(
            f"Invalid key name {name[: NAME_MAX + 1]!r}: use at most {NAME_MAX} letters, digits, "
            "'.', '_', '@' or '-', starting with a letter or digit"
        )
    return name


def validate_fingerprint(value: str) -> str:
    """Return `value` if it looks like a SHA256 fingerprint, else raise."""
    if not FINGERPRINT_RE.match(value):
        raise DokkuError(f"Invalid fingerprint {value[:80]!r}: expected SHA256:<43 characters>")
    return value


def parse_public_key(text: str) -> PublicKey:
    """Parse the one public key in `text` (blank and `#` lines are ignored)."""
    if "PRIVATE KEY" in text:
        raise DokkuError("This is a private key; give the public key (the .pub file)")
    lines = [s for s in (line.strip() for line in text.splitlines()) if s and s[0] != "#"]
    if not lines:
        raise DokkuError("No public key given")
    if len(lines) > 1:
        raise DokkuError(f"Expected one public key, found {len(lines)} lines; add keys one by one")
    return parse_key_line(lines[0])


def parse_key_line(line: str) -> PublicKey:
    """Parse `TYPE BASE64 [COMMENT]`, refusing options and malformed keys."""
    words = line.split(None, 2)
    key_type = words[0]
    if key_type not in KEY_TYPES:
        if any(word in KEY_TYPES for word in line.split()):
            raise DokkuError("Key options (such as command=...) are not allowed: give TYPE KEY")
        raise DokkuError(
            f"Unsupported key type {key_type[:40]!r}; expected one of {', '.join(KEY_TYPES)}"
        )
    if len(words) < 2:
        raise DokkuError(f"The {key_type} key has no key data")
    blob = words[1]
    _check_blob(key_type, blob)
    comment = words[2].strip() if len(words) > 2 else ""
    if len(comment) > MAX_COMMENT or not comment.isprintable():
        raise DokkuError(f"Invalid key comment: at most {MAX_COMMENT} printable characters")
    return PublicKey(key_type, blob, comment)


def _check_blob(key_type: str, blob: str) -> None:
    try:
        raw = base64.b64decode(blob, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise DokkuError(f"The key data is not valid base64: {exc}") from exc
    if len(raw) > MAX_BLOB_BYTES:
        raise DokkuError("The key data is too large")
    embedded = _first_string(raw)
    if embedded is None:
        raise DokkuError("The key data is truncated or malformed")
    if embedded != key_type.encode():
        shown = embedded[:40].decode("ascii", "replace")
        raise DokkuError(f"The key data is a {shown!r} key, not {key_type!r}")
    if len(raw) <= 4 + len(embedded):
        raise DokkuError("The key data holds no key material")


def _first_string(raw: bytes) -> bytes | None:
    """Return the first SSH wire-format string (uint32 length + bytes), or None."""
    if len(raw) < 4:
        return None
    size = int.from_bytes(raw[:4], "big")
    if size == 0 or len(raw) < 4 + size:
        return None
    return raw[4 : 4 + size]


def authorized_keys_line(
    name: str, key: PublicKey, command: list[str], env: list[tuple[str, str]]
) -> str:
    """Return the `authorized_keys` line forcing `command` (already shell-safe words) for a key."""
    validate_name(name)
    validate_fingerprint(key.fingerprint)
    words = [
        *require_safe([f"{k}={v}" for k, v in env]),
        f'NAME=\\"{name}\\"',
        f"FINGERPRINT={key.fingerprint}",
        *require_safe(command),
    ]
    forced = " ".join(words)
    return f'command="{forced}",{RESTRICTIONS} {key.key_type} {key.blob}'


_NAME_IN_LINE_RE = re.compile(r'NAME=\\"([^"\\]+)\\"')


def parse_managed_line(line: str) -> tuple[str, PublicKey] | None:
    """Return (name, key) of an `authorized_keys` line naming its key, else None.

    Reads pydokku's lines and Dokku's (sshcommand) alike: the name is the `NAME=\\"..\\"`
    of the forced command, the key the `TYPE BLOB` after the options.
    """
    found = _NAME_IN_LINE_RE.search(line)
    if not found:
        return None
    words = line.rsplit('"', 1)[-1].replace(",", " ").split()
    for index, word in enumerate(words[:-1]):
        if word in KEY_TYPES:
            try:
                return validate_name(found.group(1)), parse_public_key(f"{word} {words[index + 1]}")
            except DokkuError:
                return None
    return None
