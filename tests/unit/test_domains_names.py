"""Domain validation: RFC 1123 host names, wildcards, `_`, IPv4 literals, nothing else."""

from __future__ import annotations

import pytest

from pydokku.errors import DokkuError
from pydokku.plugins.domains.names import domain_problem, normalize_domain, normalize_domains

VALID = [
    "example.com",
    "a.b.c.example.com",
    "localhost",
    "xn--bcher-kva.example",
    "my-app.example.com",
    "1password.com",
    "a" * 63 + ".com",
    "*.example.com",
    ".example.com",  # nginx's suffix wildcard, which Dokku accepts
    "_",  # Dokku's catch-all name
    "10.0.0.1",
    "255.255.255.255",
    ".".join(["a" * 63] * 3 + ["b" * 61]),  # 253 characters
]

INVALID = [
    "",
    "__",
    "._",
    ".",
    "..example.com",
    "*..example.com",
    ".*.example.com",
    "-example.com",
    "example-.com",
    "exa_mple.com",
    "example..com",
    "example.com.",
    "a" * 64 + ".com",
    ".".join(["a" * 63] * 3 + ["b" * 62]),  # 254 characters
    "ex ample.com",
    "example.com;",
    "1m; include /etc/passwd",
    "example.com\nserver_name evil",
    "{example}.com",
    "'example.com'",
    '"example.com"',
    "exa$mple.com",
    "*",
    "*.",
    "**.example.com",
    "foo.*.example.com",
    "*.10.0.0.1",
    "256.0.0.1",
    "10.0.0",
    "01.2.3.4",
    "::1",
    "[::1]",
    "bücher.example",
    "example.com/path",
    "example.com:80",
]


@pytest.mark.parametrize("domain", VALID)
def test_valid_domains(domain: str) -> None:
    assert domain_problem(domain) is None


@pytest.mark.parametrize("domain", INVALID)
def test_invalid_domains(domain: str) -> None:
    assert domain_problem(domain) is not None
    with pytest.raises(DokkuError, match="Invalid domain"):
        normalize_domain(domain)


def test_domains_are_lowercased() -> None:
    assert normalize_domain("WWW.Example.COM") == "www.example.com"


def test_names_that_are_no_single_host_get_no_url_nor_certificate() -> None:
    from pydokku.plugins.domains.names import is_wildcard

    assert [is_wildcard(d) for d in ("_", ".example.com", "*.example.com")] == [True] * 3
    assert not is_wildcard("example.com")


def test_normalize_domains_drops_duplicates_and_keeps_order() -> None:
    assert normalize_domains(["b.com", "A.com", "a.com", "b.com"]) == ["b.com", "a.com"]
