"""The sample server the crawl tests count fetches on."""

from __future__ import annotations

import socket

import pytest

from spiders.sample_site import Page, SiteServer


def test_wait_idle_returns_once_a_hung_up_clients_request_is_counted() -> None:
    server = SiteServer({"/": Page(b"ok", delay=0.2)}).start()
    host, port = server.httpd.server_address[:2]
    try:
        client = socket.create_connection((str(host), int(port)))
        with pytest.raises(TimeoutError):  # an open connection is not idle
            server.wait_idle(timeout=0.1)
        # A crawler killed right after sending: the server counts the request
        # after the client is gone; wait_idle must wait for that.
        client.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        client.close()
        server.wait_idle()
        assert server.fetches["/"] == 1
        assert server.connections == 0
    finally:
        server.stop()
