"""Log a celebration, from anywhere: a dialog over whatever screen is showing.

It dismisses with what was typed (a ``CelebrationDraft``), or None; the App logs it as the
partner writing now and shows the moment of gold. If the store refuses, the App opens the dialog
again with the draft and the words saying why (``problem``).

It is the key pressed most (``c``), so the App keeps one: built ahead, while nobody waits
(``WarmsUp``), and started again from a draft each time it opens (``start_again``).
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Static, TextArea

from app.domain.models import TITLE_MAX, CelebrationSize
from app.tui.base import SAVE_KEY, SavesWithKey, UsesKintsugi
from app.tui.drafts import CelebrationDraft
from app.tui.screens import STYLES
from app.tui.textual_patches import KeepsItsStyles, QuietFocus
from app.tui.widgets.choice import Choice
from app.tui.widgets.footer import KeyFooter
from app.tui.widgets.keys import describe_keys
from app.tui.widgets.safe import kept, safe_str, safe_text

Named = TypeVar("Named", bound=Widget)


def named(widget: Named, name: str) -> Named:
    """``widget`` with ``name`` written in its top border (its words as they are, not markup)."""
    widget.border_title = Text(name)  # type: ignore[assignment]
    return widget


def parse_day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


class CelebrateDialog(
    QuietFocus, KeepsItsStyles, UsesKintsugi, SavesWithKey, ModalScreen[CelebrationDraft | None]
):
    CSS_PATH = STYLES / "celebrate_dialog.tcss"
    BINDINGS = [Binding("escape", "cancel", id="close"), SAVE_KEY]
    SAVE_BUTTON = "#celebrate-save"
    AUTO_FOCUS = "#celebrate-title"

    def __init__(self, draft: CelebrationDraft | None = None, problem: str = "") -> None:
        super().__init__()
        self.draft = draft or CelebrationDraft()
        self.problem = problem
        self._composed_from: tuple[CelebrationDraft, str] | None = None
        describe_keys(self, self.kintsugi.content)

    def compose(self) -> ComposeResult:
        """Sixteen widgets, the fields' and the dialog's names written in their borders: the dialog
        opens as quickly as the couple presses ``c`` (bench/HISTORY.md, 2026-12-08)."""
        app = self.kintsugi
        text = app.content.text
        draft = self.draft
        self._composed_from = (draft, self.problem)
        day = draft.day or app.today()
        with named(Vertical(id="celebrate-dialog"), text("celebrate.heading")):
            with self.prevent(Input.Changed):  # its first value is no change: a problem shown stays
                yield named(
                    Input(
                        safe_str(draft.title),
                        placeholder=text("celebrate.title_placeholder"),
                        max_length=TITLE_MAX,
                        id="celebrate-title",
                    ),
                    text("celebrate.title_label"),
                )
            yield named(
                TextArea(
                    safe_str(draft.note, one_line=False),
                    id="celebrate-note",
                    soft_wrap=True,
                    show_line_numbers=False,
                ),
                text("celebrate.note_label"),
            )
            with Horizontal(id="celebrate-row"):
                with self.prevent(Input.Changed):
                    yield named(
                        Input(day.isoformat(), placeholder="YYYY-MM-DD", max_length=10, id="celebrate-day"),
                        text("celebrate.day_label"),
                    )
                yield named(
                    Choice(
                        [(f"{s.number} {s.title}", s.number) for s in app.content.steps],
                        prompt=text("celebrate.no_step"),
                        value=draft.step or None,
                        close_words=text("keys.close_list"),
                        id="celebrate-step",
                    ),
                    text("celebrate.step_short_label"),
                )
                yield named(
                    Choice(
                        [(text(f"celebrate.sizes.{size.value}"), size.value) for size in CelebrationSize],
                        value=CelebrationSize(draft.size).value,
                        close_words=text("keys.close_list"),
                        id="celebrate-size",
                    ),
                    text("celebrate.size_short_label"),
                )
            yield Static("", id="celebrate-problem", classes="problem")
            with Horizontal(id="celebrate-buttons"):
                yield Button(text("celebrate.save"), variant="primary", id="celebrate-save")
                yield Button(text("common.cancel"), id="celebrate-cancel")
        yield KeyFooter()

    def on_mount(self) -> None:
        if self._composed_from != (self.draft, self.problem):
            self._show_draft()  # started again with another draft while it was being built
            return
        self._problem(self.problem)
        if not self.is_active:
            self.set_focus(None)  # built ahead, out of sight: nothing in it is typed into yet

    def start_again(self, draft: CelebrationDraft | None = None, problem: str = "") -> None:
        """Show ``draft`` (an empty form, on today, by default) and ``problem`` as a dialog made
        with them would: whatever was typed, chosen or undoable the last time it was open is gone,
        and the title has the focus once it is shown (``AUTO_FOCUS``). Before the dialog is
        mounted, it shows them once it is."""
        self.draft, self.problem = draft or CelebrationDraft(), problem
        if self.is_mounted:
            self._show_draft()

    def _show_draft(self) -> None:
        draft = self.draft
        title = self.query_one("#celebrate-title", Input)
        with self.prevent(Input.Changed):  # as in compose: a problem shown stays
            title.value = safe_str(draft.title)
            self.query_one("#celebrate-day", Input).value = (draft.day or self.kintsugi.today()).isoformat()
        self.query_one("#celebrate-note", TextArea).load_text(safe_str(draft.note, one_line=False))
        step, size = self.query_one("#celebrate-step", Choice), self.query_one("#celebrate-size", Choice)
        step.value = draft.step or None
        size.value = CelebrationSize(draft.size).value
        step.expanded = size.expanded = False
        self._problem(self.problem)
        self.set_focus(title if self.is_active else None)  # shown: AUTO_FOCUS gives it the title

    def _problem(self, message: str) -> None:
        problem = self.query_one("#celebrate-problem", Static)
        problem.update(safe_text(message))
        problem.set_class(bool(message), "-shown")

    @on(Input.Changed)
    def _typing(self) -> None:
        self._problem("")

    @on(Input.Submitted, "#celebrate-title")
    @on(Input.Submitted, "#celebrate-day")
    @on(Button.Pressed, "#celebrate-save")
    def save(self) -> None:
        app = self.kintsugi
        text = app.content.text
        title = " ".join(kept(self.query_one("#celebrate-title", Input).value, self.draft.title).split())
        if not title:
            self._problem(text("celebrate.need_title"))
            self.query_one("#celebrate-title", Input).focus()
            return
        day = parse_day(self.query_one("#celebrate-day", Input).value)
        if day is None or day > app.today():
            self._problem(text("celebrate.bad_day" if day is None else "celebrate.future_day"))
            self.query_one("#celebrate-day", Input).focus()
            return
        step = self.query_one("#celebrate-step", Choice).value
        note = kept(self.query_one("#celebrate-note", TextArea).text, self.draft.note, one_line=False)
        draft = CelebrationDraft(
            title,
            note.strip(),
            step if isinstance(step, int) else None,
            CelebrationSize(str(self.query_one("#celebrate-size", Choice).value)),
            day,
            self.draft.suggestion,
        )
        self.dismiss(draft)

    @on(Button.Pressed, "#celebrate-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
