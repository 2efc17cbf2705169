"""Messages screens post up to the App."""

from __future__ import annotations

from textual.message import Message


class OpenStep(Message):
    """Show this step (1-9) in the steps mode."""

    def __init__(self, step: int) -> None:
        super().__init__()
        self.step = step


class Saved(Message):
    """A screen wrote to the couple's store: every screen should re-read what it shows."""
