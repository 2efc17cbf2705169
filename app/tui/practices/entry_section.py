"""One list of a practice's entries: what it holds and how an entry reads (``Section``, with
``View``, what a section needs to draw its entries, and ``byline`` and ``labelled``, the lines
entries share), and the widget that shows it (``EntrySection``: a heading with a count and an add
button, the list, and an invitation when it is empty)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from app.content import Content
from app.domain.models import RecordModel
from app.tui.screens.practice_form import FormField
from app.tui.widgets.safe import safe_text
from app.words import day_words

LONG_LIST = 40
"""Rows beyond which an entry list is as tall as it may be (styles: ``.entry-list.-long``) rather
than as tall as its entries: Textual measures every entry, wrapping its text, on each layout to
size a list by its content (~0.1 s a pass for a few hundred entries, several passes a showing)."""


@dataclass(frozen=True)
class View:
    """What a section needs to show its entries: who is who, who is writing, what is private."""

    acting: str
    names: dict[str, str]
    private: frozenset[str]
    today: dt.date
    content: Content

    def text(self, key: str, **fmt: object) -> str:
        return self.content.text(key, **fmt)

    def name(self, partner_id: str) -> str:
        return self.names.get(partner_id, "")

    def day(self, day: dt.date) -> str:
        """The day as an entry shows it: "Thu 12 Nov", with the year when it is not this one."""
        return day_words(self.content, day, "entry", self.today)

    @property
    def other(self) -> str:
        return next((p for p in self.names if p != self.acting), "")


@dataclass(frozen=True)
class Section:
    """One list in a practice; words come from ``[<table>]`` keys prefixed ``<key>_``."""

    key: str
    model: type[RecordModel]
    table: str
    render: Callable[[Any, View], RenderableType]
    form: Callable[[Any | None, View], list[FormField]]
    fixed: Callable[[Any | None, View], dict[str, Any]] = lambda entry, view: {}
    private: bool = False  # new entries go to the author's local file until shared
    own_only: bool = False  # only the author changes or deletes an entry
    by_author: bool = False  # grouped: the writer's own first, then the partner's
    order: Callable[[list[Any]], list[Any]] = field(default=lambda entries: entries)
    convert: Callable[[dict[str, Any]], dict[str, Any]] | None = None  # form values -> model fields
    spaced: bool = True  # a rule between entries (for entries of several lines)


def byline(entry: RecordModel, view: View, *, private: bool | None = None) -> Text:
    """The foot of an entry, dimmed: by Alex · edited by Sam · only you."""
    parts = [view.text("practice_form.by", name=view.name(entry.author))]
    if entry.edited_by and entry.edited_by != entry.author:
        parts.append(view.text("practice_form.edited_by", name=view.name(entry.edited_by)))
    if private if private is not None else entry.id in view.private:
        parts.append(view.text("practice_form.only_you"))
    return safe_text(" · ".join(parts), "dim italic", one_line=True)


def labelled(label: str, value: str, style: str = "") -> Text:
    """A label dimmed, then a value from the file made safe."""
    line = Text(f"{label} ", style="dim")
    line.append_text(safe_text(value, style, one_line=True))
    return line


class EntrySection(Vertical):
    """A heading with a count and an add button, the list, and an invitation when it is empty."""

    def __init__(self, section: Section, heading: str, add_label: str, empty: str) -> None:
        super().__init__(id=f"{section.key}-section", classes="entry-section")
        self.section = section
        self.heading = heading
        self.add_label = add_label
        self.empty = empty
        self.entries: dict[str, RecordModel] = {}
        self._waiting: tuple[Sequence[RecordModel], View, tuple[str, str], str | None] | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(classes="entry-heading-row"):
            yield Static(Text(self.heading), id=f"{self.section.key}-heading", classes="entry-heading")
            yield Button(self.add_label, id=f"{self.section.key}-add", classes="entry-add", compact=True)
        yield OptionList(id=f"{self.section.key}-list", classes="entry-list")
        yield Static(Text(self.empty), id=f"{self.section.key}-empty", classes="entry-empty")

    @property
    def option_list(self) -> OptionList:
        return self.query_one(OptionList)

    @property
    def composed(self) -> bool:
        """True once every part is mounted (the heading, inside its row, comes last)."""
        return bool(self.query(OptionList)) and bool(self.query(".entry-heading"))

    def on_mount(self) -> None:
        if self._waiting is not None:
            waiting, self._waiting = self._waiting, None
            self.show(*waiting)

    def show(
        self,
        entries: Sequence[RecordModel],
        view: View,
        group_names: tuple[str, str],
        prefer: str | None = None,
    ) -> None:
        """Show ``entries`` (grouped by author when the section says so), keeping the highlight
        (or moving it to ``prefer``, an entry just added)."""
        if not self.composed:  # shown before its parts are mounted: shown once they are
            self._waiting = (entries, view, group_names, prefer)
            return
        options = self.option_list
        held = options.highlighted_option.id if options.highlighted_option else None
        if prefer is not None and any(entry.id == prefer for entry in entries):
            held = prefer
        self.entries = {entry.id: entry for entry in entries}
        rows: list[Option | None] = []
        if self.section.by_author:
            for partner, heading in zip((view.acting, view.other), group_names, strict=True):
                mine = [e for e in entries if e.author == partner]
                if mine:
                    if rows:
                        rows.append(None)
                    rows.append(Option(safe_text(heading, "bold", one_line=True), disabled=True))
                    rows += self._rows(mine, view)
        else:
            rows = self._rows(entries, view)
        options.set_options(rows)
        options.set_class(len(rows) > LONG_LIST, "-long")
        if held and held in self.entries:
            options.highlighted = options.get_option_index(held)
        elif entries:
            options.highlighted = next(i for i, o in enumerate(options.options) if not o.disabled)
        count = Text(self.heading)
        if entries:
            count.append(f"  {len(entries)}", "dim")
        self.query_one(".entry-heading", Static).update(count)
        options.display = bool(entries)
        self.query_one(".entry-empty", Static).display = not entries

    def _rows(self, entries: Sequence[RecordModel], view: View) -> list[Option | None]:
        """An option an entry; entries of more than one line get a quiet rule between them."""
        rows: list[Option | None] = []
        for entry in entries:
            if rows and self.section.spaced:
                rows.append(None)
            rows.append(Option(self.section.render(entry, view), id=entry.id))
        return rows

    @property
    def highlighted(self) -> RecordModel | None:
        if not self.composed:
            return None
        option = self.option_list.highlighted_option
        return self.entries.get(option.id) if option is not None and option.id else None


def section_of(widget: Widget | None) -> EntrySection | None:
    """The section ``widget`` is in (or is), None outside any."""
    if widget is None or isinstance(widget, EntrySection):
        return widget
    try:
        return widget.query_ancestor(EntrySection)
    except NoMatches:
        return None
