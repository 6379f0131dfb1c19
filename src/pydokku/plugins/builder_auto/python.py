"""Python apps: requirements.txt, pyproject.toml (pip, uv or poetry), setup.py."""

from __future__ import annotations

import posixpath
import re
import shlex
from pathlib import Path

from pydokku.plugins.builder_auto import plan as p
from pydokku.plugins.builder_auto.stacks import STACKS

MARKERS = ("requirements.txt", "pyproject.toml", "setup.py")
DEFAULT_VERSION = "3.12"
VENV = "/opt/venv"
CA_FILE = "/etc/ssl/certs/ca-certificates.crt"
_INCLUDE_RE = re.compile(r"^(?:-r|-c|--requirement|--constraint)(?:\s+|=)(\S+)")
_LOCAL_PREFIXES = (".", "/", "file:", "~")
_APP_RE = re.compile(r"(?m)^app\s*(?::[^=]+)?=")
WEB_MODULES = ("app", "main", "wsgi", "server", "application")


def detect(source: Path) -> bool:
    """Tell whether the source is a Python app."""
    return bool(p.existing(source, list(MARKERS)))


class Installer:
    """How dependencies get installed: tool, files copied first, and the commands."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        self.setup: list[str] = [f"python3 -m venv {VENV}"]
        self.manifests: list[str] = []
        self.install: list[str] = []
        self.late: list[str] = []  # installs that need the whole source (not cached)
        self.tool_env: dict[str, str] = {}
        self.warnings: list[str] = []


def plan(source: Path, base: p.Base) -> p.BuildPlan:
    """Return the build plan of a Python app."""
    wanted, version_file = requested_version(source)
    if base.offline:
        version = STACKS["python"].version
        image = base.stack("python")
    else:
        version = wanted or DEFAULT_VERSION
        image = f"python:{version}-slim"
    tool = installer(source)
    result = p.BuildPlan(
        "python",
        tool.detail,
        version,
        image,
        stacks=["python"] if base.offline else [],
        env={"PYTHONUNBUFFERED": "1", "VIRTUAL_ENV": VENV, "PATH": f"{VENV}/bin:$PATH"},
        tool_env={
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            "PIP_ROOT_USER_ACTION": "ignore",
            **tool.tool_env,
        },
        ca_env={"PIP_CERT": CA_FILE, "REQUESTS_CA_BUNDLE": CA_FILE, "SSL_CERT_FILE": CA_FILE},
        setup=tool.setup,
        manifests=tool.manifests,
        install=tool.install,
        build=tool.late,
        web=default_web(source),
        warnings=tool.warnings,
        caches=True,  # pip, uv and poetry keep their downloads under /root/.cache
        no_cache_env={"PIP_NO_CACHE_DIR": "1"},
    )
    if base.offline and wanted:
        note = p.offline_version_note("Python", wanted, version, version_file)
        if note:
            result.warnings.append(note)
    return result


def requested_version(source: Path) -> tuple[str, str]:
    """Return the Python version the app asks for and the file saying so ('' if none)."""
    runtime = p.read_text(source, "runtime.txt").strip()
    match = re.match(r"^python-(\d+\.\d+(?:\.\d+)?)$", runtime)
    if match:
        return match.group(1), "runtime.txt"
    for line in p.read_text(source, ".python-version").splitlines():
        line = line.strip()
        if re.match(r"^\d+\.\d+(?:\.\d+)?$", line):
            return line, ".python-version"
    return "", ""


def installer(source: Path) -> Installer:
    """Choose the dependency installer from the lockfiles present."""
    pyproject = p.read_toml(source, "pyproject.toml")
    tool = pyproject.get("tool")
    if p.is_file(source, "uv.lock"):
        return _uv(source, pyproject)
    if p.is_file(source, "poetry.lock") or (isinstance(tool, dict) and "poetry" in tool):
        return _poetry(source)
    if p.is_file(source, "requirements.txt"):
        return _requirements(source)
    if p.is_file(source, "pyproject.toml"):
        return _pyproject(pyproject)
    tool_ = Installer("setup.py, pip")
    tool_.late = ["pip install ."]
    return tool_


def _requirements(source: Path) -> Installer:
    tool = Installer("requirements.txt, pip")
    files, local = requirement_files(source, "requirements.txt")
    if local:
        tool.late = ["pip install -r requirements.txt"]
        tool.warnings.append(
            "requirements.txt installs local paths, so dependencies are installed after the "
            "source is copied and every build reinstalls them"
        )
    else:
        tool.manifests = files
        tool.install = ["pip install -r requirements.txt"]
    return tool


def requirement_files(source: Path, name: str, depth: int = 0) -> tuple[list[str], bool]:
    """Return a requirements file and those it includes, and whether it installs local paths."""
    files, local = [name], False
    for raw in p.read_text(source, name).splitlines():
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()
        include = _INCLUDE_RE.match(line)
        if include:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), include[1]))
            if depth > 5 or target.startswith("../") or not p.is_file(source, target):
                local = True
                continue
            more, more_local = requirement_files(source, target, depth + 1)
            files += [f for f in more if f not in files]
            local = local or more_local
        elif _is_local_requirement(source, line):
            local = True
    return files, local


def _is_local_requirement(source: Path, line: str) -> bool:
    value = re.sub(r"^(?:-e|--editable)(?:\s+|=)", "", line)
    if value.startswith(_LOCAL_PREFIXES) or " @ file:" in value:
        return True
    return bool(value) and not value.startswith("-") and (source / value.split("[")[0]).is_dir()


def _pyproject(pyproject: dict[str, object]) -> Installer:
    tool = Installer("pyproject.toml, pip")
    project = pyproject.get("project")
    project = project if isinstance(project, dict) else {}
    deps = project.get("dependencies")
    dynamic = project.get("dynamic") or []
    if isinstance(deps, list) and "dependencies" not in dynamic:
        if deps:
            tool.install = ["pip install " + " ".join(shlex.quote(str(d)) for d in deps)]
    else:
        tool.late = ["pip install ."]
    return tool


def _uv(source: Path, pyproject: dict[str, object]) -> Installer:
    tool = Installer("pyproject.toml, uv.lock, uv")
    tool.setup.append("python3 -m venv /opt/uv && /opt/uv/bin/pip install uv")
    tool.manifests = ["pyproject.toml", "uv.lock"]
    tool.install = ["/opt/uv/bin/uv sync --frozen --no-dev --no-install-project"]
    if _packaged(pyproject):
        tool.late = ["/opt/uv/bin/uv sync --frozen --no-dev"]
    tool.tool_env = {
        "UV_PROJECT_ENVIRONMENT": VENV,
        "UV_PYTHON": f"{VENV}/bin/python",
        "UV_PYTHON_DOWNLOADS": "never",
        "UV_NO_CACHE": "1",
        "UV_LINK_MODE": "copy",
        "UV_NO_PROGRESS": "1",
    }
    return tool


def _packaged(pyproject: dict[str, object]) -> bool:
    tool = pyproject.get("tool")
    uv = tool.get("uv") if isinstance(tool, dict) else None
    if isinstance(uv, dict) and "package" in uv:
        return bool(uv["package"])
    return "build-system" in pyproject


def _poetry(source: Path) -> Installer:
    locked = p.is_file(source, "poetry.lock")
    tool = Installer("pyproject.toml, poetry.lock, poetry" if locked else "pyproject.toml, poetry")
    tool.setup.append("python3 -m venv /opt/poetry && /opt/poetry/bin/pip install poetry")
    tool.manifests = p.existing(source, ["pyproject.toml", "poetry.lock"])
    tool.install = ["/opt/poetry/bin/poetry install --only main --no-root --no-ansi"]
    tool.tool_env = {"POETRY_VIRTUALENVS_CREATE": "false", "POETRY_NO_INTERACTION": "1"}
    if not locked:
        tool.warnings.append("no poetry.lock: dependency versions may change between builds")
    return tool


def _dependency_text(source: Path) -> str:
    names = ["requirements.txt", "pyproject.toml", "setup.py", "setup.cfg"]
    return "\n".join(p.read_text(source, n) for n in names).lower()


def default_web(source: Path) -> str:
    """Return the default web command of a Python app ('' when there is no obvious one)."""
    deps = _dependency_text(source)
    gunicorn = re.search(r"\bgunicorn\b", deps) is not None
    uvicorn = re.search(r"\buvicorn\b", deps) is not None
    if p.is_file(source, "manage.py"):
        wsgi = sorted(x.parent.name for x in source.glob("*/wsgi.py"))
        if gunicorn and wsgi:
            return f"gunicorn {wsgi[0]}.wsgi --bind 0.0.0.0:$PORT"
        return "python manage.py runserver 0.0.0.0:$PORT"
    for module in WEB_MODULES:
        text = p.read_text(source, f"{module}.py")
        if not text:
            continue
        if gunicorn and _APP_RE.search(text):
            return f"gunicorn {module}:app --bind 0.0.0.0:$PORT"
        if uvicorn and _APP_RE.search(text):
            return f"uvicorn {module}:app --host 0.0.0.0 --port $PORT"
        return f"python {module}.py"
    return ""
