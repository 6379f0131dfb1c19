"""Reading a container's listening ports from /proc, and the wrong-port message."""

from __future__ import annotations

from pydokku.plugins.checks import sockets
from pydokku.plugins.checks.probe import wrong_port_message

TCP = """\
  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1
   1: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1
   2: 0100007F:1F90 0100007F:A2B4 01 00000000:00000000 00:00000000 00000000     0        0 3 1
   3: 0B00007F:9311 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4 1
   4: garbage
"""
TCP6 = """\
  sl  local_address                         remote_address                        st
   0: 00000000000000000000000000000000:1388 00000000000000000000000000000000:0000 0A 0
"""


def test_only_listening_sockets_count() -> None:
    # Neither the ESTABLISHED row nor Docker's DNS (127.0.0.11) is the app listening.
    assert sockets.parse_listening(TCP) == {8080, 22}
    assert sockets.parse_listening(TCP6) == {5000}
    assert sockets.parse_listening("") == set()


def test_no_process_no_ports() -> None:
    assert sockets.listening_ports(0) == set()
    assert sockets.listening_ports(2**22 + 12345) == set()  # no such process


def test_the_message_names_both_fixes() -> None:
    text = wrong_port_message("myapp.web.1.v3", 5000, [8080, 9000])
    assert "listens on ports 8080, 9000, not on port 5000 ($PORT)" in text
    assert text.endswith("dokku ports:set myapp http:80:8080")
