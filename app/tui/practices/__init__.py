"""Each step's guided practice: one widget a step, in its own module.

A practice reads what it shows from the store (``self.kintsugi.store``,
``entries(Model, viewer=app.acting)``) and never writes: it posts
``SaveEntry`` / ``DeleteEntry`` / ``ShareEntry`` (app/tui/messages.py), which
the StepScreen turns into one store call as the partner writing now. It
re-reads in ``refresh_entries()``, called when it is first shown and whenever
the store changes or the writer switches.

``PRACTICES`` maps a step number to its widget class; a step without one
shows its practice sentence only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.widget import Widget

if TYPE_CHECKING:
    from app.tui.app import KintsugiApp


class Practice(Widget):
    """Base for a step's practice widget."""

    DEFAULT_CSS = """
    Practice {
        height: auto;
    }
    """
    STEP: ClassVar[int]

    @property
    def kintsugi(self) -> KintsugiApp:
        return cast("KintsugiApp", self.app)

    def refresh_entries(self) -> None:
        """Re-read what this practice shows from the store."""


PRACTICES: dict[int, type[Practice]] = {}


def practice(cls: type[Practice]) -> type[Practice]:
    """Class decorator: register a practice widget for its STEP."""
    PRACTICES[cls.STEP] = cls
    return cls
