"""Sample apps without a Dockerfile, for the auto builder's integration tests."""

from __future__ import annotations

FLASK_APP = """\
import os
from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return "flask {version}"


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ["PORT"]))
"""

NODE_PACKAGE = """\
{
  "name": "node-sample",
  "description": "{tag}",
  "version": "1.0.0",
  "private": true,
  "scripts": {"start": "node server.js"},
  "dependencies": {"ms": "2.1.3"}
}
"""

_INTEGRITY = (
    "sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO"
    "/tXtF3WRTlA=="
)
NODE_LOCK = """\
{
  "name": "node-sample",
  "description": "{tag}",
  "version": "1.0.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {"name": "node-sample", "version": "1.0.0", "dependencies": {"ms": "2.1.3"}},
    "node_modules/ms": {
      "version": "2.1.3",
      "resolved": "https://registry.npmjs.org/ms/-/ms-2.1.3.tgz",
      "integrity": "{integrity}",
      "license": "MIT"
    }
  }
}
"""

NODE_SERVER = """\
const http = require("http");
const ms = require("ms");
http.createServer((req, res) => res.end("node {version} " + ms("1d") + "\\n"))
  .listen(process.env.PORT, "0.0.0.0");
process.on("SIGTERM", () => process.exit(0));
"""

GO_MOD = "module example.com/hello\n\ngo 1.21\n"

GO_MAIN = """\
package main

import (
\t"fmt"
\t"net/http"
\t"os"
)

func main() {
\thttp.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
\t\tfmt.Fprintln(w, "go {version}")
\t})
\tif err := http.ListenAndServe(":"+os.Getenv("PORT"), nil); err != nil {
\t\tpanic(err)
\t}
}
"""

# Stdlib only (an empty requirements.txt still makes it a Python app).
STDLIB_SERVER = """\
import os, signal, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = ("stdlib " + " ".join(sys.argv[1:])).strip().encode() + b"\\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


ThreadingHTTPServer(("0.0.0.0", int(os.environ["PORT"])), Handler).serve_forever()
"""

WORKER = """\
import signal, sys, time
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
print("worker started", flush=True)
while True:
    time.sleep(1)
"""


def flask_app(version: str = "v1") -> dict[str, str]:
    """Return a Flask app (a PyPI dependency) run by the default web process."""
    return {"requirements.txt": "flask==3.0.3\n", "app.py": FLASK_APP.format(version=version)}


def node_app(version: str = "v1", tag: str = "") -> dict[str, str]:
    """Return a Node.js app with one npm dependency, started by `npm start`.

    `tag` goes into package.json, so the install step cannot come from an earlier build.
    """
    return {
        "package.json": NODE_PACKAGE.replace("{tag}", tag),
        "package-lock.json": NODE_LOCK.replace("{integrity}", _INTEGRITY),
        "server.js": NODE_SERVER.replace("{version}", version),
    }


def go_app(version: str = "v1") -> dict[str, str]:
    """Return a dependency-free Go web server."""
    return {"go.mod": GO_MOD, "main.go": GO_MAIN.replace("{version}", version)}


def static_site(text: str = "static v1") -> dict[str, str]:
    """Return a static site, with a dotfile that must not be served."""
    return {"index.html": f"<h1>{text}</h1>\n", ".env": "SECRET=1\n"}


def stdlib_app(**extra: str) -> dict[str, str]:
    """Return a stdlib Python web server (argv is echoed in the body)."""
    return {"requirements.txt": "", "server.py": STDLIB_SERVER, **extra}


RUBY_SERVER = """\
require "socket"
server = TCPServer.new("0.0.0.0", Integer(ENV.fetch("PORT")))
trap("TERM") { exit }
loop do
  client = server.accept
  client.gets
  body = "ruby #{RUBY_VERSION}\\n"
  client.write("HTTP/1.1 200 OK\\r\\nContent-Length: #{body.bytesize}\\r\\n\\r\\n#{body}")
  client.close
end
"""
# No gems: this host reaches no gem server, and an empty lockfile needs none.
EMPTY_GEMFILE_LOCK = """\
GEM
  remote: https://rubygems.org/
  specs:

PLATFORMS
  x86_64-linux

DEPENDENCIES

BUNDLED WITH
   2.3.15
"""


def ruby_app() -> dict[str, str]:
    """Return a Ruby app with a Gemfile (no gems) and a stdlib web server in its Procfile."""
    return {
        "Gemfile": 'source "https://rubygems.org"\n',
        "Gemfile.lock": EMPTY_GEMFILE_LOCK,
        "server.rb": RUBY_SERVER,
        "Procfile": "web: ruby server.rb\n",
    }
