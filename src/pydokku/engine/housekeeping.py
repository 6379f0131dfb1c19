"""The Docker engine adapter, part three: queries and removals for `cleanup` and `repo:*`.

Re-exported by `pydokku.engine`; call these through that module.
"""

from __future__ import annotations

import pydokku.engine as core
from pydokku.errors import DokkuError

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from typing import Any


def _label_filters(labels: dict[str, str]) -> list[str]:
    return [f"{k}={v}" if v else k for k, v in labels.items()]


def labelled_containers(
    labels: dict[str, str], statuses: tuple[str, ...] = ()
) -> list[core.ContainerInfo]:
    """Return the containers carrying all `labels`, optionally only in some statuses."""
    filters: dict[str, Any] = {"label": _label_filters(labels)}
    if statuses:
        filters["status"] = list(statuses)
    found = core.client().containers.list(all=True, filters=filters)
    return [core.ContainerInfo(c) for c in found]


def dangling_images(labels: dict[str, str]) -> list[str]:
    """Return the ids of untagged images (`<none>`) carrying all `labels`."""
    filters = {"dangling": True, "label": _label_filters(labels)}
    return [str(img.id) for img in core.client().images.list(filters=filters)]


def remove_unused_image(image_id: str) -> bool:
    """Remove an image unless a container still uses it; return whether it went."""
    errors = core._errors()
    try:
        core.client().images.remove(image_id, force=False, noprune=False)
    except errors.ImageNotFound:
        return False
    except errors.APIError:
        return False  # in use by a container (409): it stays
    return True


def remove_volume(name: str) -> bool:
    """Remove a named volume if it exists and no container uses it; return whether it went."""
    errors = core._errors()
    try:
        core.client().volumes.get(name).remove()
    except errors.NotFound:
        return False
    except errors.APIError as exc:
        raise DokkuError(f"Cannot remove volume {name}: {exc.explanation or exc}") from exc
    return True
