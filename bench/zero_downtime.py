"""Requests during a redeploy against steady state, and deploy time with and without checks.

A paced loop (new connection per request, ~50 req/s, bounded) runs through nginx
on loopback. Target: 0 failed during the deploy, p99 within 2x of steady state.
"""

from __future__ import annotations

import json
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _common import cleanup, commit_all, dokku, emit, percentile, push, temp_repo, write_app  # noqa: E402
from tests.integration.load import LoadLoop  # noqa: E402

STEADY_S = 10.0
HEALTHCHECK = {
    "healthchecks": {"web": [{"type": "startup", "path": "/", "attempts": 5, "wait": 1}]}
}


def loop_stats(loop: LoadLoop) -> dict[str, float]:
    """Sent, failed, p50 and p99 (ms) of a load loop."""
    latencies = [v * 1000 for v in loop.latencies()] or [0.0]
    return {
        "sent": loop.sent,
        "failed": len(loop.errors),
        "p50_ms": percentile(latencies, 50),
        "p99_ms": percentile(latencies, 99),
    }


def main() -> int:
    app = f"bench-zdt-{secrets.token_hex(3)}"
    repo = temp_repo()
    host = f"{app}.localhost"
    try:
        dokku("apps:create", app)
        write_app(repo, "v1")
        commit_all(repo, "v1")
        push(repo, app)
        with LoadLoop(host) as steady:
            time.sleep(STEADY_S)
        write_app(repo, "v2")
        commit_all(repo, "v2")
        with LoadLoop(host) as during:
            default_push_s = push(repo, app)
        write_app(repo, "v3", {"app.json": json.dumps(HEALTHCHECK)})
        commit_all(repo, "v3 with healthcheck")
        healthcheck_push_s = push(repo, app)
    finally:
        cleanup(repo, app)
    steady_stats, during_stats = loop_stats(steady), loop_stats(during)
    rows = [
        ("steady: sent / failed", f"{steady_stats['sent']:.0f} / {steady_stats['failed']:.0f}"),
        ("steady: p50 / p99 ms", f"{steady_stats['p50_ms']:.1f} / {steady_stats['p99_ms']:.1f}"),
        ("redeploy: sent / failed", f"{during_stats['sent']:.0f} / {during_stats['failed']:.0f}"),
        ("redeploy: p50 / p99 ms", f"{during_stats['p50_ms']:.1f} / {during_stats['p99_ms']:.1f}"),
        ("deploy with default checks", f"{default_push_s:.2f} s"),
        ("deploy with app.json healthcheck", f"{healthcheck_push_s:.2f} s"),
    ]
    record = {
        "steady": steady_stats,
        "redeploy": during_stats,
        "p99_ratio": during_stats["p99_ms"] / max(steady_stats["p99_ms"], 0.001),
        "deploy_default_checks_s": round(default_push_s, 2),
        "deploy_healthcheck_s": round(healthcheck_push_s, 2),
        "errors": during.errors[:5],
        "target_p99_ratio": 2.0,
    }
    emit("zero_downtime", rows, record)
    return 0


if __name__ == "__main__":
    sys.exit(main())
