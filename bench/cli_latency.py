"""CLI latency: `dokku apps:list` (200 apps), `config:get`, `config:set` against `python3 -c pass`.

Prints a table and one JSON line. Target: `apps:list` at most 3x the bare interpreter.
`config:get` decrypts the value (AES-GCM, key file read): its cost is reported, not capped;
`config:set --no-restart` encrypts and writes one transaction.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = int(os.environ.get("BENCH_RUNS", "40"))
APPS = 200
TARGET_RATIO = 3.0


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def medians_ms(commands: dict[str, list[str]], env: dict[str, str]) -> dict[str, float]:
    """Median wall time of each command; runs take turns so drift hits all of them alike."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for argv in commands.values():
        timed(argv, env)  # warm the page cache
    for _ in range(RUNS):
        for name, argv in commands.items():
            samples[name].append(timed(argv, env))
    return {name: statistics.median(values) * 1000 for name, values in samples.items()}


def dokku_script() -> str:
    candidate = Path(sys.executable).with_name("dokku")
    return str(candidate) if candidate.exists() else "dokku"


def seed(env: dict[str, str]) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    os.environ.update(env)
    from pydokku import state, vault

    with state.transaction() as conn:
        conn.executemany(
            "INSERT INTO apps (name, created_at) VALUES (?, ?)",
            [(f"app-{i:03d}", state.now()) for i in range(APPS)],
        )
        conn.execute(
            "INSERT INTO config (app, key, value) VALUES ('app-000', 'KEY', ?)",
            (vault.seal(conn, "value"),),
        )


def compile_package() -> None:
    """Write the .pyc files a real install has (pip compiles at install time)."""
    import compileall

    import pydokku

    compileall.compile_dir(str(Path(pydokku.__file__).parent), quiet=1)


def main() -> int:
    compile_package()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DOKKU_ROOT": f"{tmp}/home", "DOKKU_LIB_ROOT": f"{tmp}/lib"}
        env.pop("SSH_ORIGINAL_COMMAND", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        seed(env)
        dokku = dokku_script()
        results = medians_ms(
            {
                "baseline": [sys.executable, "-c", "pass"],
                "apps:list": [dokku, "apps:list"],
                "config:get": [dokku, "config:get", "app-000", "KEY"],
                "config:set": [dokku, "config:set", "--no-restart", "app-001", "KEY=value"],
            },
            env,
        )
        baseline = results.pop("baseline")
    print(f"{'command':<24}{'median ms':>10}{'x python':>10}")
    print(f"{'python3 -c pass':<24}{baseline:>10.1f}{1.0:>10.2f}")
    for name, value in results.items():
        print(f"{'dokku ' + name:<24}{value:>10.1f}{value / baseline:>10.2f}")
    record = {
        "bench": "cli_latency",
        "runs": RUNS,
        "apps": APPS,
        "baseline_ms": round(baseline, 2),
        **{f"{k}_ms": round(v, 2) for k, v in results.items()},
        **{f"{k}_ratio": round(v / baseline, 2) for k, v in results.items()},
        "target_ratio": TARGET_RATIO,
    }
    print(json.dumps(record))
    return 0


if __name__ == "__main__":
    sys.exit(main())
