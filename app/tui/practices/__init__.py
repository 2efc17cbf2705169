"""Each step's guided practice: one widget a step, in its own module.

A practice reads what it shows from the store (``self.kintsugi.store``,
``entries(Model, viewer=app.acting)``) and never writes: it posts
``SaveEntry`` / ``DeleteEntry`` / ``ShareEntry`` / ``UnshareEntry`` (app/tui/messages.py), which
the StepScreen turns into one store call as the partner writing now. It
re-reads in ``refresh_entries()``, called when it is first shown and whenever
the store changes or the writer switches.

``PRACTICES`` maps a step number to its widget class; a step without one
shows its practice sentence only.
"""

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


PRACTICES: dict[int, type[Practice]] = {}


def practice(cls: type[Practice]) -> type[Practice]:
    """Class decorator: register a practice widget for its STEP."""
    PRACTICES[cls.STEP] = cls
    return cls


from app.tui.practices import support  # noqa: E402, F401, I001  (I001: each practice adds a line)
from app.tui.practices import trust  # noqa: E402, F401
from app.tui.practices import kindness  # noqa: E402, F401
from app.tui.practices import patterns  # noqa: E402, F401
from app.tui.practices import wounds  # noqa: E402, F401
from app.tui.practices import origins  # noqa: E402, F401
from app.tui.practices import openly  # noqa: E402, F401
from app.tui.practices import present  # noqa: E402, F401
from app.tui.practices import celebrate  # noqa: E402, F401
