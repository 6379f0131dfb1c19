"""Node.js apps: package.json; npm, yarn or pnpm chosen by lockfile."""

from __future__ import annotations

import re
from pathlib import Path

from pydokku.plugins.builder_auto import plan as p
from pydokku.plugins.builder_auto.stacks import STACKS

DEFAULT_MAJOR = "22"
EXTRA_CA = "/usr/local/share/ca-certificates/pydokku/host.pem"
# Lockfile -> package manager, in the order they are preferred when several exist.
LOCKFILES = (
    ("pnpm-lock.yaml", "pnpm"),
    ("yarn.lock", "yarn"),
    ("package-lock.json", "npm"),
    ("npm-shrinkwrap.json", "npm"),
)
ENTRY_FILES = ("server.js", "index.js", "app.js", "main.js")


def detect(source: Path) -> bool:
    """Tell whether the source is a Node.js app."""
    return p.is_file(source, "package.json")


def plan(source: Path, base: p.Base) -> p.BuildPlan:
    """Return the build plan of a Node.js app."""
    pkg = p.read_json(source, "package.json")
    scripts = _object(pkg, "scripts")
    wanted = str(_object(pkg, "engines").get("node") or "")
    if base.offline:
        version = STACKS["node"].version
        image = base.stack("node")
    else:
        version = registry_major(wanted)
        image = f"node:{version}-slim"
    manager, lockfile, warnings = package_manager(source, pkg)
    builds = "build" in scripts
    result = p.BuildPlan(
        "node",
        ", ".join(x for x in ("package.json", lockfile, manager) if x),
        version,
        image,
        stacks=["node"] if base.offline else [],
        env={"NODE_ENV": "production"},
        tool_env={
            "NPM_CONFIG_UPDATE_NOTIFIER": "false",
            "NPM_CONFIG_FUND": "false",
            "NPM_CONFIG_AUDIT": "false",
        },
        ca_env={"NODE_EXTRA_CA_CERTS": EXTRA_CA},
        warnings=warnings,
        web=default_web(source, pkg, scripts),
    )
    _fill(result, source, pkg, manager, lockfile, builds)
    if base.offline and wanted and not satisfies(wanted, version):
        result.warnings.append(
            f"package.json engines.node is {wanted!r}, but no registry is reachable and the "
            f"offline stack has Node.js {version} (Debian); building with {version}"
        )
    return result


def package_manager(source: Path, pkg: dict[str, object]) -> tuple[str, str, list[str]]:
    """Return (manager, lockfile, warnings): the lockfile decides, packageManager breaks ties."""
    present = [(name, tool) for name, tool in LOCKFILES if p.is_file(source, name)]
    declared = str(pkg.get("packageManager") or "").split("@")[0]
    if not present:
        return "npm", "", ["no lockfile: dependency versions may change between builds"]
    chosen = next((x for x in present if x[1] == declared), present[0])
    warnings = []
    if len({tool for _, tool in present}) > 1:
        names = ", ".join(name for name, _ in present)
        warnings.append(f"several lockfiles ({names}); using {chosen[0]}")
    return chosen[1], chosen[0], warnings


def _fill(
    result: p.BuildPlan,
    source: Path,
    pkg: dict[str, object],
    manager: str,
    lockfile: str,
    builds: bool,
) -> None:
    pinned = _pinned_version(pkg, manager)
    extra = p.existing(source, [".npmrc"])
    # devDependencies are needed by the build script; NODE_ENV=production would skip them.
    dev = "NODE_ENV=development " if builds else ""
    if manager == "npm":
        result.manifests = ["package.json", *([lockfile] if lockfile else []), *extra]
        result.install = [f"{dev}npm {'ci' if lockfile else 'install'}"]
    elif manager == "pnpm":
        major = pinned or _pnpm_for_lockfile(p.read_text(source, lockfile))
        result.setup = [f"npm install -g pnpm@{major}"]
        workspace = p.existing(source, ["pnpm-workspace.yaml"])
        result.manifests = ["package.json", lockfile, *workspace, *extra]
        result.install = [f"{dev}pnpm install --frozen-lockfile"]
    elif "__metadata:" in p.read_text(source, lockfile):  # yarn 2+ (berry)
        result.detail = f"{result.detail} berry"
        result.setup = [f"npm install -g --force @yarnpkg/cli-dist@{pinned or '4'}"]
        yarn_dir = sorted(
            str(f.relative_to(source))
            for sub in ("releases", "plugins")
            for f in (source / ".yarn" / sub).rglob("*")
            if f.is_file()
        )
        yarnrc = p.existing(source, [".yarnrc.yml"])
        result.manifests = ["package.json", lockfile, *yarnrc, *yarn_dir, *extra]
        result.install = ["yarn install --immutable"]
    else:
        result.setup = [f"npm install -g --force yarn@{pinned or '1'}"]
        yarnrc = p.existing(source, [".yarnrc"])
        result.manifests = ["package.json", lockfile, *yarnrc, *extra]
        result.install = [f"{dev}yarn install --frozen-lockfile"]
    if builds:
        result.build = [f"{manager} run build"]
    result.caches = True
    result.cache_env = {"NPM_CONFIG_CACHE": f"{p.CACHE_DIR}/npm", **_cache_dirs(result.detail)}


def _cache_dirs(detail: str) -> dict[str, str]:
    """Return the settings that put the package manager's download cache in the mount."""
    if "pnpm" in detail:
        return {"npm_config_store_dir": f"{p.CACHE_DIR}/pnpm-store"}
    if "berry" in detail:
        return {"YARN_GLOBAL_FOLDER": f"{p.CACHE_DIR}/yarn-berry"}
    if "yarn" in detail:
        return {"YARN_CACHE_FOLDER": f"{p.CACHE_DIR}/yarn"}
    return {}


def _object(pkg: dict[str, object], key: str) -> dict[str, object]:
    value = pkg.get(key)
    return value if isinstance(value, dict) else {}


def _pinned_version(pkg: dict[str, object], manager: str) -> str:
    """Return the version `packageManager` pins for the chosen manager ('' if none)."""
    name, _, version = str(pkg.get("packageManager") or "").partition("@")
    version = version.split("+")[0]
    return version if name == manager and re.match(r"^[0-9][0-9A-Za-z.-]*$", version) else ""


def _pnpm_for_lockfile(text: str) -> str:
    """Return the pnpm major version that writes a lockfile of that format."""
    match = re.search(r"lockfileVersion:\s*'?(\d+)", text)
    major = int(match.group(1)) if match else 9
    return "9" if major >= 9 else "8" if major == 6 else "7"


def registry_major(wanted: str) -> str:
    """Return the Node.js major version for official images (`20.x` -> 20, `>=18` -> default)."""
    spec = wanted.strip()
    match = re.search(r"\d+", spec)
    if not match or spec.startswith(">") or "||" in spec:
        return DEFAULT_MAJOR
    return match.group(0)


def satisfies(wanted: str, have: str) -> bool:
    """Tell (roughly) whether Node.js major `have` satisfies an engines range."""
    spec = wanted.strip()
    majors = [int(m) for m in re.findall(r"(?:^|[\s|=<>^~v])(\d+)", spec)]
    if not majors or spec in ("*", "latest"):
        return True
    if spec.startswith(">"):
        return int(have) >= majors[0]
    return int(have) in majors


def default_web(source: Path, pkg: dict[str, object], scripts: dict[str, object]) -> str:
    """Return the default web command: `npm start`, else a server file run with node."""
    if "start" in scripts:
        return "npm start"
    main = str(pkg.get("main") or "")
    for name in (*ENTRY_FILES, main):
        if name and p.is_file(source, name):
            return f"node {name}"
    return ""
