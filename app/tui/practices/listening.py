"""The speaker-listener turn of step 3, for two at one keyboard.

The speaker holds the floor (at first the partner writing now) and notes in a
few words what they said; the listener says it back in their own words; the
speaker answers "yes, that's it" (the turn is done and saved as one
``ListeningTurn``) or "not quite" (the listener tries again). Then the roles
swap, or the couple stop. A turn timer (two minutes, pausable) counts while
the turn runs; ending a turn early keeps what was said, unconfirmed.

The panel writes nothing itself: it posts ``SaveEntry``; the flow's rules are
``app.domain.practices.openly.ListeningTurnFlow``.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Static

from app.domain.models import TEXT_MAX
from app.domain.practices.openly import ListeningTurn, ListeningTurnFlow, TurnPhase
from app.store.storage import StoreError
from app.tui.base import UsesKintsugi
from app.tui.messages import SaveEntry
from app.tui.widgets.countdown import Countdown
from app.tui.widgets.keys import describe_keys
from app.tui.widgets.safe import safe_str, safe_text

TURN_SECONDS = 120
WORDS = "practice_openly"


class ListeningTurnPanel(UsesKintsugi, Vertical):
    """One turn at a time; hidden until ``start`` (see the module docstring)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+t", "pause_timer", id="openly.pause_timer"),
        Binding("escape", "end_turn", id="openly.end_turn"),
        Binding("y", "heard(True)", show=False),
        Binding("n", "heard(False)", show=False),
    ]

    class Ended(Message):
        """The turn panel closed (the practice puts the keyboard back on its list)."""

        def __init__(self, panel: ListeningTurnPanel) -> None:
            super().__init__()
            self.panel = panel

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="listening-turn")
        describe_keys(self, self.kintsugi.content)
        self.flow: ListeningTurnFlow | None = None
        self.saved = False

    def words(self, key: str, **fmt: object) -> str:
        return self.kintsugi.content.text(f"{WORDS}.{key}", **fmt)

    def compose(self) -> ComposeResult:
        with Horizontal(id="turn-top"):
            yield Static(id="turn-floor")
            yield Countdown(
                TURN_SECONDS,
                running=self.words("timer"),
                paused=self.words("timer_paused"),
                done=self.words("times_up"),
                start_paused=True,
                id="turn-timer",
            )
        yield Static(id="turn-prompt")
        yield Static(id="turn-heard")
        yield Input(id="turn-input", max_length=TEXT_MAX, compact=True)
        with Horizontal(id="turn-buttons"):
            yield Button(self.words("yes"), variant="primary", id="turn-yes", compact=True)
            yield Button(self.words("not_quite"), id="turn-not-quite", compact=True)
            yield Button(self.words("swap"), variant="primary", id="turn-swap", compact=True)
            yield Button(self.words("finish"), id="turn-finish", compact=True)
            yield Button(self.words("pause"), id="turn-pause", compact=True)
            yield Button(self.words("end_turn"), id="turn-end", compact=True)

    def on_mount(self) -> None:
        self.display = False

    @property
    def running(self) -> bool:
        return self.flow is not None

    def _partner_name(self, partner_id: str) -> str:
        try:
            return safe_str(self.kintsugi.store.partner(partner_id).name)
        except StoreError:  # a partner record gone missing: the turn still works
            return ""

    # -- the flow ----------------------------------------------------------------------

    def start(self, speaker: str, listener: str) -> None:
        """A new turn: ``speaker`` holds the floor."""
        self._begin(ListeningTurnFlow(speaker=speaker, listener=listener))

    def _begin(self, flow: ListeningTurnFlow) -> None:
        self.flow = flow
        self.saved = False
        self.display = True
        self.timer.restart(TURN_SECONDS)
        self.remove_class("-times-up")
        self._show()
        self.focus_turn()

    def focus_turn(self) -> None:
        """Put the keyboard where the turn goes on: the words being typed, or the buttons."""
        if self.flow is None:
            return
        target = {
            TurnPhase.SPEAKING: "#turn-input",
            TurnPhase.LISTENING: "#turn-input",
            TurnPhase.CONFIRMING: "#turn-yes",
            TurnPhase.DONE: "#turn-swap",
        }[self.flow.phase]
        self.query_one(target).focus()

    @property
    def timer(self) -> Countdown:
        return self.query_one("#turn-timer", Countdown)

    @on(Input.Submitted, "#turn-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.flow is None:
            return
        before = self.flow
        if self.flow.phase == TurnPhase.SPEAKING:
            self.flow = self.flow.say(event.value)
        elif self.flow.phase == TurnPhase.LISTENING:
            self.flow = self.flow.paraphrase(event.value)
        if self.flow is not before:
            event.input.value = ""
            self._show()
            self.focus_turn()

    def action_heard(self, heard: bool) -> None:
        if self.flow is None or self.flow.phase != TurnPhase.CONFIRMING:
            return
        self.flow = self.flow.confirm(heard)
        if self.flow.phase == TurnPhase.DONE:
            self._save()
        self._show()
        self.focus_turn()

    @on(Button.Pressed, "#turn-yes")
    def _yes(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_heard(True)

    @on(Button.Pressed, "#turn-not-quite")
    def _not_quite(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_heard(False)

    @on(Button.Pressed, "#turn-swap")
    def _swap(self, event: Button.Pressed) -> None:
        event.stop()
        if self.flow is not None:
            self._begin(self.flow.swapped())

    @on(Button.Pressed, "#turn-finish")
    @on(Button.Pressed, "#turn-end")
    def _end_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_end_turn()

    @on(Button.Pressed, "#turn-pause")
    def _pause_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_pause_timer()

    @on(Countdown.Finished, "#turn-timer")
    def _times_up(self, event: Countdown.Finished) -> None:
        """The gentle words take a line of their own, below who has the floor (styles)."""
        event.stop()
        self.add_class("-times-up")

    def action_pause_timer(self) -> None:
        if self.flow is not None:
            self.timer.toggle()
            self._show()

    def action_end_turn(self) -> None:
        """Stop here: a turn with something said is kept (unconfirmed if it was not confirmed)."""
        if self.flow is None:
            return
        if self.flow.worth_keeping and not self.saved:
            self._save()
            self.notify(self.words("ended"), markup=False)
        self.flow = None
        self.timer.pause()
        self.display = False
        self.post_message(self.Ended(self))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "heard":
            return self.flow is not None and self.flow.phase == TurnPhase.CONFIRMING
        if action in {"pause_timer", "end_turn"}:
            return self.flow is not None
        return True

    def _save(self) -> None:
        if self.flow is None:
            return
        self.post_message(SaveEntry(ListeningTurn, self.flow.record_fields(self.kintsugi.today())))
        self.saved = True

    # -- what it shows -------------------------------------------------------------------

    def _show(self) -> None:
        flow = self.flow
        if flow is None:
            return
        speaker, listener = self._partner_name(flow.speaker), self._partner_name(flow.listener)
        self.query_one("#turn-floor", Static).update(
            Text(self.words("floor", speaker=speaker, listener=listener), "bold")
        )
        prompt = {
            TurnPhase.SPEAKING: self.words("speaking_prompt", speaker=speaker),
            TurnPhase.LISTENING: (
                self.words("try_again", speaker=speaker, listener=listener)
                if flow.paraphrases
                else self.words("listening_prompt", listener=listener)
            ),
            TurnPhase.CONFIRMING: self.words("confirming_prompt", speaker=speaker),
            TurnPhase.DONE: self.words("done", speaker=speaker),
        }[flow.phase]
        self.query_one("#turn-prompt", Static).update(Text(prompt))
        self.query_one("#turn-heard", Static).update(self._heard(flow, speaker, listener))
        entry = self.query_one("#turn-input", Input)
        entry.display = flow.phase in (TurnPhase.SPEAKING, TurnPhase.LISTENING)
        entry.placeholder = (
            self.words("said_placeholder", listener=listener)
            if flow.phase == TurnPhase.SPEAKING
            else self.words("paraphrase_placeholder")
        )
        confirming, done = flow.phase == TurnPhase.CONFIRMING, flow.phase == TurnPhase.DONE
        for button_id, shown in (
            ("#turn-yes", confirming),
            ("#turn-not-quite", confirming),
            ("#turn-swap", done),
            ("#turn-finish", done),
            ("#turn-pause", not done),
            ("#turn-end", not done),
        ):
            self.query_one(button_id, Button).display = shown
        self.query_one("#turn-pause", Button).label = self.words("resume" if self.timer.paused else "pause")
        self.refresh_bindings()

    def _heard(self, flow: ListeningTurnFlow, speaker: str, listener: str) -> Text:
        """What was said, and each paraphrase so far (the latest last)."""
        shown = Text()
        if flow.said:
            shown.append(f"{speaker}: ", "bold")
            shown.append_text(safe_text(flow.said))
        for paraphrase in flow.paraphrases:
            shown.append(f"\n{listener}: ", "bold")
            shown.append_text(safe_text(paraphrase, "italic"))
        return shown
