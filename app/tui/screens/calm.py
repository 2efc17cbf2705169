"""We're escalating: a calm-down screen over whatever was showing (key !, from anywhere).

A twenty-minute pause timer starts at once (t pauses it), box breathing is one
key away (b starts and stops it; ``BoxBreathing``), and the couple's own
repair phrases are listed, to add to and change like any practice list
(n, e, x). Until they have written one, a few from content/ui.toml [calm]
show the way. Escape leaves, back to exactly where they were.

The phrases list posts ``SaveEntry`` / ``DeleteEntry`` like a practice; this
screen makes the one store call as the partner writing now.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from app.domain.calm import RepairPhrase
from app.domain.models import TITLE_MAX
from app.tui.base import FollowsTheStore, WritesEntries
from app.tui.practices.entry_section import Section, View, byline
from app.tui.practices.feelings_practice import FeelingsPractice
from app.tui.screens import PRACTICE_STYLES, STYLES
from app.tui.screens.practice_form import FormField
from app.tui.textual_patches import QuietFocus, SizedAtOnce
from app.tui.widgets.breathing import BoxBreathing, Shape
from app.tui.widgets.countdown import Countdown
from app.tui.widgets.footer import KeyFooter
from app.tui.widgets.keys import describe_keys
from app.tui.widgets.safe import safe_text

PAUSE_SECONDS = 20 * 60
TALL_ENOUGH_FOR_THE_SQUARE = 30  # rows; below this the breathing guide is one line


def breathing_shape(rows: int) -> Shape:
    """From the terminal's height when the screen is built, then on each resize (a shape changed
    during the screen's first layout could keep the other shape's height)."""
    return "box" if rows >= TALL_ENOUGH_FOR_THE_SQUARE else "bar"


class RepairPhrases(FeelingsPractice):
    """The couple's repair phrases: one shared list anyone can add to or change."""

    TABLE: ClassVar[str] = "calm"

    def build_sections(self) -> list[Section]:
        return [Section("phrases", RepairPhrase, self.TABLE, self._phrase, self._form)]

    def _phrase(self, phrase: RepairPhrase, view: View) -> Text:
        line = safe_text(f"“{phrase.text}”", "bold")
        line.append("\n")
        line.append_text(byline(phrase, view))
        return line

    def _form(self, phrase: RepairPhrase | None, view: View) -> list[FormField]:
        return [
            FormField(
                "text",
                self.words("phrase_label"),
                value=phrase.text if phrase else "",
                placeholder=self.words("phrase_placeholder"),
                max_length=TITLE_MAX,
                required=True,
            )
        ]

    def refresh_more(self, view: View) -> None:
        """While the couple has none of their own, the ideas to start from follow the invitation."""
        empty = Text(self.words("phrases_empty"), "italic")
        for idea in self.kintsugi.content.value("calm.defaults"):
            empty.append(f"\n  “{idea}”", "not italic")
        self.query_one("#phrases-empty", Static).update(empty)


class CalmScreen(QuietFocus, SizedAtOnce, WritesEntries, FollowsTheStore, ModalScreen[None]):
    """See the module docstring."""

    CSS_PATH = [*PRACTICE_STYLES, STYLES / "calm.tcss"]
    HORIZONTAL_BREAKPOINTS: ClassVar = [(0, "-narrow"), (100, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", id="calm.leave"),
        Binding("b", "breathe", id="calm.breathe"),
        Binding("t", "pause_timer", id="calm.timer"),
    ]
    AUTO_FOCUS = "#phrases-list"

    def __init__(self) -> None:
        super().__init__(classes="calm-screen")
        describe_keys(self, self.kintsugi.content)

    def compose(self) -> ComposeResult:
        text = self.kintsugi.content.text
        with Vertical(id="calm"):
            yield Static(Text(text("calm.heading")), id="calm-heading")
            yield Static(Text(text("calm.intro")), id="calm-intro")
            yield Static(Text(text("calm.safety")), id="calm-safety")
            yield Countdown(
                PAUSE_SECONDS,
                running=text("calm.timer"),
                paused=text("calm.timer_paused"),
                done=text("calm.timer_done"),
                id="calm-timer",
            )
            with Horizontal(id="calm-body"):
                with Vertical(id="calm-breathing"):
                    yield Static(Text(text("calm.breathing")), classes="calm-title")
                    yield BoxBreathing(id="breathing", shape=breathing_shape(self.app.size.height))
                    if self.app.animation_level == "none":
                        yield Static(Text(text("calm.breathing_still")), id="calm-still")
                yield RepairPhrases(id="calm-phrases")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.follow_the_store(self._reread)
        self.watch(self.app, "acting", self._reread, init=False)
        self._reread()

    def _reread(self) -> None:
        if self.kintsugi.ready:
            self.query_one(RepairPhrases).refresh_entries()

    def on_resize(self, event: events.Resize) -> None:
        breathing = self.query_one(BoxBreathing)
        shape = breathing_shape(event.size.height)
        if breathing.shape != shape:
            breathing.shape = shape
            breathing.refresh(layout=True)

    def action_breathe(self) -> None:
        self.query_one(BoxBreathing).toggle()

    def action_pause_timer(self) -> None:
        self.query_one("#calm-timer", Countdown).toggle()
