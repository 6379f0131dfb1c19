"""postgres:* commands, built from the Postgres service description."""

from __future__ import annotations

from pydokku.plugins.postgres import SERVICE
from pydokku.services.commands import build_namespace

NAMESPACES = [build_namespace(SERVICE)]
