"""The base of a step's practice widget (see ``app.tui.practices``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.widget import Widget

from app.tui.base import UsesKintsugi


class Practice(UsesKintsugi, Widget):
    """Base for a step's practice widget."""

    DEFAULT_CSS = """
    Practice {
        height: auto;
    }
    """
    STEP: ClassVar[int]

    def refresh_entries(self) -> None:
        """Re-read what this practice shows from the store."""

    def commands(self) -> list[tuple[str, Callable[[], object], str]]:
        """(title, callback, help) for the command palette while this practice is shown."""
        return []

    def focus_first(self) -> None:
        """Put the keyboard in this practice (the Practice tab was opened): its first focusable widget."""
        for widget in self.query("*"):
            if widget.focusable:
                widget.focus()
                return
