"""Port mappings: parsing, defaults, detection from EXPOSE and precedence."""

from __future__ import annotations

from pathlib import Path

import pytest

from pydokku import properties, state
from pydokku.errors import DokkuError
from pydokku.plugins.ports import logic as ports
from pydokku.plugins.ports.logic import PortMapping


def configure(app: str, *mappings: str) -> None:
    """Store mappings as `ports:set` would."""
    with state.transaction() as conn:
        for text in mappings:
            m = ports.parse_mapping(text)
            conn.execute(
                "INSERT INTO ports (app, scheme, host_port, container_port) VALUES (?, ?, ?, ?)",
                (app, m.scheme, m.host_port, m.container_port),
            )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("http:80:5000", ("http", 80, 5000)),
        ("https:443:5000", ("https", 443, 5000)),
        ("grpc:50051:50051", ("grpc", 50051, 50051)),
        ("grpcs:1:65535", ("grpcs", 1, 65535)),
    ],
)
def test_parse_mapping(text: str, expected: tuple[str, int, int]) -> None:
    m = ports.parse_mapping(text)
    assert (m.scheme, m.host_port, m.container_port) == expected
    assert str(m) == text


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("http:80", "expected scheme:host-port:container-port"),
        ("http:80:5000:1", "expected scheme:host-port:container-port"),
        ("", "expected scheme:host-port:container-port"),
        ("tcp:80:5000", "Invalid scheme 'tcp'"),
        ("HTTP:80:5000", "Invalid scheme 'HTTP'"),
        ("udp:53:53", "Invalid scheme 'udp'"),
        ("http:0:5000", "Invalid port '0'"),
        ("http:80:0", "Invalid port '0'"),
        ("http:65536:5000", "Invalid port '65536'"),
        ("http:80:65536", "Invalid port '65536'"),
        ("http:eighty:5000", "Invalid port 'eighty'"),
        ("http::5000", "Invalid port ''"),
        ("http:-1:5000", "Invalid port '-1'"),
        ("http:+80:5000", "Invalid port '+80'"),
        ("http: 80:5000", "Invalid port ' 80'"),
        ("http:8.0:5000", "Invalid port '8.0'"),
        ("http:²:5000", "Invalid port '²'"),
        ("http:\u0663:5000", "Invalid port"),  # ARABIC-INDIC DIGIT THREE
    ],
)
def test_parse_mapping_refuses_bad_input(text: str, problem: str) -> None:
    with pytest.raises(DokkuError) as info:
        ports.parse_mapping(text)
    assert problem in info.value.message


def test_mappings_compare_by_value() -> None:
    assert PortMapping("http", 80, 5000) == ports.parse_mapping("http:80:5000")
    assert PortMapping("http", 80, 5000) != PortMapping("https", 80, 5000)
    assert PortMapping("http", 80, 5000) != "http:80:5000"
    assert len({PortMapping("http", 80, 5000), ports.parse_mapping("http:80:5000")}) == 1
    assert repr(PortMapping("http", 80, 5000)) == "PortMapping('http:80:5000')"


def test_default_map_without_expose() -> None:
    assert ports.default_map([]) == [PortMapping("http", 80, 5000)]


def test_default_map_with_expose() -> None:
    assert ports.default_map([3000, 8080]) == [
        PortMapping("http", 3000, 3000),
        PortMapping("http", 8080, 8080),
    ]


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({}, []),
        ({"ExposedPorts": None}, []),
        ({"ExposedPorts": {}}, []),
        ({"ExposedPorts": ["80/tcp"]}, []),
        ({"ExposedPorts": {"8080/tcp": {}, "53/udp": {}, "3000/tcp": {}}}, [3000, 8080]),
        ({"ExposedPorts": {"5000": {}}}, [5000]),
        ({"ExposedPorts": {"53/udp": {}, "9/sctp": {}}}, []),
    ],
)
def test_exposed_tcp_ports(config: dict[str, object], expected: list[int]) -> None:
    assert ports.exposed_tcp_ports(config) == expected


def test_port_map_defaults_to_http_80_5000(store: Path) -> None:
    assert ports.configured("myapp") == []
    assert ports.detected("myapp") == []
    assert ports.port_map("myapp") == [PortMapping("http", 80, 5000)]
    assert ports.web_container_port("myapp") == 5000


def test_detected_mappings_apply_when_nothing_is_configured(store: Path) -> None:
    ports.store_detected("myapp", [3000])
    assert properties.get("ports", "myapp", "map-detected") == "http:3000:3000"
    assert ports.port_map("myapp") == [PortMapping("http", 3000, 3000)]
    assert ports.web_container_port("myapp") == 3000
    assert ports.port_map("other") == [PortMapping("http", 80, 5000)]


def test_detection_without_expose_stores_the_default(store: Path) -> None:
    ports.store_detected("myapp", [])
    assert ports.detected("myapp") == [PortMapping("http", 80, 5000)]


def test_store_detected_writes_only_on_change(store: Path) -> None:
    ports.store_detected("myapp", [3000])
    ports.store_detected("myapp", [3000])
    events = state.query("SELECT detail FROM events WHERE action = 'ports:set'")
    assert [e["detail"] for e in events] == ["map-detected=http:3000:3000"]
    ports.store_detected("myapp", [4000, 3000])
    assert ports.detected("myapp") == [
        PortMapping("http", 4000, 4000),
        PortMapping("http", 3000, 3000),
    ]


def test_configured_mappings_override_detected_ones(store: Path) -> None:
    ports.store_detected("myapp", [3000])
    configure("myapp", "https:443:8443", "http:80:8000")
    assert ports.configured("myapp") == [
        PortMapping("http", 80, 8000),
        PortMapping("https", 443, 8443),
    ]
    assert ports.port_map("myapp") == ports.configured("myapp")
    assert ports.web_container_port("myapp") == 8000


def test_web_port_prefers_http_schemes(store: Path) -> None:
    configure("myapp", "grpc:50051:9000", "https:443:8443")
    assert ports.web_container_port("myapp") == 8443


def test_web_port_falls_back_to_the_first_mapping(store: Path) -> None:
    configure("myapp", "grpcs:443:9001", "grpc:50051:9000")
    assert ports.web_container_port("myapp") == 9000
