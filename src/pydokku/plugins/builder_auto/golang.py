"""Go apps: go.mod, with vendored modules, downloaded modules, or none."""

from __future__ import annotations

import re
from pathlib import Path

from pydokku.plugins.builder_auto import plan as p
from pydokku.plugins.builder_auto.stacks import STACKS

DEFAULT_VERSION = "1.23"
CA_FILE = "/etc/ssl/certs/ca-certificates.crt"


def detect(source: Path) -> bool:
    """Tell whether the source is a Go module."""
    return p.is_file(source, "go.mod")


def plan(source: Path, base: p.Base) -> p.BuildPlan:
    """Return the build plan of a Go app: compile in one stage, run from a plain image."""
    gomod = p.read_text(source, "go.mod")
    wanted = _directive(gomod, "go")
    if base.offline:
        version = STACKS["go"].version
        image = base.stack("go")
    else:
        version = p.version_text(p.version_parts(wanted)[:2]) or DEFAULT_VERSION
        image = f"golang:{version}-{base.suite}"
    vendored = p.is_file(source, "vendor/modules.txt")
    downloads = not vendored and re.search(r"(?m)^\s*require\b", gomod) is not None
    mode = "vendored" if vendored else "modules" if downloads else "no dependencies"
    tool_env = {"CGO_ENABLED": "0"}
    if vendored:
        tool_env["GOFLAGS"] = "-mod=vendor"
    result = p.BuildPlan(
        "go",
        f"go.mod, {mode}",
        version,
        image,
        stacks=["go"] if base.offline else [],
        tool_env=tool_env,
        ca_env={"SSL_CERT_FILE": CA_FILE},
        manifests=p.existing(source, ["go.mod", "go.sum"]) if downloads else [],
        install=["go mod download"] if downloads else [],
        build=["go build -trimpath -o bin/ ./..."],
        runtime_image=base.plain,
        web=default_web(source, _directive(gomod, "module")),
        caches=True,  # modules and the compile cache; the binary alone goes to the image
        cache_env={"GOMODCACHE": f"{p.CACHE_DIR}/go-mod", "GOCACHE": f"{p.CACHE_DIR}/go-build"},
    )
    if base.offline and wanted and p.version_parts(wanted)[:2] > p.version_parts(version):
        result.warnings.append(
            f"go.mod asks for Go {wanted}, but no registry is reachable and the offline stack "
            f"has Go {version}; the go command will try to download a newer toolchain"
        )
    return result


def _directive(gomod: str, name: str) -> str:
    match = re.search(rf"(?m)^\s*{name}\s+(\S+)", gomod)
    return match.group(1).strip("\"'") if match else ""


def binary_name(import_path: str) -> str:
    """Return the name `go build -o DIR` gives a main package (`x.org/app/v2` -> `app`)."""
    parts = [x for x in import_path.split("/") if x]
    if len(parts) > 1 and re.match(r"^v\d+$", parts[-1]):
        parts.pop()
    return parts[-1] if parts else "app"


def _is_main_package(source: Path, directory: Path) -> bool:
    for path in sorted(directory.glob("*.go")):
        if path.name.endswith("_test.go"):
            continue
        head = p.read_text(source, str(path.relative_to(source)))[:20_000]
        if re.search(r"(?m)^package\s+main\b", head):
            return True
    return False


def default_web(source: Path, module: str) -> str:
    """Return the binary to run: the root package if it is `main`, else the only `cmd/X`."""
    if _is_main_package(source, source):
        return f"/app/bin/{binary_name(module)}"
    commands = sorted(d.name for d in (source / "cmd").glob("*") if _is_main_package(source, d))
    return f"/app/bin/{commands[0]}" if len(commands) == 1 else ""
