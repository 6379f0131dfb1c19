"""Image builds with BuildKit: the docker CLI (`docker build --progress=plain`) via the runner.

The Docker SDK for Python only drives the legacy builder, which cannot build
`RUN --mount`, `COPY --chmod` or build secrets. So builds run the docker CLI
with BuildKit, chosen once per CLI binary (`cli`): a CLI 23+ with the buildx
plugin, or an older CLI (Debian's docker.io 20.10) with BuildKit built in.
Every build line passes through `emit_line`, one function, as it arrives.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from pydokku import runner
from pydokku.errors import DokkuError

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

# Where a docker CLI is looked for, after `PYDOKKU_DOCKER_CLI` and PATH.
CLI_CANDIDATES = ("/usr/bin/docker", "/usr/local/bin/docker", "/bin/docker")
# Build networks: `isolated` is BuildKit's own sandbox network (bridged, no host loopback).
NETWORKS = {"isolated": "default", "host": "host", "none": "none"}
# Build arg names that would steer the CLI itself if they travelled in its environment.
_CLI_ENV_PREFIXES = ("DOCKER_", "BUILDX_")
_CLI_ENV_NAMES = frozenset({"PATH", "HOME", "TMPDIR", "LANG", "LC_ALL"})
_SYNTAX_RE = re.compile(r"^#\s*syntax\s*=\s*(\S+)\s*$", re.IGNORECASE)
_DIRECTIVE_RE = re.compile(r"^#\s*[a-zA-Z]+\s*=")
_PARSE_ERROR_RE = re.compile(r"dockerfile parse error (?:on )?line (\d+): (.*)$")
_HEREDOC_RE = re.compile(r"<<-?\s*[\"']?([A-Za-z_][A-Za-z0-9_]*)[\"']?")
_STEP_RE = re.compile(r"^#\d+ (\S.*)$")
_STAGE_STEP_RE = re.compile(r"^#\d+ \[(?!internal\])")  # `#4 [1/2] FROM ...`, `#5 [base 2/4] RUN`
TAIL_LINES = 100


def cli() -> list[str]:
    """Return the docker CLI command that builds with BuildKit (probed once per binary)."""
    for path in _candidates():
        stamp = _stamp(path)
        cached = _read_cache().get(path)
        if cached and cached.get("stamp") == stamp:
            if cached.get("buildkit"):
                return [path]
            continue
        ok = _supports_buildkit(path)
        _write_cache(path, {"stamp": stamp, "buildkit": ok})
        if ok:
            return [path]
    raise DokkuError(
        "No docker CLI that builds with BuildKit was found: install Debian's docker.io, or "
        "Docker's docker-ce-cli with docker-buildx-plugin (see docs/builders.md)"
    )


def _candidates() -> list[str]:
    found: list[str] = []
    forced = os.environ.get("PYDOKKU_DOCKER_CLI", "")
    for path in (forced, shutil.which("docker") or "", *CLI_CANDIDATES):
        if path and os.access(path, os.X_OK) and os.path.realpath(path) not in found:
            found.append(os.path.realpath(path))
    return found


def _stamp(path: str) -> str:
    info = os.stat(path)
    return f"{info.st_mtime_ns}:{info.st_size}"


def _supports_buildkit(path: str) -> bool:
    """Tell whether `docker build` of this CLI can use BuildKit (buildx, or a CLI before 23)."""
    if runner.run([path, "buildx", "version"], check=False, timeout=30).returncode == 0:
        return True
    proc = runner.run([path, "--version"], check=False, timeout=30)
    match = re.search(r"version (\d+)\.", proc.stdout)
    return proc.returncode == 0 and match is not None and int(match.group(1)) < 23


def _cache_file() -> Path:
    from pydokku import paths

    return paths.lib_root() / "data" / "pydokku" / "docker-cli.json"


def _read_cache() -> dict[str, Any]:
    try:
        data = json.loads(_cache_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_cache(path: str, entry: dict[str, Any]) -> None:
    data = {**_read_cache(), path: entry}
    target = _cache_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        scratch = target.with_suffix(f".{os.getpid()}.tmp")
        scratch.write_text(json.dumps(data), encoding="utf-8")
        scratch.replace(target)
    except OSError:
        pass  # only a cache: the next build probes again


def emit_line(line: str, on_line: Callable[[str], None]) -> None:
    """Pass one line of build output on (the one place build output goes through)."""
    on_line(line)


def warn(message: str) -> None:
    """Print a build warning (` !     ...` on stderr)."""
    from pydokku import output

    output.warn(message)


class BuildFailedError(DokkuError):
    """A build that BuildKit rejected; `log_lines` holds its last output lines."""


def build(
    context_dir: str,
    tags: list[str],
    *,
    dockerfile: str = "Dockerfile",
    buildargs: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
    on_line: Callable[[str], None],
    network: str = "isolated",
    nocache: bool = False,
    options: dict[str, Any] | None = None,
) -> str:
    """Build an image with BuildKit, streaming plain progress; return the image id.

    `options`: build-phase keywords from `dockerargs.build_options` (docker-options),
    rendered as `docker build` flags; their build args and labels add to the builder's.
    """
    from pydokku.dockerargs.render import build_cli_args, ignored_by_buildkit

    extra = dict(options or {})
    ignored = ignored_by_buildkit(extra)
    if ignored:
        warn(f"BuildKit does not apply {', '.join(ignored)} to builds; ignored")
    merged = {
        **extra,
        "buildargs": {**(buildargs or {}), **extra.get("buildargs", {})},
        "labels": {**extra.get("labels", {}), **(labels or {})},
    }
    merged.setdefault("network_mode", NETWORKS.get(network, network))
    if nocache:
        merged["nocache"] = True
    words, arg_env = build_cli_args(merged)
    words, arg_env = _inline_cli_env(words, arg_env)
    dockerfile_path = Path(context_dir, dockerfile)
    with tempfile.TemporaryDirectory(prefix="pydokku-build-") as scratch:
        iidfile = os.path.join(scratch, "iid")
        argv = [*cli(), "build", "--progress=plain", "--iidfile", iidfile]
        for tag in tags:
            argv += ["--tag", tag]
        env = {**os.environ, "DOCKER_BUILDKIT": "1", **arg_env}
        text = _read_dockerfile(dockerfile_path)
        syntax = frontend_image(text)
        code, tail = _run(argv, words, dockerfile_path, context_dir, env, on_line, syntax)
        if code != 0 and syntax and frontend_unavailable(tail, syntax):
            warn(fallback_warning(syntax))
            plain = Path(scratch, "Dockerfile")
            plain.write_text(strip_syntax(text), encoding="utf-8")
            code, tail = _run(argv, words, plain, context_dir, env, on_line, "")
        if code != 0:
            error = BuildFailedError(failure_message(tail, text))
            error.log_lines = tail
            raise error
        return Path(iidfile).read_text(encoding="utf-8").strip()


def _inline_cli_env(words: list[str], env: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """Keep build args named like the CLI's own settings (DOCKER_HOST...) out of its env."""
    out: list[str] = []
    kept = dict(env)
    for index, word in enumerate(words):
        previous = words[index - 1] if index else ""
        if previous == "--build-arg" and word in kept and _steers_cli(word):
            out.append(f"{word}={kept.pop(word)}")
        else:
            out.append(word)
    return out, kept


def _steers_cli(name: str) -> bool:
    return name in _CLI_ENV_NAMES or name.startswith(_CLI_ENV_PREFIXES)


def _read_dockerfile(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""  # BuildKit says what is missing


def _run(
    argv: list[str],
    words: list[str],
    dockerfile: Path,
    context_dir: str,
    env: dict[str, str],
    on_line: Callable[[str], None],
    syntax: str,
) -> tuple[int, list[str]]:
    """Run one build; hold back the frontend-resolution lines while a `# syntax=` may fail."""
    tail: list[str] = []
    held: list[str] | None = [] if syntax else None

    def take(line: str) -> None:
        nonlocal held
        tail.append(line)
        del tail[:-TAIL_LINES]
        if held is not None:
            if not _STAGE_STEP_RE.match(line):
                held.append(line)
                return
            for earlier in held:
                emit_line(earlier, on_line)
            held = None
        emit_line(line, on_line)

    full = [*argv, *words, "--file", str(dockerfile), context_dir]
    code = runner.stream(full, on_line=take, env=env)
    if held and not (code != 0 and frontend_unavailable(tail, syntax)):
        for earlier in held:
            emit_line(earlier, on_line)
    return code, tail


def frontend_image(dockerfile_text: str) -> str:
    """Return the image of a `# syntax=` directive at the top of a Dockerfile, or ''."""
    for line in dockerfile_text.splitlines():
        match = _SYNTAX_RE.match(line.strip())
        if match:
            return match.group(1)
        if not _DIRECTIVE_RE.match(line.strip()):
            return ""
    return ""


def strip_syntax(dockerfile_text: str) -> str:
    """Return the Dockerfile with its `# syntax=` directive blanked (line numbers kept)."""
    lines = dockerfile_text.split("\n")
    for index, line in enumerate(lines):
        if _SYNTAX_RE.match(line.strip()):
            lines[index] = ""
            break
        if not _DIRECTIVE_RE.match(line.strip()):
            break
    return "\n".join(lines)


def frontend_unavailable(tail: list[str], syntax: str) -> bool:
    """Tell whether a build failed because its `# syntax=` frontend image could not be had."""
    name = syntax.split("@", 1)[0].split(":", 1)[0]
    for line in tail:
        low = line.lower()
        if name in line and ("resolve" in low or "pull" in low) and "error" in low:
            return True
        if "frontend gateway" in low and "failed" in low:
            return True
    return False


def fallback_warning(syntax: str) -> str:
    """Return the one-line warning of a build that falls back to the built-in frontend."""
    return (
        f"Cannot pull the Dockerfile frontend {syntax} (# syntax= line); "
        "building with the engine's built-in frontend instead"
    )


def failure_message(tail: list[str], dockerfile_text: str) -> str:
    """Return why a build failed, naming a Dockerfile line the engine cannot parse."""
    reason = _last_error(tail)
    parse = _PARSE_ERROR_RE.search(reason)
    if parse:
        return parse_problem(int(parse.group(1)), parse.group(2), dockerfile_text)
    return f"Image build failed: {reason}"


def _last_error(tail: list[str]) -> str:
    for line in reversed(tail):
        step = _STEP_RE.match(line.strip())
        text = step.group(1) if step else line.strip()
        if text.startswith(("ERROR:", "error:")):
            return text.split(":", 1)[1].strip()
        if "failed to solve" in text or "executor failed" in text:
            return text
    return tail[-1].strip() if tail else "the docker build command failed"


def parse_problem(line_no: int, detail: str, dockerfile_text: str) -> str:
    """Explain a Dockerfile parse error: which instruction the host's engine cannot read."""
    lines = dockerfile_text.splitlines()
    number, instruction = _instruction_at(lines, line_no)
    newer = "Docker 23+ (or a # syntax= frontend image, which this host cannot pull)"
    if _HEREDOC_RE.search(instruction):
        what = f"the heredoc in line {number} ({instruction.strip()})"
        return f"This host's Docker engine cannot parse {what}: heredocs need {newer}"
    if "--link" in instruction and "link" in detail.lower():
        what = f"COPY --link in line {number} ({instruction.strip()})"
        return f"This host's Docker engine cannot parse {what}: --link needs {newer}"
    shown = f" ({instruction.strip()})" if instruction.strip() else ""
    return (
        f"This host's Docker engine cannot parse line {number} of the Dockerfile{shown}: "
        f"{detail}; newer Dockerfile syntax needs {newer}"
    )


def _instruction_at(lines: list[str], line_no: int) -> tuple[int, str]:
    """Return (number, text) of the instruction that holds a line (heredoc bodies included)."""
    if not 1 <= line_no <= len(lines):
        return line_no, ""
    for index in range(line_no - 1, -1, -1):
        match = _HEREDOC_RE.search(lines[index])
        if match:
            body = lines[index + 1 : line_no - 1]
            if match.group(1) not in (b.strip() for b in body):
                return index + 1, lines[index]
            break
    return line_no, lines[line_no - 1]
