"""Forgiveness: guided repair conversations after a hurt or a fight.

Each conversation is one record both partners read (app/domain/repair.py,
``Repair``): each writes their own half, on their own machine or in turn at
one keyboard, and the halves merge. The list is newest first; the one under
the cursor shows both halves below it (side by side when there is room).
``RepairForm`` is where the partner writing now writes their half.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import cast

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, DataTable, Header, Input, Select, Static, TextArea

from app.content import Content
from app.domain.models import TITLE_MAX, Partner
from app.domain.repair import REPAIR_PARTS, ApologyResponse, Repair, repairs_newest_first
from app.tui.base import FollowsTheStore, UsesKintsugi
from app.tui.messages import Saved
from app.tui.screens import STYLES
from app.tui.screens.confirm import Confirm
from app.tui.screens.question import leave, leaving_keys
from app.tui.textual_patches import QuietFocus, SizedAtOnce
from app.tui.widgets.feelings import FeelingPicker
from app.tui.widgets.footer import KeyFooter
from app.tui.widgets.keys import describe_keys
from app.tui.widgets.safe import kept, safe_str, safe_text
from app.tui.widgets.scroll import ScrollArea
from app.words import day_words

SHORT_PARTS = ("feelings", "next_time")
"""Parts asked for in one line; the others get a few lines each."""
NO_RESPONSE = "none"


def half_table(repair: Repair, partner_id: str, text: Callable[..., str]) -> Table:
    """One partner's half as a grid: the part's name, then the words (parts with words only)."""
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(ratio=1)
    half = repair.half(partner_id)
    for part in REPAIR_PARTS:
        value = half[part]
        if not value.strip():
            continue
        if table.row_count:
            table.add_row("")
        table.add_row(Text(text(f"repair.parts.{part}"), style="bold"))
        if part == "response":
            table.add_row(Text(text(f"repair.responses.{value}")))
        else:
            table.add_row(safe_text(value))
    return table


def repair_invitation(content: Content) -> Text:
    """The line a step's practice shows to lead to repair conversations (key r)."""
    line = Text(content.text("repair.practice_line"), "italic")
    line.append(" ")
    line.append(content.text("repair.practice_hint"), "dim")
    return line


class RepairScreen(QuietFocus, SizedAtOnce, FollowsTheStore, Screen[None]):
    """The couple's repair conversations, and both halves of the one under the cursor."""

    CSS_PATH = STYLES / "repair.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("escape", "back", id="back"),
        Binding("n", "new", id="repair_new"),
        Binding("e", "write", id="repair_write"),
        Binding("x", "delete", id="repair_delete"),
        *leaving_keys(),
    ]
    AUTO_FOCUS = "#repairs"

    def __init__(self) -> None:
        super().__init__()
        describe_keys(self, self.kintsugi.content)
        self.shown: list[Repair] = []

    def compose(self) -> ComposeResult:
        text = self.kintsugi.content.text
        yield Header()
        with Vertical(id="repair-page"):
            yield Static(Text(text("repair.heading")), classes="section-title")
            yield Static(Text(text("repair.intro")), classes="intro")
            yield DataTable(id="repairs", cursor_type="row", zebra_stripes=False)
            yield Static(id="repairs-empty", classes="note")
            with ScrollArea(id="repair-halves"):
                yield Static(id="repair-about")
                with Horizontal(id="halves"):
                    with Vertical(classes="repair-half", id="half-mine"):
                        yield Static(id="half-mine-name", classes="half-name")
                        yield Static(id="half-mine-words")
                    with Vertical(classes="repair-half", id="half-theirs"):
                        yield Static(id="half-theirs-name", classes="half-name")
                        yield Static(id="half-theirs-words")
        yield KeyFooter()

    def on_mount(self) -> None:
        text = self.kintsugi.content.text
        table = self.query_one("#repairs", DataTable)
        table.add_column(text("repair.day_column"), key="day", width=11)
        table.add_column(text("repair.about_column"), key="about")
        table.add_column(text("repair.halves_column"), key="halves")
        self.follow_the_store(self.reread)
        self.watch(self.app, "acting", self.reread, init=False)
        self.reread()

    @property
    def selected(self) -> Repair | None:
        table = self.query_one("#repairs", DataTable)
        if not self.shown or table.cursor_row < 0 or table.cursor_row >= len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def reread(self) -> None:
        app = self.kintsugi
        if not app.ready:
            return
        with self.reporting() as attempt:
            partners = app.store.partners
            repairs = repairs_newest_first(app.store.records(Repair))
        if attempt.failed:
            return
        text = app.content.text
        keep = self.selected.id if self.selected else None
        self.shown = repairs
        table = self.query_one("#repairs", DataTable)
        table.clear()
        for repair in repairs:
            written = [p.name for p in partners if repair.filled_by(p.id)]
            table.add_row(
                day_words(self.kintsugi.content, repair.day, "day_with_year"),
                safe_text(repair.about, one_line=True),
                Text(", ".join(safe_str(name) for name in written) or text("repair.nobody")),
                key=repair.id,
            )
        if keep is not None and keep in {r.id for r in repairs}:
            table.move_cursor(row=[r.id for r in repairs].index(keep))
        table.display = bool(repairs)
        self.query_one("#repair-halves").display = bool(repairs)
        empty = self.query_one("#repairs-empty", Static)
        empty.display = not repairs
        empty.update(Text(text("repair.none")))
        self._show_halves()
        self.refresh_bindings()

    @on(DataTable.RowHighlighted, "#repairs")
    def _show_halves(self) -> None:
        repair, app = self.selected, self.kintsugi
        if repair is None or app.acting is None:
            return
        with self.reporting() as attempt:
            writer, other = app.writer_and_other()
        if attempt.failed:
            return
        text = app.content.text
        about = Text()
        about.append(f"{day_words(app.content, repair.day, 'date')}  ", "dim")
        about.append_text(safe_text(repair.about, "bold", one_line=True))
        self.query_one("#repair-about", Static).update(about)
        for where, partner in (("mine", writer), ("theirs", other)):
            if partner is writer:
                name = Text(text("repair.my_half"), style="bold")
            else:
                name = Text(text("repair.their_half", name=safe_str(partner.name)), style="bold")
            self.query_one(f"#half-{where}-name", Static).update(name)
            words = self.query_one(f"#half-{where}-words", Static)
            if repair.filled_by(partner.id):
                words.update(half_table(repair, partner.id, text))
            elif partner is writer:
                words.update(Text(text("repair.mine_not_yet"), style="italic"))
            else:
                words.update(Text(text("repair.not_yet", name=safe_str(partner.name)), style="italic"))

    # -- actions -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"write", "delete"}:
            return self.selected is not None
        return True

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_leave(self, where: str, step: int) -> None:
        leave(self, where, step)

    def action_new(self) -> None:
        if self.kintsugi.ready:
            self.app.push_screen(RepairForm(None))

    @on(DataTable.RowSelected, "#repairs")
    def action_write(self) -> None:
        if self.selected is not None and self.kintsugi.ready:
            self.app.push_screen(RepairForm(self.selected))

    def action_delete(self) -> None:
        repair = self.selected
        if repair is None:
            return
        question = Text(self.kintsugi.content.text("repair.confirm_delete"))
        question.append("\n")
        question.append_text(safe_text(repair.about, "bold", one_line=True))
        content = self.kintsugi.content

        def decided(yes: bool | None) -> None:
            app = self.kintsugi
            if not yes or app.acting is None:
                return
            with self.reporting() as attempt:
                app.store.delete(Repair, repair.id, app.acting)
            if attempt.failed:
                return
            self.post_message(Saved())

        self.app.push_screen(
            Confirm(question, content.text("common.yes"), content.text("common.no")),
            decided,
        )


class RepairForm(QuietFocus, UsesKintsugi, Screen[bool]):
    """The writer's half of a repair conversation (a new one when ``repair`` is None).

    The store call is made here, as the partner writing now: if it fails, the
    form stays with what was typed and says why.
    """

    CSS_PATH = STYLES / "repair.tcss"
    BINDINGS = [
        Binding("escape", "cancel", id="dialog_cancel"),
        Binding("ctrl+s", "save", id="dialog_save"),
    ]
    AUTO_FOCUS = "#repair-about-input"

    def __init__(self, repair: Repair | None, today: dt.date | None = None) -> None:
        super().__init__()
        self.repair = repair
        self.today = today
        describe_keys(self, self.kintsugi.content)

    def compose(self) -> ComposeResult:
        app = self.kintsugi
        text = app.content.text
        writer, other = app.writer_and_other()
        half = self.repair.half(writer.id) if self.repair else dict.fromkeys(REPAIR_PARTS, "")
        yield Header()
        with ScrollArea(id="repair-form"):
            yield Static(
                Text(text("repair.my_half") if self.repair else text("repair.start")), classes="section-title"
            )
            yield Static(Text(text("repair.both_true")), classes="intro")
            yield Static(Text(text("repair.about")), classes="repair-label")
            yield Input(
                safe_str(self.repair.about) if self.repair else "",
                placeholder=text("repair.about_placeholder"),
                max_length=TITLE_MAX,
                id="repair-about-input",
                compact=True,
            )
            for part in REPAIR_PARTS:
                if part == "response":
                    yield from self._response_part(other, half["response"])
                    continue
                yield Static(Text(text(f"repair.parts.{part}")), classes="repair-label")
                placeholder = text(f"repair.placeholders.{part}")
                if part == "feelings":
                    yield FeelingPicker(half[part], id="part-feelings", compact=True)
                elif part in SHORT_PARTS:
                    yield Input(
                        safe_str(half[part]),
                        placeholder=placeholder,
                        max_length=TITLE_MAX,
                        id=f"part-{part}",
                        compact=True,
                    )
                else:
                    area = TextArea(
                        safe_str(half[part], one_line=False),
                        id=f"part-{part}",
                        soft_wrap=True,
                        tab_behavior="focus",
                        compact=True,
                    )
                    area.placeholder = placeholder
                    yield area
            with Horizontal(classes="repair-buttons"):
                yield Button(text("common.save"), variant="primary", id="repair-save", compact=True)
                yield Button(text("common.cancel"), id="repair-cancel", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.call_after_refresh(self.query_one("#repair-form", ScrollArea).scroll_home, animate=False)

    def _response_part(self, other: Partner, response: str) -> ComposeResult:
        text = self.kintsugi.content.text
        yield Static(Text(text("repair.parts.response")), classes="repair-label")
        theirs = self.repair.half(other.id)["apology"] if self.repair else ""
        if theirs.strip():
            yield Static(safe_text(theirs, "italic"), classes="their-apology")
        else:
            yield Static(Text(text("repair.no_apology", name=safe_str(other.name)), style="dim italic"))
        choices = [(text(f"repair.responses.{choice}"), choice) for choice in (NO_RESPONSE, *ApologyResponse)]
        yield Select(
            [(label, str(value)) for label, value in choices],
            value=response or NO_RESPONSE,
            allow_blank=False,
            id="part-response",
            compact=True,
        )

    def _half(self) -> dict[str, str]:
        stored = self.repair.half(self.kintsugi.acting or "") if self.repair else {}
        half = {}
        for part in REPAIR_PARTS:
            widget = self.query_one(f"#part-{part}")
            if isinstance(widget, FeelingPicker):
                half[part] = widget.value
            elif isinstance(widget, Select):
                value = str(widget.value)
                half[part] = "" if value == NO_RESPONSE else value
            elif isinstance(widget, TextArea):
                half[part] = kept(widget.text, stored.get(part, ""), one_line=False)
            else:
                half[part] = kept(cast(Input, widget).value, stored.get(part, ""))
        return half

    @on(Button.Pressed, "#repair-save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        app = self.kintsugi
        if app.acting is None:
            return
        typed = self.query_one("#repair-about-input", Input).value
        about = kept(typed, self.repair.about) if self.repair else typed
        if not about.strip():
            self.notify(app.content.text("repair.needs_words"), severity="error", markup=False)
            self.query_one("#repair-about-input").focus()
            return
        with self.reporting() as attempt:
            _, other = app.writer_and_other()
            app.store.save_half(
                app.acting,
                self._half(),
                repair_id=self.repair.id if self.repair else None,
                about=about,
                day=None if self.repair else (self.today or app.today()),
            )
        if attempt.failed:
            return
        self.notify(app.content.text("repair.saved", name=safe_str(other.name)), markup=False)
        self.app.post_message(Saved())
        self.dismiss(True)

    @on(Button.Pressed, "#repair-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
