"""Auto builder vs a hand-written Dockerfile: cold build and warm rebuild, Python and Node.js.

For each sample, in the same run and on the same base image (the one the auto builder
picks: an official image with a registry, the offline stack without one):
- cold: no layer cache at all (`nocache`), dependencies downloaded;
- warm: one source line changed, so only the source layer is rebuilt.
The hand-written Dockerfile is what a user would write for this host (it trusts the
host's CA certificates, as the auto builder does) and is built by a raw `docker build`.

- deps: one dependency changed to a version not built before, so the install step runs
  again: the auto builder with its download cache (`RUN --mount=type=cache`) against the
  same generated Dockerfile without it (`builder-auto:set cache-mounts false`).
Both paths build with BuildKit (the same docker CLI choice as pydokku's build adapter).

Prints a table and one JSON line. Targets: warm <= 1.2x, cold <= 1.5x hand-written,
deps <= 0.5x without cache mounts.
Needs a Docker engine; run as a user allowed to use it (root or the docker group).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COLD_RUNS = int(os.environ.get("BENCH_COLD_RUNS", "2"))
WARM_RUNS = int(os.environ.get("BENCH_WARM_RUNS", "5"))
DEP_RUNS = int(os.environ.get("BENCH_DEP_RUNS", "3"))
TARGET_WARM, TARGET_COLD, TARGET_DEPS = 1.2, 1.5, 0.5
# The dependency each deps run changes: a small package, a version per run (none repeats).
CHANGED_DEP = {
    "python": ("six", ["1.12.0", "1.13.0", "1.14.0", "1.15.0", "1.16.0", "1.17.0"]),
    "node": ("ms", ["2.0.0", "2.1.0", "2.1.1", "2.1.2", "2.1.3", "3.0.0-canary.1"]),
}

SAMPLES: dict[str, dict[str, str]] = {
    "python": {
        "requirements.txt": "flask==3.0.3\n",
        "app.py": (
            "import os\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n"
            '@app.get("/")\ndef index():\n    return "hello 0"\n\n\n'
            'if __name__ == "__main__":\n'
            '    app.run(host="0.0.0.0", port=int(os.environ["PORT"]))\n'
        ),
    },
    "node": {
        "package.json": (
            '{"name": "bench", "version": "1.0.0", "private": true,\n'
            ' "scripts": {"start": "node server.js"},\n'
            ' "dependencies": {"express": "4.21.2"}}\n'
        ),
        "server.js": (
            'const app = require("express")();\n'
            'app.get("/", (req, res) => res.send("hello 0"));\n'
            "app.listen(process.env.PORT);\n"
        ),
    },
}
HAND_WRITTEN = {
    "python": """\
FROM {base}
WORKDIR /app
COPY host-ca.crt /usr/local/share/ca-certificates/host-ca.crt
RUN update-ca-certificates
ENV PYTHONUNBUFFERED=1 PATH=/opt/venv/bin:$PATH PIP_CERT=/etc/ssl/certs/ca-certificates.crt
RUN python3 -m venv /opt/venv
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY . ./
CMD ["python", "app.py"]
""",
    "node": """\
FROM {base}
WORKDIR /app
COPY host-ca.crt /usr/local/share/ca-certificates/host-ca.crt
RUN update-ca-certificates
ENV NODE_ENV=production NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/host-ca.crt
COPY package.json package-lock.json ./
RUN npm ci
COPY . ./
CMD ["npm", "start"]
""",
}
SOURCE_FILE = {"python": "app.py", "node": "server.js"}


def write(directory: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (directory / name).write_text(text)


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


BUILT: set[str] = set()  # image ids this run made, removed at the end


def docker_build(context: Path, tag: str, *, nocache: bool) -> None:
    from pydokku.engine.build import cli

    flags = ["-q", *(["--no-cache"] if nocache else [])]
    argv = [*cli(), "build", *flags, "-t", tag, "."]
    env = {**os.environ, "DOCKER_BUILDKIT": "1"}
    proc = subprocess.run(argv, cwd=context, check=False, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise SystemExit(f"docker build failed in {context}:\n{proc.stderr[-2000:]}")
    BUILT.add(proc.stdout.strip().splitlines()[-1])


def remove_built() -> None:
    """Remove the images the benchmark built (each rebuild leaves the previous one behind)."""
    kinds = ("hand", "bench-{}", "bench-{}-deps", "bench-{}-nomount")
    tags = [
        f"bench/{k.format(n) if '{' in k else f'{k}-{n}'}:latest" for k in kinds for n in SAMPLES
    ]
    for refs in (tags, sorted(BUILT)):  # no -f: an image someone else tagged or runs stays
        subprocess.run(["docker", "rmi", *refs], capture_output=True, check=False)


def lockfile(directory: Path, base: str, bundle: str) -> None:
    """Write package-lock.json by running npm in the base image (like a developer would)."""
    script = (
        'printf "%s" "$CA" > /tmp/ca.pem && export NODE_EXTRA_CA_CERTS=/tmp/ca.pem && '
        "cd /w && npm install --package-lock-only --no-audit --no-fund >/dev/null"
    )
    subprocess.run(
        [
            *("docker", "run", "--rm", "--network", "host", "-e", f"CA={bundle}"),
            *("-v", f"{directory}:/w", base, "sh", "-c", script),
        ],
        check=True,
    )


class Sample:
    """One sample app, built by the auto builder and by hand, in two scratch copies."""

    def __init__(self, name: str, scratch: Path, bundle: str) -> None:
        self.name = name
        self.auto_dir = scratch / f"{name}-auto"
        self.hand_dir = scratch / f"{name}-hand"
        self.bundle = bundle
        self.revision = 0
        for directory in (self.auto_dir, self.hand_dir):
            directory.mkdir()
            write(directory, SAMPLES[name])

    def prepare(self, base: str) -> None:
        self.base = base
        if self.name == "node":
            lockfile(self.auto_dir, base, self.bundle)
            shutil.copy(self.auto_dir / "package-lock.json", self.hand_dir)
        (self.hand_dir / "host-ca.crt").write_text(self.bundle)
        (self.hand_dir / "Dockerfile").write_text(HAND_WRITTEN[self.name].format(base=base))

    def auto(self, *, nocache: bool, app: str = "") -> None:
        from pydokku.plugins.builder_auto.builder import AutoBuilder

        app = app or f"bench-{self.name}"
        work = self.auto_dir.with_name(f"{self.auto_dir.name}-{app}-ctx")
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(self.auto_dir, work)  # a fresh checkout each build, as on a push
        image_id = AutoBuilder(nocache=nocache).build(app, work, [f"bench/{app}:latest"], {})
        BUILT.add(image_id)

    def change_dependency(self, version: str) -> None:
        """Pin the changing dependency to `version` (and lock it, for npm)."""
        package, _ = CHANGED_DEP[self.name]
        if self.name == "python":
            text = f"{SAMPLES['python']['requirements.txt']}{package}=={version}\n"
            (self.auto_dir / "requirements.txt").write_text(text)
            return
        manifest = json.loads(SAMPLES["node"]["package.json"])
        manifest["dependencies"][package] = version
        (self.auto_dir / "package.json").write_text(json.dumps(manifest))
        lockfile(self.auto_dir, self.base, self.bundle)

    def hand(self, *, nocache: bool) -> None:
        docker_build(self.hand_dir, f"bench/hand-{self.name}:latest", nocache=nocache)

    def touch_source(self) -> None:
        """Change one line of the app's source in both copies."""
        self.revision += 1
        for directory in (self.auto_dir, self.hand_dir):
            path = directory / SOURCE_FILE[self.name]
            text = path.read_text().replace(f"hello {self.revision - 1}", f"hello {self.revision}")
            path.write_text(text)


def measure(sample: Sample) -> dict[str, float]:
    cold_auto, cold_hand, warm_auto, warm_hand = [], [], [], []
    for _ in range(COLD_RUNS):
        cold_hand.append(timed(lambda: sample.hand(nocache=True)))
        cold_auto.append(timed(lambda: sample.auto(nocache=True)))
    # One untimed rebuild first: after a --no-cache build the classic builder may miss its
    # cache once (seen with the CLI); a user's second push is the warm case measured.
    sample.touch_source()
    sample.hand(nocache=False)
    sample.auto(nocache=False)
    for _ in range(WARM_RUNS):
        sample.touch_source()
        warm_hand.append(timed(lambda: sample.hand(nocache=False)))
        warm_auto.append(timed(lambda: sample.auto(nocache=False)))
    deps_cached, deps_plain = measure_deps(sample)
    return {
        "deps_auto": statistics.median(deps_cached),
        "deps_hand": statistics.median(deps_plain),
        "cold_auto": statistics.median(cold_auto),
        "cold_hand": statistics.median(cold_hand),
        "warm_auto": statistics.median(warm_auto),
        "warm_hand": statistics.median(warm_hand),
    }


def measure_deps(sample: Sample) -> tuple[list[float], list[float]]:
    """Rebuild after one dependency change, with and without the download cache mount."""
    from pydokku import properties, state

    cached, plain = f"bench-{sample.name}-deps", f"bench-{sample.name}-nomount"
    with state.transaction() as conn:
        properties.store(conn, "builder-auto", plain, "cache-mounts", "false")
    _, versions = CHANGED_DEP[sample.name]
    sample.change_dependency(versions[0])
    for app in (cached, plain):  # both start warm, with the first version
        sample.auto(nocache=False, app=app)
    with_cache, without = [], []
    for version in versions[1 : DEP_RUNS + 1]:
        sample.change_dependency(version)
        with_cache.append(timed(lambda: sample.auto(nocache=False, app=cached)))
        without.append(timed(lambda: sample.auto(nocache=False, app=plain)))
    return with_cache, without


def run_all(scratch: Path) -> dict[str, tuple[dict[str, float], str]]:
    """Measure every sample on the base image the auto builder chooses for it."""
    from pydokku.plugins.builder import certs
    from pydokku.plugins.builder_auto import bases, detect, stacks

    bundle = certs.build_bundle("bench")
    results: dict[str, tuple[dict[str, float], str]] = {}
    for name in SAMPLES:
        sample = Sample(name, scratch, bundle)
        base, _ = bases.choose("bench")
        plan = detect.make_plan(sample.auto_dir, base)
        stacks.ensure(plan.stacks)
        sample.prepare(plan.base_image)
        results[name] = (measure(sample), plan.base_image)
    return results


def report(results: dict[str, tuple[dict[str, float], str]]) -> None:
    """Print the table and the JSON line."""
    print(f"{'sample':<8}{'phase':<6}{'auto s':>9}{'hand s':>9}{'ratio':>7}{'target':>8}")
    record: dict[str, object] = {"bench": "build", "cold_runs": COLD_RUNS, "warm_runs": WARM_RUNS}
    for name, (found, base) in results.items():
        phases = (("cold", TARGET_COLD), ("warm", TARGET_WARM), ("deps", TARGET_DEPS))
        for phase, target in phases:
            auto, hand = found[f"{phase}_auto"], found[f"{phase}_hand"]
            ratio = auto / hand
            print(f"{name:<8}{phase:<6}{auto:>9.2f}{hand:>9.2f}{ratio:>7.2f}{target:>8.1f}")
            record[f"{name}_{phase}_auto_s"] = round(auto, 3)
            record[f"{name}_{phase}_hand_s"] = round(hand, 3)
            record[f"{name}_{phase}_ratio"] = round(ratio, 2)
        record[f"{name}_base"] = base
    record |= {"target_warm": TARGET_WARM, "target_cold": TARGET_COLD, "target_deps": TARGET_DEPS}
    record["deps_note"] = "deps: auto = with cache mounts, hand = without (same Dockerfile)"
    print(json.dumps(record))


def main() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    with tempfile.TemporaryDirectory(prefix="pydokku-bench-") as tmp:
        os.environ.update(DOKKU_ROOT=f"{tmp}/home", DOKKU_LIB_ROOT=f"{tmp}/lib")
        from pydokku import output

        output.set_quiet(True)
        try:
            results = run_all(Path(tmp))
        finally:
            remove_built()
    report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
