"""How a line run by a shell (sshd's forced command, a git hook) calls this `dokku` again.

Those lines are the one place a shell reads words pydokku writes, so every word
is checked against a strict character set: no quoting is ever needed or trusted.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

from pydokku.errors import DokkuError

SAFE_PATH_RE = re.compile(r"^/[A-Za-z0-9/._+-]*\Z")
ROOT_VALUE_RE = re.compile(r"^[A-Za-z0-9/._-]+\Z")
SAFE_WORD_RE = re.compile(r"^[A-Za-z0-9/._+=:@-]+\Z")
ROOT_VARS = ("DOKKU_ROOT", "DOKKU_LIB_ROOT")


def dokku_command() -> list[str]:
    """Return the words that run this `dokku`: DOKKU_BIN, `dokku` on PATH, else this program."""
    explicit = os.environ.get("DOKKU_BIN")
    if explicit:
        words = [os.path.abspath(explicit)]
    elif found := shutil.which("dokku"):
        words = [os.path.abspath(found)]
    else:
        program = Path(sys.argv[0]).resolve()
        if program.name == "__main__.py":  # started as `python -m pydokku`
            words = [os.path.abspath(sys.executable), "-m", "pydokku"]
        else:
            words = [str(program)]
    if not SAFE_PATH_RE.match(words[0]):
        raise DokkuError(
            f"The dokku program path {words[0]!r} has characters unsafe in a shell line; "
            "set DOKKU_BIN to a plain path"
        )
    return require_safe(words)


def root_env() -> list[tuple[str, str]]:
    """Return the DOKKU_ROOT / DOKKU_LIB_ROOT values set in this environment, checked."""
    found = []
    for name in ROOT_VARS:
        value = os.environ.get(name)
        if not value:
            continue
        if not ROOT_VALUE_RE.match(value):
            raise DokkuError(
                f"{name}={value!r} has characters unsafe in a shell line; "
                "use letters, digits, '/', '.', '_' and '-' only"
            )
        found.append((name, value))
    return found


def require_safe(words: list[str]) -> list[str]:
    """Return `words` if none holds a character a shell would interpret, else raise."""
    for word in words:
        if not SAFE_WORD_RE.match(word):
            raise DokkuError(f"Refusing to write {word!r} into a shell line")
    return words
