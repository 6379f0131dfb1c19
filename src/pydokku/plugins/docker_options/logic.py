"""Stored docker options: one list per (process type, phase), checked before they are stored.

Options are kept as Dokku keeps them: one string per flag, in the `_default_` scope
(every container of the phase) or, for the deploy phase only, per process type.
"""

from __future__ import annotations

import json
import re

from pydokku import properties, state
from pydokku.dockerargs import PHASES, translate, words
from pydokku.errors import DokkuError
from pydokku.plugins.apps.logic import require_app

PLUGIN = "docker-options"
DEFAULT_PROCESS = "_default_"
_PROCESS_RE = re.compile(r"^[A-Za-z0-9_-]+$")


def parse_phases(text: str) -> list[str]:
    """Parse a comma-separated phase list (`deploy,run`)."""
    phases = list(text.split(",")) if text else []
    if not phases or any(p not in PHASES for p in phases):
        raise DokkuError(f"Phase(s) must be one of [{' '.join(PHASES)}]")
    return list(dict.fromkeys(phases))


def check_processes(processes: list[str], phases: list[str]) -> None:
    """Refuse bad `--process` values and process scoping outside the deploy phase."""
    for process in processes:
        if process == DEFAULT_PROCESS:
            raise DokkuError(f"{DEFAULT_PROCESS!r} is reserved and cannot be used as --process")
        if not _PROCESS_RE.match(process):
            raise DokkuError(f"Invalid process type {process!r}")
    if processes:
        for phase in phases:
            if phase != "deploy":
                raise DokkuError(f"--process is only supported for the deploy phase, got {phase!r}")


def lift_processes(option_words: list[str]) -> tuple[str, list[str]]:
    """Take `--process P` out of the option words (typed after the app); return the rest."""
    rest: list[str] = []
    processes: list[str] = []
    items = iter(option_words)
    for word in items:
        if word == "--process":
            processes.append(next(items, ""))
        elif word.startswith("--process="):
            processes.append(word.removeprefix("--process="))
        else:
            rest.append(word)
    if "" in processes:
        raise DokkuError("--process requires a value")
    return " ".join(rest), processes


def stored(app: str, process: str, phase: str) -> list[str]:
    """Return the options stored for a process type (or `_default_`) and phase."""
    raw = properties.get(PLUGIN, app, _key(process, phase))
    return list(json.loads(raw)) if raw else []


def _key(process: str, phase: str) -> str:
    return f"{process or DEFAULT_PROCESS}.{phase}"


def _write(app: str, changes: dict[str, list[str]]) -> None:
    with state.transaction() as conn:
        for key, options in changes.items():
            properties.store(conn, PLUGIN, app, key, json.dumps(options) if options else None)


def _split(text: str, phases: list[str]) -> list[str]:
    """Check option text against every phase; return one stored string per flag."""
    if not text.strip():
        raise DokkuError("Please specify docker options")
    found: list[str] = []
    for phase in phases:
        found = translate.check(phase, text)
    return found


def add(app: str, processes: list[str], phases_text: str, text: str) -> list[str]:
    """Add options to phases (of process types); nothing is stored unless all are valid."""
    require_app(app)
    phases = parse_phases(phases_text)
    check_processes(processes, phases)
    options = _split(text, phases)
    changes = {}
    for process in processes or [DEFAULT_PROCESS]:
        for phase in phases:
            current = stored(app, process, phase)
            changes[_key(process, phase)] = sorted(
                current + [o for o in options if not _contains(current, o)]
            )
    _write(app, changes)
    return options


def _contains(options: list[str], option: str) -> bool:
    wanted = words.split_options(option)
    return any(words.split_options(o) == wanted for o in options)


def remove(app: str, processes: list[str], phases_text: str, text: str) -> None:
    """Remove options (matched word by word, however they were quoted) from phases."""
    require_app(app)
    phases = parse_phases(phases_text)
    check_processes(processes, phases)
    if not text.strip():
        raise DokkuError("Please specify docker options to remove")
    gone = [words.split_options(words.join_option(g)) for g in words.split_options(text)]
    changes = {}
    for process in processes or [DEFAULT_PROCESS]:
        for phase in phases:
            kept = [o for o in stored(app, process, phase) if words.split_options(o) not in gone]
            changes[_key(process, phase)] = kept
    _write(app, changes)


def clear(app: str, processes: list[str], phases_text: str) -> list[tuple[str, str]]:
    """Clear options of some phases (all of them by default); return the (process, phase)s."""
    require_app(app)
    default_phases = ["deploy"] if processes else list(PHASES)
    phases = parse_phases(phases_text) if phases_text else default_phases
    check_processes(processes, phases)
    cleared = [(p, phase) for p in processes or [DEFAULT_PROCESS] for phase in phases]
    _write(app, {_key(p, phase): [] for p, phase in cleared})
    return cleared


def list_options(app: str, process: str, phase: str) -> list[str]:
    """Return the options of one process type (or the default scope) and phase."""
    require_app(app)
    if not phase:
        raise DokkuError("--phase is required")
    if phase not in PHASES:
        raise DokkuError(f"Phase must be one of [{' '.join(PHASES)}]")
    if process:
        check_processes([process], [phase])
    return stored(app, process, phase)


def scoped_processes(app: str) -> list[str]:
    """Return the process types that have options of their own."""
    keys = properties.all_for(PLUGIN, app)
    found = {k.rsplit(".", 1)[0] for k in keys if k.endswith(".deploy")}
    return sorted(found - {DEFAULT_PROCESS})


def effective(app: str, phase: str, process: str | None) -> list[str]:
    """Return the options a container of a phase gets: default scope, then its process's."""
    options = stored(app, DEFAULT_PROCESS, phase)
    if phase == "deploy" and process:
        options += stored(app, process, phase)
    return options


def report_lists(app: str) -> dict[str, list[str]]:
    """Return every report key with its option list (`deploy`, `deploy.web`, ...)."""
    lists = {phase: stored(app, DEFAULT_PROCESS, phase) for phase in PHASES}
    for process in scoped_processes(app):
        lists[f"deploy.{process}"] = stored(app, process, "deploy")
    return lists
