"""What the practices of steps 1-3 share (and the calm screen's repair phrases):
``FeelingsPractice``, a ``SectionedPractice`` whose forms are ``FeelingsForm`` s.

The lists, keys and forms are those of ``app.tui.practices.sections`` (n new,
e or Enter edit, x delete, s share), so every step's lists work alike. Here a
section's form may also hold a feelings picker (a ``FormField`` of kind
``"feeling"``) and show a live preview (``preview``); see ``FeelingsForm``.
Its styles: styles/practices/feelings_practice.tcss.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from app.domain.models import RecordModel
from app.tui.practices.entry_section import Section, View
from app.tui.practices.sections import SectionedPractice
from app.tui.screens.feelings_form import FeelingsForm, Preview
from app.tui.screens.practice_form import PracticeForm

Convert = Callable[[dict[str, Any]], dict[str, Any]]


def blank_to_none(*names: str) -> Convert:
    """A ``Section.convert`` that turns empty answers to optional fields (a year) into None."""

    def convert(values: dict[str, Any]) -> dict[str, Any]:
        return {
            name: (None if name in names and isinstance(value, str) and not value.strip() else value)
            for name, value in values.items()
        }

    return convert


def short(text: str, width: int = 60) -> str:
    """``text`` on one line, cut to ``width`` with an ellipsis."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"


def private_count(view: View, entries: list[RecordModel]) -> int:
    return sum(1 for entry in entries if entry.id in view.private)


class FeelingsPractice(SectionedPractice):
    """A ``SectionedPractice`` whose forms are ``FeelingsForm`` s."""

    FORM: ClassVar[type[PracticeForm]] = FeelingsForm

    def preview(self, section: Section) -> Preview | None:
        """What the form for that section shows live under its fields (None: nothing)."""
        return None

    def form_options(self, section: Section) -> dict[str, Any]:
        return {"preview": self.preview(section)}
