"""Domain name rules: RFC 1123 host names, `*.` wildcards and IPv4 literals.

A domain ends up in an nginx `server_name` line, so anything that is not a plain
host name is refused before it is stored.
"""

from __future__ import annotations

import re

from pydokku.errors import DokkuError

LABEL_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\Z")
MAX_LENGTH = 253
WILDCARD = "*."


def domain_problem(domain: str) -> str | None:
    """Return why `domain` (already lowercased) is not a valid domain, or None."""
    if not domain:
        return "a domain must not be empty"
    if domain == "_":
        return (
            "`_` (Dokku's catch-all) is not supported: unknown hosts are answered by "
            "the default server in 00-default-vhost.conf"
        )
    if len(domain) > MAX_LENGTH:
        return f"a domain holds at most {MAX_LENGTH} characters"
    name = domain.removeprefix(WILDCARD)
    labels = name.split(".")
    if all(label.isascii() and label.isdigit() for label in labels):
        if domain.startswith(WILDCARD) or not is_ipv4(name):
            return "not a host name nor an IPv4 address"
        return None
    for label in labels:
        if not LABEL_RE.match(label):
            return (
                f"label {label!r} must be 1-63 letters, digits or hyphens, "
                "not starting or ending with a hyphen"
            )
    return None


def is_ipv4(text: str) -> bool:
    """Tell whether `text` is a dotted-quad IPv4 address."""
    parts = text.split(".")
    return len(parts) == 4 and all(
        p.isascii() and p.isdigit() and int(p) <= 255 and str(int(p)) == p for p in parts
    )


def normalize_domain(domain: str) -> str:
    """Return `domain` lowercased if it is a valid domain, else raise a DokkuError."""
    lowered = domain.strip().lower()
    problem = domain_problem(lowered)
    if problem:
        raise DokkuError(f"Invalid domain {domain!r}: {problem}")
    return lowered


def normalize_domains(domains: list[str]) -> list[str]:
    """Validate and lowercase domains, dropping duplicates but keeping order."""
    seen: dict[str, None] = {}
    for domain in domains:
        seen.setdefault(normalize_domain(domain), None)
    return list(seen)


def is_wildcard(domain: str) -> bool:
    """Tell whether a domain is a `*.` wildcard."""
    return domain.startswith(WILDCARD)
