"""The auto builder's output filter: the platform's own build steps fold into one line."""

from __future__ import annotations

import pytest

from pydokku.plugins.builder_auto.progress import UserSteps

LINES = [
    "#1 [internal] load build definition from Dockerfile.pydokku",
    "#1 DONE 0.0s",
    '#5 [2/4] RUN if [ -n "${PYDOKKU_CA_CERTS}" ]; then mkdir -p /usr/local/share/x && ...',
    "#5 0.210 Updating certificates",
    "#5 DONE 0.4s",
    "#6 [3/4] RUN pip install -r requirements.txt",
    "#6 1.02 Collecting flask",
    "#6 DONE 2.1s",
]


def run(monkeypatch: pytest.MonkeyPatch, trace: bool) -> list[str]:
    if trace:
        monkeypatch.setenv("DOKKU_TRACE", "1")
    else:
        monkeypatch.delenv("DOKKU_TRACE", raising=False)
    seen: list[str] = []
    steps = UserSteps(seen.append, {"PYDOKKU_CA_CERTS": "the host's CA certificates"})
    for line in LINES:
        steps(line)
    return seen


def test_internal_steps_fold_into_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(monkeypatch, trace=False) == [
        LINES[0],
        LINES[1],
        "#5 [2/4] (the host's CA certificates; --trace shows it)",
        *LINES[5:],
    ]


def test_trace_shows_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(monkeypatch, trace=True) == LINES
