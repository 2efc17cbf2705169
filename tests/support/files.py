"""What the tests read back from disk: the couple's file and this machine's local file."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def raw(db_path: Path, kind: str) -> dict[str, dict[str, Any]]:
    """Every record of one kind in the couple's file, tombstones too (id -> raw record)."""
    return json.loads(db_path.read_text(encoding="utf-8")).get(kind, {})


def records(db_path: Path, kind: str) -> list[dict[str, Any]]:
    """The live records of one kind in the couple's file on disk (their fields)."""
    return [record["fields"] for record in raw(db_path, kind).values() if not record["fields"].get("deleted")]


def local_text() -> str:
    """This machine's local file, where private entries and preferences live."""
    return Path(os.environ["KINTSUGI_LOCAL"]).read_text(encoding="utf-8")


def local_private(kind: str) -> dict[str, dict[str, Any]]:
    """This machine's private records of one kind, whatever the couple's file id."""
    data = json.loads(local_text())
    found: dict[str, dict[str, Any]] = {}
    for entry in data.get("files", {}).values():
        found.update(entry.get("private", {}).get(kind, {}))
    return found
