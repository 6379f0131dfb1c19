"""Port map changes (ports:add/set/remove/clear), reports, and HTTPS added by a certificate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pydokku import state
from pydokku.errors import DokkuError
from pydokku.plugins.certs import logic as certs
from pydokku.plugins.ports import logic as ports
from pydokku.plugins.ports.logic import PortMapping
from tests.tls_helpers import make_leaf


def maps(*texts: str) -> list[PortMapping]:
    return [ports.parse_mapping(t) for t in texts]


def strs(mappings: list[PortMapping]) -> list[str]:
    return [str(m) for m in mappings]


@pytest.fixture
def cert(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Give `myapp` a certificate (the host's nginx kept out)."""
    monkeypatch.setenv("PYDOKKU_NGINX", str(store / "no-nginx"))
    leaf = make_leaf(["myapp.example.com"])
    certs.install("myapp", leaf.cert_pem, leaf.key_pem)


def test_certificate_adds_https_to_the_default_map(store: Path, cert: None) -> None:
    assert strs(ports.port_map("myapp")) == ["http:80:5000", "https:443:5000"]
    assert ports.web_container_port("myapp") == 5000
    assert strs(ports.port_map("other")) == ["http:80:5000"]


def test_https_follows_the_container_port_of_http_80(store: Path, cert: None) -> None:
    ports.set_mappings("myapp", maps("http:80:8000", "http:8080:9000"))
    assert strs(ports.port_map("myapp")) == ["http:80:8000", "http:8080:9000", "https:443:8000"]
    assert ports.configured("myapp") == maps("http:80:8000", "http:8080:9000")  # not stored


def test_no_https_added_without_http_80_or_with_an_https_mapping(store: Path, cert: None) -> None:
    ports.set_mappings("myapp", maps("http:8080:5000"))
    assert strs(ports.port_map("myapp")) == ["http:8080:5000"]
    ports.set_mappings("myapp", maps("http:80:5000", "https:8443:5000"))
    assert strs(ports.port_map("myapp")) == ["http:80:5000", "https:8443:5000"]


def test_report_rows_show_configured_and_detected_maps(store: Path, cert: None) -> None:
    rows = dict(ports.report_rows("myapp"))
    assert rows["map"] == ""
    assert rows["map-detected"] == "http:80:5000 https:443:5000"
    assert json.loads(rows["map-detected-json"]) == [
        {"container_port": 5000, "host_port": 80, "scheme": "http"},
        {"container_port": 5000, "host_port": 443, "scheme": "https"},
    ]
    assert rows["map-json"] == "[]"
    assert ports.report_rows("--global") == []


def test_set_replaces_and_records_an_event(store: Path) -> None:
    ports.set_mappings("myapp", maps("http:80:5000", "grpc:50051:50051"))
    ports.set_mappings("myapp", maps("http:8080:5000"))
    assert strs(ports.configured("myapp")) == ["http:8080:5000"]
    events = state.query("SELECT action, detail FROM events WHERE target = 'myapp'")
    assert (events[-1]["action"], events[-1]["detail"]) == ("ports:set", "http:8080:5000")


def test_first_add_keeps_what_the_app_serves(store: Path) -> None:
    ports.store_detected("myapp", [3000])
    ports.add_mappings("myapp", maps("http:80:3000"))
    assert strs(ports.configured("myapp")) == ["http:80:3000", "http:3000:3000"]
    # As in Dokku: a scheme and host port mapped elsewhere is refused, nothing changes.
    with pytest.raises(DokkuError, match="The same scheme:host-port is being reused: http:80"):
        ports.add_mappings("myapp", maps("http:80:4000"))
    ports.add_mappings("myapp", maps("http:80:3000"))  # the same mapping again: no change
    assert strs(ports.configured("myapp")) == ["http:80:3000", "http:3000:3000"]


def test_remove_by_host_port_scheme_and_host_port_or_mapping(store: Path) -> None:
    ports.set_mappings(
        "myapp", maps("http:80:5000", "https:80:5000", "http:8080:5000", "grpc:50051:50051")
    )
    assert strs(ports.remove_mappings("myapp", ["https:80"])) == ["https:80:5000"]
    assert strs(ports.remove_mappings("myapp", ["grpc:50051:50051"])) == ["grpc:50051:50051"]
    assert strs(ports.remove_mappings("myapp", ["8080"])) == ["http:8080:5000"]
    assert ports.remove_mappings("myapp", ["9999"]) == []
    assert strs(ports.configured("myapp")) == ["http:80:5000"]


@pytest.mark.parametrize("spec", ["eighty", "tcp:80", "http:0", "http:80:x", ""])
def test_remove_refuses_bad_specs(store: Path, spec: str) -> None:
    with pytest.raises(DokkuError):
        ports.remove_mappings("myapp", [spec])


def test_clear_lets_detection_apply_again(store: Path) -> None:
    ports.store_detected("myapp", [3000])
    ports.set_mappings("myapp", maps("http:80:3000"))
    ports.clear_mappings("myapp")
    assert ports.configured("myapp") == []
    assert strs(ports.port_map("myapp")) == ["http:3000:3000"]


def test_parse_mappings_refuses_conflicts_and_merges_duplicates() -> None:
    assert strs(ports.parse_mappings(["http:80:5000", "http:80:5000"])) == ["http:80:5000"]
    with pytest.raises(DokkuError, match="The same scheme:host-port is being reused: http:80"):
        ports.parse_mappings(["http:80:5000", "http:80:6000"])


def test_copy_mappings(store: Path) -> None:
    ports.set_mappings("myapp", maps("http:80:5000", "http:8080:5000"))
    ports.copy_mappings("myapp", "clone")
    assert ports.configured("clone") == ports.configured("myapp")


def test_as_json_is_dokkus_shape() -> None:
    assert ports.as_json(maps("http:80:5000")) == (
        '[{"container_port":5000,"host_port":80,"scheme":"http"}]'
    )
