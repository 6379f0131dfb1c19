"""docs/ must stay true: every command and every hook is documented."""

import importlib.util
import inspect
from pathlib import Path

from pydokku import hookspecs

ROOT = Path(__file__).resolve().parents[2]


def load_generator():
    spec = importlib.util.spec_from_file_location("gen", ROOT / "scripts" / "gen_command_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_command_docs_are_current():
    expected = load_generator().render()
    actual = (ROOT / "docs" / "commands.md").read_text()
    assert actual == expected, "run: .venv/bin/python scripts/gen_command_docs.py"


def test_every_hook_is_documented():
    text = (ROOT / "docs" / "hooks.md").read_text()
    names = [
        n
        for n, f in inspect.getmembers(hookspecs, inspect.isfunction)
        if hasattr(f, "pydokku_spec")
    ]
    assert names, "no hookspecs found"
    missing = [n for n in names if f"`{n}`" not in text]
    assert missing == []
