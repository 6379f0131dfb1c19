"""A reload nginx cannot apply (a port another program holds) is detected and undone.

`nginx -t` does not bind ports, so such a config passes it; the master then keeps its
old workers. The change must fail, and the file go back to what nginx still serves.
"""

from __future__ import annotations

import socket

import pytest

from pydokku.errors import DokkuError
from pydokku.plugins.nginx import control
from tests.integration.test_nginx_live import (  # noqa: F401 (fixtures)
    HOST,
    Site,
    curl,
    curl_until,
    installation,
    site,
)


def test_a_reload_nginx_cannot_apply_is_detected_and_undone(site: Site) -> None:  # noqa: F811
    from pydokku.plugins.nginx import logic

    site.start_app()
    logic.build_config("myapp", web=["127.0.0.1"])
    curl_until(site.proxy_port, 200)
    good = site.config.read_text()
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        held = holder.getsockname()[1]
        listen = f"listen 127.0.0.1:{site.proxy_port};"
        bad = good.replace(listen, f"{listen}\n  listen 127.0.0.1:{held};", 1)
        assert bad != good
        with pytest.raises(DokkuError, match="nginx did not load the new config"):
            control.apply(site.config, bad, "test")
    assert site.config.read_text() == good  # the file matches what nginx still serves
    assert curl(site.proxy_port, f"Host: {HOST}")[0] == 200
    logic.build_config("myapp", web=["127.0.0.1"])  # later changes apply again
    assert curl(site.proxy_port, f"Host: {HOST}")[0] == 200
