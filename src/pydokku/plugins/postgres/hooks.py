"""Hook implementations of the postgres plugin (shared with every datastore)."""

from __future__ import annotations

from pydokku.plugins.postgres import SERVICE
from pydokku.services.hooks import ServiceHooks

_hooks = ServiceHooks(SERVICE)
pre_start = _hooks.pre_start
post_app_clone_setup = _hooks.post_app_clone_setup
report = _hooks.report
