"""A bounded HTTP load loop through nginx on loopback, counting every failure."""

from __future__ import annotations

import http.client
import threading
import time

MAX_SECONDS = 300.0
MAX_REQUESTS = 30_000


class LoadLoop:
    """Send GET / to nginx (127.0.0.1:80) with a Host header until stopped.

    Each request opens a new connection, the harder case for a proxy switch. A
    failure is a connection error, a timeout or a non-2xx answer.
    """

    def __init__(self, host: str, interval: float = 0.02, path: str = "/") -> None:
        self.host = host
        self.path = path
        self.interval = interval
        self.results: list[tuple[float, int, str, float]] = []  # (time, status, body, latency)
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.started = 0.0
        self.stopped = 0.0

    def __enter__(self) -> LoadLoop:
        self.started = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=30)
        self.stopped = time.monotonic()

    def _run(self) -> None:
        deadline = time.monotonic() + MAX_SECONDS
        next_at = time.monotonic()
        while not self._stop.is_set() and time.monotonic() < deadline:
            if len(self.results) + len(self.errors) >= MAX_REQUESTS:
                break
            self._one()
            next_at += self.interval  # paced: a slow answer does not lower the rate
            time.sleep(max(0.0, next_at - time.monotonic()))

    def _one(self) -> None:
        start = time.monotonic()
        conn = http.client.HTTPConnection("127.0.0.1", 80, timeout=10)
        try:
            conn.request("GET", self.path, headers={"Host": self.host, "Connection": "close"})
            response = conn.getresponse()
            body = response.read().decode("utf-8", "replace").strip()
            latency = time.monotonic() - start
            if 200 <= response.status < 300:
                self.results.append((start, response.status, body, latency))
            else:
                self.errors.append(f"HTTP {response.status}: {body[:80]}")
        except (OSError, http.client.HTTPException) as exc:
            self.errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            conn.close()

    @property
    def sent(self) -> int:
        """Return the number of requests made."""
        return len(self.results) + len(self.errors)

    @property
    def rate(self) -> float:
        """Return requests per second over the loop's life."""
        return self.sent / max(self.stopped - self.started, 1e-9)

    def bodies(self) -> list[str]:
        """Return the bodies of successful answers, in order."""
        return [body for _, _, body, _ in self.results]

    def latencies(self) -> list[float]:
        """Return the latency of every successful answer, in seconds."""
        return [latency for *_, latency in self.results]
