"""Step 6, Practise self-compassion: the inner critic and the kind reply, and a short pause.

A harsh thought and how I would say it to someone I love, side by side. They
are private by default (this machine's local file, the author's only) and
``s`` shares one; a partner's shared ones are shown below one's own, to read,
not to change. ``b`` opens a self-compassion pause (screens/compassion_break.py)
whose optional note is kept privately too.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from functools import partial
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from app.domain.practices.kindness import CompassionBreak, KindReply
from app.store.storage import StoreError
from app.tui.messages import SaveEntry
from app.tui.practices.entry_section import Section, View
from app.tui.practices.sections import SectionedPractice
from app.tui.screens.compassion_break import CompassionBreakScreen
from app.tui.screens.practice_form import FormField
from app.tui.widgets.safe import safe_markup, safe_text


class KindnessPractice(SectionedPractice):
    STEP: ClassVar[int] = 6
    TABLE: ClassVar[str] = "practice_kindness"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("b", "take_break", id="practice.take_break")]

    def build_sections(self) -> list[Section]:
        return [
            Section(
                "replies",
                KindReply,
                self.TABLE,
                self._reply,
                self._form,
                private=True,
                own_only=True,
                by_author=True,
            )
        ]

    def compose_top(self) -> ComposeResult:
        yield Static(Text(self.words("intro")), classes="practice-summary")

    def compose_after(self) -> ComposeResult:
        with Vertical(id="break-box"):
            with Horizontal(id="break-row"):
                yield Static(Text(self.words("break_heading")), id="break-heading")
                yield Button(self.words("break_button"), id="break-start", compact=True)
            yield Static(Text(self.words("break_text")), id="break-intro")
            yield Static(id="break-summary")

    # -- how a thought looks --------------------------------------------------------------

    def _reply(self, reply: KindReply, view: View) -> RenderableType:
        grid = Table.grid(padding=(0, 2), expand=True)
        grid.add_column(ratio=1)
        grid.add_column(ratio=1)
        grid.add_row(Text(self.words("critic"), "dim"), Text(self.words("kinder"), "dim"))
        kind = (
            safe_text(reply.kind) if reply.kind.strip() else Text(self.words("no_kind_reply"), "dim italic")
        )
        grid.add_row(safe_text(reply.harsh, "italic"), kind)
        if reply.author != view.acting:
            return grid
        if reply.id in view.private:
            status = Text(view.text("practice_form.only_you"), "dim italic")
        else:
            status = safe_text(self.words("shared_with", name=view.name(view.other)), "dim italic")
        return Group(grid, status)

    def _form(self, reply: KindReply | None, view: View) -> list[FormField]:
        return [
            FormField(
                "harsh",
                self.words("harsh_label"),
                "text",
                value=reply.harsh if reply else "",
                placeholder=self.words("harsh_placeholder"),
                required=True,
            ),
            FormField(
                "kind",
                self.words("kind_label"),
                "text",
                value=reply.kind if reply else "",
                placeholder=self.words("kind_placeholder"),
            ),
        ]

    def refresh_more(self, view: View) -> None:
        with self.reporting() as attempt:
            taken = [
                b
                for b in self.kintsugi.store.entries(CompassionBreak, viewer=view.acting)
                if b.author == view.acting
            ]
        if attempt.failed:
            return
        summary = Text()
        if taken:
            last = max(taken, key=lambda b: (b.day, b.created))
            day = view.day(last.day)
            summary.append(self.counted("breaks", len(taken), day=day))
            notes = [b for b in sorted(taken, key=lambda b: (b.day, b.created)) if b.note.strip()]
            if notes:
                summary.append("\n" + self.words("last_note"), "dim")
                summary.append_text(safe_text(notes[-1].note, "italic", one_line=True))
        self.query_one("#break-summary", Static).update(summary)
        self.query_one("#break-summary").display = bool(taken)

    def _share_commands(self) -> list[tuple[str, Callable[[], object], str]]:
        """One "share" a private thought of the writer's (palette titles are markup: escaped)."""
        app = self.kintsugi
        writer, other = app.writer_and_other()
        found: list[tuple[str, Callable[[], object], str]] = []
        for reply in app.store.entries(KindReply, viewer=writer.id):
            if reply.author == writer.id and app.store.is_private(KindReply, reply.id):
                words = " ".join(reply.harsh.split())
                words = words if len(words) <= 40 else words[:39] + "…"
                found.append(
                    (
                        app.content.text("practice_kindness.commands.share_reply", harsh=safe_markup(words)),
                        partial(self.ask_to_share, self.section_widget("replies"), reply),
                        app.content.text(
                            "practice_kindness.commands.share_reply_help", name=safe_markup(other.name)
                        ),
                    )
                )
        return found

    # -- the pause ------------------------------------------------------------------------

    @on(Button.Pressed, "#break-start")
    def action_take_break(self) -> None:
        def finished(note: str | None) -> None:
            if note is None:
                return
            self.post_message(
                SaveEntry(CompassionBreak, {"day": self.kintsugi.today(), "note": note}, private=True)
            )
            self.notify(self.words("break_kept"), markup=False)

        self.app.push_screen(CompassionBreakScreen(), finished)

    def commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app = self.kintsugi
        text = app.content.text
        found: list[tuple[str, Callable[[], object], str]] = [
            (
                text("practice_kindness.commands.replies"),
                lambda: self.action_new("replies"),
                text("practice_kindness.commands.replies_help"),
            ),
            (
                text("practice_kindness.commands.take_break"),
                self.action_take_break,
                text("practice_kindness.commands.take_break_help"),
            ),
        ]
        if app.ready:
            with suppress(StoreError):  # the palette lists what it can; the screen says what is wrong
                found += self._share_commands()
        return found
