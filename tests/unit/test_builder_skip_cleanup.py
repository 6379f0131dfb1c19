"""builder:set skip-cleanup: the post-deploy prune is skipped, as Dokku skips its cleanup."""

from __future__ import annotations

from pathlib import Path

import pytest

from pydokku import properties
from pydokku.plugins.builder.commands import BUILDER_SETTINGS
from pydokku.plugins.releases import hooks, logic
from pydokku.release import Release
from pydokku.validation import GLOBAL_SCOPE


@pytest.mark.parametrize(
    ("app_value", "global_value", "pruned"),
    [("", "", True), ("true", "", False), ("", "true", False), ("false", "true", True)],
)
def test_post_deploy_prunes_unless_skip_cleanup(
    store: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    app_value: str,
    global_value: str,
    pruned: bool,
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(logic, "prune", lambda app: calls.append(app) or [])
    from pydokku import state

    with state.transaction() as conn:
        conn.execute("INSERT INTO apps (name, created_at) VALUES ('web', ?)", (state.now(),))
    properties.set_value(BUILDER_SETTINGS, "builder", "web", "skip-cleanup", app_value)
    properties.set_value(BUILDER_SETTINGS, "builder", GLOBAL_SCOPE, "skip-cleanup", global_value)
    hooks.post_deploy(Release("web"))
    assert calls == (["web"] if pruned else [])
    skipped = "-----> DOKKU_SKIP_CLEANUP set. Skipping dokku cleanup\n"
    assert capsys.readouterr().out == ("" if pruned else skipped)
