"""The agreements screen's dialogs: each one asks, checks what was typed, and dismisses with it.

They make no store call. The agreements screen makes it with what they
return; if the store refuses, it says why and opens the dialog again with
what was typed still in it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Generic, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static, TextArea

from app.domain.models import TITLE_MAX
from app.tui.base import SAVE_KEY, SavesWithKey, UsesKintsugi
from app.tui.screens import STYLES
from app.tui.textual_patches import QuietFocus
from app.tui.widgets.footer import KeyFooter
from app.tui.widgets.keys import describe_keys
from app.tui.widgets.safe import kept, safe_str
from app.tui.widgets.scroll import ScrollArea

R = TypeVar("R")
DATE_EXAMPLE = "2026-09-01"


@dataclass(frozen=True)
class AgreementDraft:
    """What the agreement form holds: the wording, why, and the review date as typed."""

    text: str
    why: str = ""
    review: str = ""

    @property
    def review_on(self) -> dt.date | None:
        return dt.date.fromisoformat(self.review.strip()) if self.review.strip() else None


class Dialog(QuietFocus, UsesKintsugi, SavesWithKey, ModalScreen[R], Generic[R]):
    """A framed dialog over the screen: a heading, an intro, the form, and buttons (ctrl+s
    presses Save, in the dialogs that have one)."""

    CSS_PATH = STYLES / "agreements.tcss"
    BINDINGS = [Binding("escape", "cancel", id="dialog_cancel"), SAVE_KEY]
    SAVE_BUTTON = "#save"

    def __init__(self, heading: str, intro: Text) -> None:
        super().__init__(classes="dialog-screen")
        describe_keys(self, self.kintsugi.content)
        self.heading = heading
        self.intro = intro

    def text(self, key: str, **fmt: object) -> str:
        return self.kintsugi.content.text(key, **fmt)

    def compose(self) -> ComposeResult:
        with ScrollArea(classes="dialog"):
            yield Static(Text(self.heading), classes="dialog-heading")
            yield Static(self.intro, classes="intro")
            yield from self.form()
            with Horizontal(classes="dialog-buttons"):
                yield from self.buttons()
        yield KeyFooter()

    def form(self) -> ComposeResult:
        yield from ()

    def buttons(self) -> ComposeResult:
        yield Button(self.text("common.cancel"), id="cancel", compact=True)

    def problem(self, where: str, message: str) -> None:
        shown = self.query_one(f"#{where}-problem", Static)
        shown.update(Text(message))
        shown.set_class(bool(message), "-shown")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class AgreementForm(Dialog[AgreementDraft | None]):
    """Propose or change an agreement: its wording, why (optional) and a review date (optional)."""

    AUTO_FOCUS = "#agreement-text"

    def __init__(
        self, heading: str, intro: Text, save_label: str, draft: AgreementDraft | None = None
    ) -> None:
        super().__init__(heading, intro)
        self.save_label = save_label
        self.draft = draft or AgreementDraft("")

    def form(self) -> ComposeResult:
        yield Static(Text(self.text("agreements.text_label")), classes="field-label")
        yield TextArea(
            safe_str(self.draft.text, one_line=False),
            id="agreement-text",
            soft_wrap=True,
            tab_behavior="focus",
            compact=True,
        )
        yield Static("", id="agreement-text-problem", classes="problem")
        yield Static(Text(self.text("agreements.why_label")), classes="field-label")
        yield Input(safe_str(self.draft.why), id="agreement-why", compact=True)
        yield Static(Text(self.text("agreements.review_label")), classes="field-label")
        yield Input(
            self.draft.review,
            placeholder=self.text("agreements.review_placeholder"),
            max_length=10,
            id="agreement-review",
            compact=True,
        )
        yield Static("", id="agreement-review-problem", classes="problem")

    def buttons(self) -> ComposeResult:
        yield Button(self.save_label, variant="primary", id="save", compact=True)
        yield from super().buttons()

    @on(TextArea.Changed, "#agreement-text")
    def _text_typed(self) -> None:
        self.problem("agreement-text", "")

    @on(Input.Changed, "#agreement-review")
    def _date_typed(self) -> None:
        self.problem("agreement-review", "")

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        draft = AgreementDraft(
            kept(self.query_one("#agreement-text", TextArea).text, self.draft.text, one_line=False),
            kept(self.query_one("#agreement-why", Input).value, self.draft.why),
            self.query_one("#agreement-review", Input).value,
        )
        if not draft.text.strip():
            self.problem("agreement-text", self.text("agreements.need_text"))
            self.query_one("#agreement-text").focus()
            return
        try:
            draft.review_on  # noqa: B018 (checks the date)
        except ValueError:
            self.problem("agreement-review", self.text("agreements.bad_date", example=DATE_EXAMPLE))
            self.query_one("#agreement-review").focus()
            return
        self.dismiss(draft)


class RevisitForm(Dialog[str | None]):
    """Ask to revisit an agreement with a note; dismisses with the note, "" to clear it, None to cancel."""

    AUTO_FOCUS = "#revisit-note"

    def __init__(self, intro: Text, note: str = "") -> None:
        super().__init__(self.kintsugi.content.text("agreements.revisit_heading"), intro)
        self.note = note

    def form(self) -> ComposeResult:
        yield Input(
            safe_str(self.note),
            placeholder=self.text("agreements.revisit_placeholder"),
            id="revisit-note",
            compact=True,
        )
        yield Static("", id="revisit-note-problem", classes="problem")

    def buttons(self) -> ComposeResult:
        yield Button(self.text("agreements.revisit_save"), variant="primary", id="save", compact=True)
        if self.note.strip():
            yield Button(self.text("agreements.revisit_clear"), id="clear", compact=True)
        yield from super().buttons()

    @on(Input.Changed)
    def _typed(self) -> None:
        self.problem("revisit-note", "")

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        note = kept(self.query_one("#revisit-note", Input).value, self.note)
        if not note.strip():
            self.problem("revisit-note", self.text("agreements.need_note"))
            return
        self.dismiss(note)

    @on(Button.Pressed, "#clear")
    def _clear(self) -> None:
        self.dismiss("")


class ListNameForm(Dialog[str | None]):
    """A name for a new list, or a new name for one; dismisses with it (None to cancel)."""

    AUTO_FOCUS = "#list-name"

    def __init__(self, heading: str, name: str = "") -> None:
        super().__init__(heading, Text(""))
        self.name_now = name

    def form(self) -> ComposeResult:
        yield Static(Text(self.text("agreements.list_name_label")), classes="field-label")
        yield Input(
            safe_str(self.name_now),
            placeholder=self.text("agreements.list_name_placeholder"),
            max_length=TITLE_MAX,
            id="list-name",
            compact=True,
        )
        yield Static("", id="list-name-problem", classes="problem")

    def buttons(self) -> ComposeResult:
        yield Button(self.text("common.save"), variant="primary", id="save", compact=True)
        yield from super().buttons()

    def on_mount(self) -> None:
        self.query_one(".intro").display = False

    @on(Input.Changed)
    def _typed(self) -> None:
        self.problem("list-name", "")

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        name = " ".join(kept(self.query_one("#list-name", Input).value, self.name_now).split())
        if not name:
            self.problem("list-name", self.text("agreements.need_list_name"))
            return
        self.dismiss(name)
