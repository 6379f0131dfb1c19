"""Sample apps for integration tests: a stdlib Python web app on the offline base image."""

from __future__ import annotations

DOCKERFILE = """\
FROM pydokku/base:bookworm
RUN apt-get update \\
 && apt-get install -y --no-install-recommends python3 \\
 && rm -rf /var/lib/apt/lists/*
COPY . /app
WORKDIR /app
CMD ["python3", "/app/app.py"]
"""

APP_PY = """\
import os, signal, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VERSION = {version!r}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    wbufsize = -1  # one write per answer: no Nagle / delayed-ACK stalls
    disable_nagle_algorithm = True

    def do_GET(self):
        if self.path == "/env":
            body = os.environ.get(self.headers.get("X-Var", "GREETING"), "<unset>")
        elif self.path == "/dyno":
            body = os.environ.get("DYNO", "")
        else:
            body = VERSION + " " + os.environ.get("GREETING", "")
        data = (body + "\\n").encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *args):
        print("request", self.path, flush=True)


signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
print("listening on", os.environ["PORT"], flush=True)
ThreadingHTTPServer(("0.0.0.0", int(os.environ["PORT"])), Handler).serve_forever()
"""

WORKER_PY = """\
import time
print("worker started", flush=True)
while True:
    time.sleep(1)
"""


def web_app(version: str = "v1", **extra: str) -> dict[str, str]:
    """Return the files of the sample app answering `VERSION GREETING` on /."""
    return {"Dockerfile": DOCKERFILE, "app.py": APP_PY.format(version=version), **extra}


def host(app: str) -> str:
    """Return the vhost of an app under the installer's global domain."""
    return f"{app}.localhost"
