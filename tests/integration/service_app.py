"""A sample app using Postgres (DATABASE_URL) and Redis (REDIS_URL), Debian packages only.

Routes: `/env?name=VAR`, `/rows/add?v=VALUE`, `/rows` (values in insert order),
`/counter/incr`, `/counter`. Its release command creates the table, so a deploy proves
the release phase reaches the database too.
"""

from __future__ import annotations

DOCKERFILE = """\
FROM pydokku/base:bookworm
RUN apt-get update \\
 && apt-get install -y --no-install-recommends python3 python3-psycopg2 python3-redis \\
 && rm -rf /var/lib/apt/lists/*
COPY . /app
WORKDIR /app
CMD ["python3", "/app/app.py"]
"""

PROCFILE = """\
web: python3 /app/app.py
release: python3 /app/migrate.py
"""

MIGRATE_PY = """\
import os, sys

url = os.environ.get("DATABASE_URL")
if not url:
    print("no DATABASE_URL: nothing to migrate")
    sys.exit(0)
import psycopg2

conn = psycopg2.connect(url)
conn.autocommit = True
conn.cursor().execute("CREATE TABLE IF NOT EXISTS items (id serial PRIMARY KEY, value text)")
print("migrated", flush=True)
"""

# The request loop of the sample apps: answers GET with ROUTES[path](query) as text.
SERVER = """\
class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        try:
            body, status = ROUTES[url.path](dict(urllib.parse.parse_qsl(url.query))), 200
        except Exception as exc:
            body, status = f"{type(exc).__name__}: {exc}", 500
        data = (body + "\\n").encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *args):
        pass


signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
ThreadingHTTPServer(("0.0.0.0", int(os.environ["PORT"])), Handler).serve_forever()
"""

APP_PY = """\
import os, signal, sys, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def db():
    import psycopg2

    conn = psycopg2.connect(os.environ["DATABASE_URL"])
    conn.autocommit = True
    return conn


def cache():
    import redis

    return redis.Redis.from_url(os.environ["REDIS_URL"])


def add_row(q):
    with db() as conn:
        conn.cursor().execute("INSERT INTO items (value) VALUES (%s)", (q["v"],))
    return "added"


def rows(q):
    with db() as conn:
        cur = conn.cursor()
        cur.execute("SELECT value FROM items ORDER BY id")
        return ",".join(r[0] for r in cur.fetchall())


ROUTES = {
    "/": lambda q: "ok",
    "/env": lambda q: os.environ.get(q["name"], "<unset>"),
    "/rows/add": add_row,
    "/rows": rows,
    "/counter/incr": lambda q: str(cache().incr("hits")),
    "/counter": lambda q: str(int(cache().get("hits") or 0)),
}


"""
APP_PY += SERVER


def files() -> dict[str, str]:
    """Return the files of the sample app."""
    return {
        "Dockerfile": DOCKERFILE,
        "Procfile": PROCFILE,
        "app.py": APP_PY,
        "migrate.py": MIGRATE_PY,
    }
