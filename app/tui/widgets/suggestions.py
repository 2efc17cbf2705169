"""Moments worth celebrating, offered on the dashboard: never logged without asking.

Each suggestion is a line with two small buttons: "Celebrate it" opens the
celebration dialog filled in, "Let it pass" means it is not offered again
on this machine. The panel only posts messages; the dashboard acts on them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Static

from app.content import Content
from app.domain.models import TITLE_MAX, Partner
from app.domain.suggestions import Suggestion
from app.tui.drafts import CelebrationDraft
from app.tui.widgets.safe import safe_text

SHOWN = 2
SUBJECT_MAX = 60  # in the offer's line; the dialog's title holds the whole text


def _short(words: str, limit: int) -> str:
    words = " ".join(words.split())
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"


def suggestion_words(
    content: Content, suggestion: Suggestion, partners: Sequence[Partner], subject_max: int = SUBJECT_MAX
) -> dict[str, str]:
    """What fills the placeholders of ``[suggest]`` for this suggestion."""
    names = {p.id: p.name for p in partners}
    words = {
        "name": names.get(suggestion.partner, ""),
        "text": _short(suggestion.subject, subject_max),
        "number": str(suggestion.step or ""),
        "title": content.step(suggestion.step).title if suggestion.step else "",
    }
    return words


def suggestion_line(content: Content, suggestion: Suggestion, partners: Sequence[Partner]) -> str:
    """The sentence that offers the moment ("Sam marked step 2 ... as integrated.")."""
    return content.text(f"suggest.{suggestion.reason}", **suggestion_words(content, suggestion, partners))


def suggestion_draft(
    content: Content, suggestion: Suggestion, partners: Sequence[Partner], today: dt.date
) -> CelebrationDraft:
    """The celebration dialog filled in for this moment (never dated after today, whatever a
    machine's clock said when the moment was written)."""
    words = suggestion_words(content, suggestion, partners, subject_max=TITLE_MAX)
    title = content.text(f"suggest.{suggestion.reason}_title", **words)
    return CelebrationDraft(
        title=_short(title, TITLE_MAX),
        step=suggestion.step,
        size=suggestion.size,
        day=min(suggestion.day, today),
        suggestion=suggestion.key,
    )


class SuggestionPanel(Vertical):
    """Up to two suggestions, each with "Celebrate it" and "Let it pass"."""

    class Celebrate(Message):
        def __init__(self, suggestion: Suggestion) -> None:
            super().__init__()
            self.suggestion = suggestion

    class LetPass(Message):
        def __init__(self, suggestion: Suggestion) -> None:
            super().__init__()
            self.suggestion = suggestion

    def __init__(self, content: Content, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.content = content
        self.suggestions: list[Suggestion] = []

    def compose(self) -> ComposeResult:
        text = self.content.text
        for index in range(SHOWN):
            with Horizontal(id=f"suggestion-{index}", classes="suggestion"):
                yield Static(classes="suggestion-line")
                yield Button(text("suggest.celebrate"), compact=True, classes="suggestion-celebrate")
                yield Button(text("suggest.let_pass"), compact=True, classes="suggestion-pass")
        yield Static(id="suggestion-more", classes="suggestion-more")

    def show(self, suggestions: Sequence[Suggestion], partners: Sequence[Partner]) -> None:
        self.suggestions = list(suggestions)
        for index in range(SHOWN):
            row = self.query_one(f"#suggestion-{index}")
            row.display = index < len(suggestions)
            if index < len(suggestions):
                line = Text()
                line.append("✦ ", "bold")
                line.append_text(safe_text(suggestion_line(self.content, suggestions[index], partners)))
                row.query_one(".suggestion-line", Static).update(line)
        more = self.query_one("#suggestion-more", Static)
        more.display = len(suggestions) > SHOWN
        if len(suggestions) > SHOWN:
            more.update(Text(self.content.text("suggest.more", count=len(suggestions) - SHOWN)))

    @on(Button.Pressed, ".suggestion-celebrate")
    @on(Button.Pressed, ".suggestion-pass")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        row = event.button.parent
        index = int((row.id or "suggestion-0").removeprefix("suggestion-")) if row else 0
        if index >= len(self.suggestions):
            return
        suggestion = self.suggestions[index]
        if event.button.has_class("suggestion-celebrate"):
            self.post_message(self.Celebrate(suggestion))
        else:
            self.post_message(self.LetPass(suggestion))
