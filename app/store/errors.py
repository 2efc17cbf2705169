"""What the store tells the couple when something is wrong with a file: one sentence."""

from __future__ import annotations

from typing import Any

from app.domain.text import printable


class StoreError(Exception):
    """Something the couple should be told about the file, in one sentence.

    ``reason`` names the sentence in content/ui.toml ([errors]); ``detail``
    fills its placeholders. A sentence may quote the file (an id, a path), so its
    control characters are written out: it is safe to show as it is.
    """

    def __init__(self, reason: str, message: str, **detail: Any) -> None:
        super().__init__(printable(message))
        self.reason = reason
        self.detail = detail
