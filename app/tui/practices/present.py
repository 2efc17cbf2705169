"""Step 8, Stay present: box breathing, a 5-4-3-2-1 grounding walk-through, a present-moment journal.

- Box breathing (``BoxBreathing``, app/tui/widgets/breathing.py): ``b`` starts
  and stops it; with animations off it shows the phase words without motion.
- Grounding: ``g`` walks through the five senses one prompt at a time
  (``GroundingDialog``); the words are optional and the walk-through is saved
  as one record, private unless the partner unticks "keep it private".
- The journal: one line about right now and its day, shared unless marked
  private, newest first.
- A line with today's question; ``t`` opens it.

The lists, keys and forms are those of ``app.tui.practices.sections``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from app.domain.models import TITLE_MAX, RecordModel
from app.domain.practices.present import SENSE_MAX, SENSES, Grounding, PresentMoment, newest_first
from app.tui.messages import SaveEntry
from app.tui.practices.entry_section import EntrySection, Section, View, byline
from app.tui.practices.sections import SectionedPractice
from app.tui.screens.grounding_dialog import GroundingDialog
from app.tui.screens.practice_form import FormField, FormResult, PracticeForm
from app.tui.widgets.breathing import BoxBreathing
from app.tui.widgets.safe import safe_text

PRIVATE, SHARED = "private", "shared"


class PresentPractice(SectionedPractice):
    STEP: ClassVar[int] = 8
    TABLE: ClassVar[str] = "practice_present"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("b", "breathe", id="present_breathe"),
        Binding("g", "ground", id="present_ground"),
        Binding("t", "question", id="present_question"),
    ]

    def build_sections(self) -> list[Section]:
        return [
            Section(
                "groundings",
                Grounding,
                self.TABLE,
                self._grounding,
                self._grounding_form,
                private=True,
                own_only=True,
                order=lambda found: sorted(found, key=lambda g: (g.day, g.created), reverse=True),
            ),
            Section(
                "moments",
                PresentMoment,
                self.TABLE,
                self._moment,
                self._moment_form,
                private=True,  # a new line is shared unless marked private: see open_form
                order=newest_first,
            ),
        ]

    def compose_top(self) -> ComposeResult:
        yield Static(Text(self.words("intro")), classes="practice-summary")
        with Vertical(id="breathing-box"):
            with Horizontal(id="breathing-row"):
                yield Static(Text(self.words("breathing")), id="breathing-heading")
                yield Button(self.words("breathing_start"), id="breathing-toggle", compact=True)
            yield BoxBreathing(id="breathing")
        yield Static(id="present-question", classes="practice-note")

    # -- how entries look -----------------------------------------------------------------

    def _grounding(self, grounding: Grounding, view: View) -> RenderableType:
        top = Text(view.day(grounding.day), "bold")
        lines: list[RenderableType] = [top]
        noticed = grounding.noticed()
        for sense, words in noticed:
            line = Text(f"{self.kintsugi.content.text(f'grounding.short.{sense}')} ", "dim")
            line.append_text(safe_text(words, one_line=True))
            lines.append(line)
        if not noticed:
            lines.append(Text(self.words("grounding_nothing"), "dim italic"))
        lines.append(byline(grounding, view))
        return Group(*lines)

    def _moment(self, moment: PresentMoment, view: View) -> RenderableType:
        top = Text(f"{view.day(moment.day)}  ", "bold")
        top.append_text(safe_text(moment.line, one_line=True))
        return Group(top, byline(moment, view))

    # -- forms ------------------------------------------------------------------------------

    def _grounding_form(self, grounding: Grounding | None, view: View) -> list[FormField]:
        text = self.kintsugi.content.text
        return [
            FormField(
                sense,
                text(f"grounding.{sense}"),
                value=getattr(grounding, sense) if grounding else "",
                max_length=SENSE_MAX,
            )
            for sense in SENSES
        ]

    def _moment_form(self, moment: PresentMoment | None, view: View) -> list[FormField]:
        fields = [
            FormField(
                "line",
                self.words("moments_line"),
                value=moment.line if moment else "",
                placeholder=self.words("moments_line_placeholder"),
                max_length=TITLE_MAX,
                required=True,
            ),
            FormField("day", self.words("moments_day"), "date", value=moment.day if moment else view.today),
        ]
        if moment is None:  # a shared line stays shared; a private one is shared with s
            fields.append(
                FormField(
                    "who_sees",
                    self.words("moments_private"),
                    "choice",
                    value=SHARED,
                    choices=(
                        (self.words("moments_shared_choice"), SHARED),
                        (self.words("moments_private_choice"), PRIVATE),
                    ),
                )
            )
        return fields

    def open_form(self, widget: EntrySection, entry: RecordModel | None) -> None:
        """A new grounding is the walk-through; a new journal line may be kept private."""
        key = widget.section.key
        if key == "groundings" and entry is None:
            self.action_ground()
            return
        if key != "moments" or entry is not None:
            super().open_form(widget, entry)
            return
        view = self.view()
        if view is None:
            return
        chosen: dict[str, bool] = {}

        def keep_choice(values: dict[str, Any]) -> dict[str, Any]:
            chosen["private"] = values.get("who_sees") == PRIVATE
            return {name: value for name, value in values.items() if name != "who_sees"}

        form = PracticeForm(
            self.words("moments_new"), self._moment_form(None, view), PresentMoment, convert=keep_choice
        )

        def done(result: FormResult | None) -> None:
            if result is None:
                return
            self.post_message(SaveEntry(PresentMoment, result.fields, private=chosen.get("private", False)))
            widget.option_list.focus()

        self.app.push_screen(form, done)

    # -- what it holds ----------------------------------------------------------------------

    def refresh_more(self, view: View) -> None:
        content = self.kintsugi.content
        question = Text(self.words("question", question=content.question_for(view.today)), "italic")
        question.append("\n")
        question.append(self.words("question_hint"), "dim")
        self.query_one("#present-question", Static).update(question)

    # -- breathing, grounding, the question ---------------------------------------------------

    @on(Button.Pressed, "#breathing-toggle")
    def action_breathe(self) -> None:
        breathing = self.query_one("#breathing", BoxBreathing)
        breathing.toggle()
        label = "breathing_stop" if breathing.running else "breathing_start"
        self.query_one("#breathing-toggle", Button).label = self.words(label)

    def on_hide(self) -> None:
        """Leaving the step (or the tab) stops the breathing guide."""
        breathing = self.query_one("#breathing", BoxBreathing)
        if breathing.running:
            self.action_breathe()

    def action_ground(self) -> None:
        def done(result: dict[str, Any] | None) -> None:
            if result is None:
                return
            private = bool(result.pop("private", True))
            fields = {**result, "day": self.kintsugi.today()}
            self.post_message(SaveEntry(Grounding, fields, private=private))
            self.notify(self.kintsugi.content.text("grounding.saved"), markup=False)

        self.app.push_screen(GroundingDialog(), done)

    def action_question(self) -> None:
        self.kintsugi.action_question()

    def commands(self) -> list[tuple[str, Callable[[], object], str]]:
        text = self.kintsugi.content.text
        return [
            (
                text("practice_present.commands.breathe"),
                self.action_breathe,
                text("practice_present.commands.breathe_help"),
            ),
            (
                text("practice_present.commands.ground"),
                self.action_ground,
                text("practice_present.commands.ground_help"),
            ),
            (
                text("practice_present.commands.moment"),
                partial(self.action_new, "moments"),
                text("practice_present.commands.moment_help"),
            ),
        ]
