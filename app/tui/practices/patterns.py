"""Step 7, Break unhealthy patterns: the loops we fall into, each partner's boundaries, time for myself.

The pattern log is shared and either of you may change it. Boundaries and
time-for-myself wishes belong to the partner who wrote them: each sees the
other's (writer's own first), and only the author changes or deletes theirs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from app.domain.models import NAME_MAX, TITLE_MAX
from app.domain.practices.patterns import Boundary, Pattern, SpaceWish
from app.tui.practices.entry_section import Section, View, byline, labelled
from app.tui.practices.sections import SectionedPractice
from app.tui.screens.practice_form import FormField
from app.tui.screens.repair import repair_invitation
from app.tui.widgets.safe import safe_text


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


class PatternsPractice(SectionedPractice):
    STEP: ClassVar[int] = 7
    TABLE: ClassVar[str] = "practice_patterns"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("r", "repair", id="repair_open")]  # repair conversations

    def build_sections(self) -> list[Section]:
        return [
            Section("patterns", Pattern, self.TABLE, self._pattern, self._pattern_form),
            Section(
                "boundaries",
                Boundary,
                self.TABLE,
                self._boundary,
                self._boundary_form,
                own_only=True,
                by_author=True,
            ),
            Section(
                "space",
                SpaceWish,
                self.TABLE,
                self._wish,
                self._wish_form,
                own_only=True,
                by_author=True,
                spaced=False,
            ),
        ]

    def compose_top(self) -> ComposeResult:
        yield Static(Text(self.words("intro")), classes="practice-summary")
        yield Static(repair_invitation(self.kintsugi.content), classes="practice-note repair-invitation")

    def action_repair(self) -> None:
        """After a hurt or a fight: the couple's repair conversations (app/tui/screens/repair.py)."""
        self.kintsugi.action_repair()

    # -- how entries look -----------------------------------------------------------------

    def _pattern(self, pattern: Pattern, view: View) -> RenderableType:
        lines: list[RenderableType] = [safe_text(pattern.trigger, "bold", one_line=True)]
        for key, value in (
            ("old_short", pattern.old_reaction),
            ("cost_short", pattern.cost),
            ("new_short", pattern.new_response),
        ):
            if value.strip():
                lines.append(
                    labelled(self.words(key), _first_line(value), "bold" if key == "new_short" else "")
                )
        lines.append(byline(pattern, view))
        return Group(*lines)

    def _boundary(self, boundary: Boundary, view: View) -> RenderableType:
        line = safe_text(boundary.text, one_line=True)
        if not boundary.why.strip():
            return line
        return Group(line, safe_text(_first_line(boundary.why), "dim italic", one_line=True))

    def _wish(self, wish: SpaceWish, view: View) -> RenderableType:
        line = safe_text(wish.what, one_line=True)
        if wish.how_often.strip():
            line.append("  ")
            line.append_text(safe_text(wish.how_often, "dim italic", one_line=True))
        return line

    def group_names(self, section: Section, view: View) -> tuple[str, str]:
        return (self.words("yours"), self.words("theirs", name=view.name(view.other)))

    # -- forms ------------------------------------------------------------------------------

    def _pattern_form(self, pattern: Pattern | None, view: View) -> list[FormField]:
        return [
            FormField(
                "trigger",
                self.words("trigger_label"),
                value=pattern.trigger if pattern else "",
                placeholder=self.words("trigger_placeholder"),
                max_length=TITLE_MAX,
                required=True,
            ),
            FormField(
                "old_reaction", self.words("old_label"), "text", value=pattern.old_reaction if pattern else ""
            ),
            FormField("cost", self.words("cost_label"), "text", value=pattern.cost if pattern else ""),
            FormField(
                "new_response", self.words("new_label"), "text", value=pattern.new_response if pattern else ""
            ),
        ]

    def _boundary_form(self, boundary: Boundary | None, view: View) -> list[FormField]:
        return [
            FormField(
                "text",
                self.words("boundary_label"),
                value=boundary.text if boundary else "",
                placeholder=self.words("boundary_placeholder"),
                max_length=TITLE_MAX,
                required=True,
            ),
            FormField("why", self.words("why_label"), "text", value=boundary.why if boundary else ""),
        ]

    def _wish_form(self, wish: SpaceWish | None, view: View) -> list[FormField]:
        return [
            FormField(
                "what",
                self.words("space_what_label"),
                value=wish.what if wish else "",
                placeholder=self.words("space_what_placeholder"),
                max_length=TITLE_MAX,
                required=True,
            ),
            FormField(
                "how_often",
                self.words("how_often_label"),
                value=wish.how_often if wish else "",
                placeholder=self.words("how_often_placeholder"),
                max_length=NAME_MAX,
            ),
        ]

    def commands(self) -> list[tuple[str, Callable[[], object], str]]:
        text = self.kintsugi.content.text
        return [
            (
                text(f"practice_patterns.commands.{key}"),
                partial(self.action_new, key),
                text(f"practice_patterns.commands.{key}_help"),
            )
            for key in ("patterns", "boundaries", "space")
        ]
