"""Bringing files written by an older Kintsugi up to the current format.

``MIGRATIONS[n]`` turns a file of format ``n`` into format ``n + 1`` (a pure
function on the parsed data). The storage backs the file up before it writes
a migrated version. A migration must be idempotent (running it on data that
already has its changes changes nothing) and deterministic: it rewrites values
without new clock stamps, so two copies migrated on two machines agree, and
a partner's old copy is migrated before it is merged. Format 1 is the first, so the
table is empty today; the machinery is tested with a migration of the tests'
own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.domain.models import SCHEMA_VERSION

Data = dict[str, Any]
MIGRATIONS: dict[int, Callable[[Data], Data]] = {}


def version_of(data: Data) -> int:
    return data["_meta"]["file"]["schema_version"]


def migrate(data: Data, current: int | None = None) -> Data:
    """``data`` brought to the current format (unchanged if it already is)."""
    current = SCHEMA_VERSION if current is None else current
    while version_of(data) < current:
        step = MIGRATIONS[version_of(data)]
        data = step(data)
        data = {
            **data,
            "_meta": {
                **data["_meta"],
                "file": {**data["_meta"]["file"], "schema_version": version_of(data) + 1},
            },
        }
    return data
