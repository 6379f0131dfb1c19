"""Domain name rules: RFC 1123 host names, `*.` and `.` wildcards, `_` and IPv4 literals.

A domain ends up in an nginx `server_name` line, so anything that is not a plain
host name (or one of the nginx forms Dokku accepts) is refused before it is stored.
"""

from __future__ import annotations

import re

from pydokku.errors import DokkuError

LABEL_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\Z")
MAX_LENGTH = 253
WILDCARD = "*."
SUFFIX_WILDCARD = "."  # nginx: `.example.com` is example.com and every name under it
CATCH_ALL = "_"  # Dokku accepts it; nginx uses it as a name that matches no real host


def domain_problem(domain: str) -> str | None:
    """Return why `domain` (already lowercased) is not a valid domain, or None."""
    if not domain:
        return "a domain must not be empty"
    if domain == CATCH_ALL:
        return None
    if len(domain) > MAX_LENGTH:
        return f"a domain holds at most {MAX_LENGTH} characters"
    prefix = next((p for p in (WILDCARD, SUFFIX_WILDCARD) if domain.startswith(p)), "")
    name = domain.removeprefix(prefix)
    labels = name.split(".")
    if all(label.isascii() and label.isdigit() for label in labels):
        if is_wildcard(domain) or not is_ipv4(name):
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
    """Tell whether a domain names no single host: `*.x`, `.x` or `_` (no URL, no cert)."""
    return domain.startswith((WILDCARD, SUFFIX_WILDCARD)) or domain == CATCH_ALL
