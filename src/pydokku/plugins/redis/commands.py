"""redis:* commands, built from the Redis service description."""

from __future__ import annotations

from pydokku.plugins.redis import SERVICE
from pydokku.services.commands import build_namespace

NAMESPACES = [build_namespace(SERVICE)]
