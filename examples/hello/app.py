"""pydokku's example app: answers `Hello from pydokku` on `/`, using only the stdlib."""

from __future__ import annotations

import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BODY = b"Hello from pydokku\n"


class Hello(BaseHTTPRequestHandler):
    """Answer `/` with the greeting and anything else with 404."""

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        found = self.path.split("?", 1)[0] == "/"
        body = BODY if found else b"Not found\n"
        self.send_response(200 if found else 404)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)


def main() -> None:
    """Serve on $PORT (default 5000) until SIGTERM."""
    # As PID 1 in a container, Python gets no default SIGTERM action: exit on it so
    # `docker stop` takes milliseconds, not the 10 s kill timeout.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    port = int(os.environ.get("PORT", "5000"))
    server = ThreadingHTTPServer(("0.0.0.0", port), Hello)  # noqa: S104
    print(f"Listening on port {port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
