"""What the tests read back: the terminal's text and the couple's file on disk."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.tui.app import KintsugiApp

WIDE = (120, 40)
SMALL = (80, 24)


def screen_text(app: KintsugiApp) -> str:
    """Every line the terminal shows right now, as plain text."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def records(db_path: Path, kind: str) -> list[dict[str, Any]]:
    """The live records of one kind in the couple's file on disk (their fields)."""
    data = json.loads(db_path.read_text(encoding="utf-8"))
    return [raw["fields"] for raw in data.get(kind, {}).values() if not raw["fields"].get("deleted")]
