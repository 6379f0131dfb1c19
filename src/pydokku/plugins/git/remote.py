"""Which repository URLs `git:sync` accepts, and the git options that enforce it.

Accepted: `https://`, `http://`, `ssh://`, `git://` URLs and scp-like `user@host:path`.
Local repositories (an absolute path or `file://`) only for a local caller: over SSH
they would let a key holder read any repo the dokku user can (other apps' repos,
host files). Every other transport, and `ext::`/`fd::` remote helpers, is refused,
and git is told to allow only the accepted protocols whatever the URL turns into.
"""

from __future__ import annotations

import os
import re

from pydokku.errors import DokkuError

URL_MAX = 2048
NETWORK_SCHEMES = frozenset({"https", "http", "ssh", "git", "git+ssh", "ssh+git"})
_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)")
_SCP_RE = re.compile(r"^(?:[A-Za-z0-9._-]+@)?([A-Za-z0-9][A-Za-z0-9.-]*):(?!//)")
_HELPER_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*::")
_ALLOWED = ("http", "https", "ssh", "git")


def over_ssh() -> bool:
    """Tell whether the command arrived over SSH (the forced command sets this)."""
    return os.environ.get("SSH_ORIGINAL_COMMAND") is not None


def is_local(url: str) -> bool:
    """Tell whether `url` names a repository on this machine."""
    return url.startswith("/") or url.lower().startswith("file://")


def check_url(url: str, *, remote_caller: bool) -> str:
    """Return `url` if git:sync may fetch it, else raise a one-line DokkuError."""
    if not url or len(url) > URL_MAX or any(ord(ch) <= 0x20 or ord(ch) == 0x7F for ch in url):
        raise DokkuError("Invalid repository URL: empty, too long, or with spaces or controls")
    if url.startswith("-") or _HELPER_RE.match(url):
        raise DokkuError(f"Unsupported repository URL {redact(url)!r}: {_RULE}")
    if is_local(url):
        if remote_caller:
            raise DokkuError(
                "Local repositories cannot be synced over SSH; use an https://, ssh:// or "
                "git:// URL (or run git:sync on the server)"
            )
        return url
    match = _SCHEME_RE.match(url)
    if match:
        scheme, authority = match.group(1).lower(), match.group(2)
        host = authority.rpartition("@")[2]
        if scheme not in NETWORK_SCHEMES or not host or host.startswith("-"):
            raise DokkuError(f"Unsupported repository URL {redact(url)!r}: {_RULE}")
        return url
    if _SCP_RE.match(url):
        return url
    raise DokkuError(f"Unsupported repository URL {redact(url)!r}: {_RULE}")


_RULE = "use https://, http://, ssh://, git:// or user@host:path"


def redact(url: str) -> str:
    """Hide a password in `scheme://user:password@host/...`."""
    match = _SCHEME_RE.match(url)
    if not match or "@" not in match.group(2):
        return url
    userinfo, _, host = match.group(2).rpartition("@")
    user = userinfo.partition(":")[0]
    hidden = f"{user}:***" if ":" in userinfo else user
    return f"{match.group(1)}://{hidden}@{host}{url[match.end() :]}"


def git_options(*, allow_local: bool) -> list[str]:
    """Return `git -c` options that allow only the accepted transports."""
    options = ["-c", "protocol.allow=never"]
    for name in (*_ALLOWED, *(("file",) if allow_local else ())):
        options += ["-c", f"protocol.{name}.allow=always"]
    return options


def fetch_env(base: dict[str, str], home: str) -> dict[str, str]:
    """Return the environment of a fetch: no prompts, the Dokku root's .netrc."""
    return {
        **base,
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_SSH_COMMAND": "ssh -o BatchMode=yes",
        "HOME": home,
    }
