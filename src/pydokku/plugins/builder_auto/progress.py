"""Build output of generated Dockerfiles: the user's own steps, not the platform's.

The auto builder adds steps of its own (the host's CA certificates, as one long `RUN`).
BuildKit's plain progress numbers each step (`#7 [2/9] RUN ...`, then `#7 0.12 ...`,
`#7 DONE 0.3s`); the lines of a step whose header names an internal marker are folded
into one short line, unless trace mode is on.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

STEP_RE = re.compile(r"^#(\d+) ")
HEADER_RE = re.compile(r"^#(\d+) \[[^\]]*\] ")


class UserSteps:
    """An `on_line` filter hiding the build steps whose header holds one of `markers`."""

    def __init__(self, on_line: Callable[[str], None], markers: dict[str, str]) -> None:
        self.on_line = on_line
        self.markers = markers  # marker text -> what the folded line says the step does
        self.hidden: set[str] = set()
        self.show_all = bool(os.environ.get("DOKKU_TRACE"))

    def __call__(self, line: str) -> None:
        """Pass a line on, unless it belongs to an internal step."""
        if self.show_all:
            self.on_line(line)
            return
        step = STEP_RE.match(line)
        if step and step.group(1) in self.hidden:
            return
        header = HEADER_RE.match(line)
        if header:
            for marker, summary in self.markers.items():
                if marker in line:
                    self.hidden.add(header.group(1))
                    self.on_line(f"{line[: header.end()]}({summary}; --trace shows it)")
                    return
        self.on_line(line)
