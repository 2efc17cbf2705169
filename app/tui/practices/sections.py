"""Lists of entries with a heading, an invitation when empty, and the keys to add and change them.

Steps 4 to 7 each hold a few small lists (contacts, sessions, questions; a
pattern log and each partner's boundaries ...). A ``Section`` says what one
list holds and how an entry looks and is edited; an ``EntrySection`` shows it;
a ``SectionedPractice`` stacks them in a scrolling column and gives them the
same keys (n new, e or Enter edit, x delete, s share or take a share back),
acting on the list the keyboard is in. Nothing here writes: the forms return
what was typed and the practice posts ``SaveEntry`` / ``DeleteEntry`` /
``ShareEntry`` / ``UnshareEntry``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from app.content import Content
from app.domain.models import RecordModel
from app.tui.messages import DeleteEntry, SaveEntry, ShareEntry, UnshareEntry
from app.tui.practices.base import Practice
from app.tui.screens.confirm import Confirm
from app.tui.screens.practice_form import FormField, FormResult, PracticeForm
from app.tui.widgets.keys import describe_keys
from app.tui.widgets.safe import safe_str, safe_text
from app.words import counted, day_words

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


class SectionedPractice(Practice):
    """A practice made of ``EntrySection`` s; subclasses say which in ``build_sections``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", id="practice.new"),
        Binding("e", "edit", id="practice.edit"),
        Binding("x", "delete", id="practice.delete"),
        Binding("s", "share", id="practice.share"),
        Binding("s", "take_back", id="practice.take_back"),  # on one's own shared entry instead
    ]
    TABLE: ClassVar[str]  # the practice's words in ui.toml
    FORM: ClassVar[type[PracticeForm]] = PracticeForm  # a subclass's form may do more (steps 1-3)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="sectioned-practice")
        describe_keys(self, self.kintsugi.content)
        self.sections = self.build_sections()
        self._last_section: str | None = None
        self._adding: dict[str, set[str]] = {}  # section key -> the ids it showed when a new entry was saved
        self._asked_before_mount: set[str] = set()  # what was asked before its sections were mounted

    # -- what subclasses give ----------------------------------------------------------

    def build_sections(self) -> list[Section]:
        return []

    def compose_top(self) -> ComposeResult:
        """What comes above the sections (an intro, a summary)."""
        yield from ()

    def compose_between(self, section: Section) -> ComposeResult:
        """What comes just before a section (a sub-heading, a guide)."""
        yield from ()

    def compose_after(self) -> ComposeResult:
        """What comes after the sections."""
        yield from ()

    def group_names(self, section: Section, view: View) -> tuple[str, str]:
        """Headings for the writer's own entries and the partner's, in a section grouped by author."""
        return (self.words("yours"), self.words("theirs", name=view.name(view.other)))

    def refresh_more(self, view: View) -> None:
        """Re-read anything else the practice shows."""

    # -- words and state ----------------------------------------------------------------

    def words(self, key: str, **fmt: object) -> str:
        return self.kintsugi.content.text(f"{self.TABLE}.{key}", **fmt)

    def counted(self, key: str, count: int, **fmt: object) -> str:
        """The practice's sentence for one or for ``count`` (a table of ``one`` and ``many``)."""
        return counted(self.kintsugi.content, f"{self.TABLE}.{key}", count, **fmt)

    def compose(self) -> ComposeResult:
        with VerticalScroll(can_focus=False, classes="practice-scroll"):
            yield from self.compose_top()
            for section in self.sections:
                yield from self.compose_between(section)
                yield EntrySection(
                    section,
                    self.words(f"{section.key}_heading"),
                    self.words(f"{section.key}_add"),
                    self.words(f"{section.key}_empty"),
                )
            yield from self.compose_after()

    def view(self) -> View | None:
        app = self.kintsugi
        if not app.ready or app.acting is None:
            return None
        with self.reporting() as attempt:
            names = {p.id: p.name for p in app.store.partners}
        if attempt.failed:
            return None
        private = frozenset().union(
            *(app.store.private_ids(section.model) for section in self.sections if section.private)
        )
        return View(acting=app.acting, names=names, private=private, today=app.today(), content=app.content)

    @property
    def composed(self) -> bool:
        """True once every section's parts are mounted (a practice is built when first shown)."""
        sections = list(self.query(EntrySection))
        return bool(sections) and all(widget.composed for widget in sections)

    def on_mount(self) -> None:
        """Its sections are mounted now (Textual mounts what a widget composes first): do what was
        asked before."""
        asked, self._asked_before_mount = self._asked_before_mount, set()
        if "read" in asked:
            self.refresh_entries()
        if "focus" in asked:
            self.focus_first()

    def refresh_entries(self) -> None:
        if not self.composed:  # just built: read once its sections are mounted
            self._asked_before_mount.add("read")
            return
        view = self.view()
        if view is None:
            return
        with self.reporting():
            for section in self.sections:
                entries = section.order(self.kintsugi.store.entries(section.model, viewer=view.acting))
                widget = self.query_one(f"#{section.key}-section", EntrySection)
                groups = self.group_names(section, view) if section.by_author else ("", "")
                before = self._adding.get(section.key)
                added = [e.id for e in entries if before is not None and e.id not in before]
                if added:
                    del self._adding[section.key]
                widget.show(entries, view, groups, prefer=added[-1] if added else None)
            self.refresh_more(view)
        self.refresh_bindings()

    def section_widget(self, key: str) -> EntrySection:
        return self.query_one(f"#{key}-section", EntrySection)

    def current(self) -> EntrySection:
        """The section the keyboard is in (or was in last, or the first)."""
        section = section_of(self.screen.focused)
        if section is not None:
            return section
        if self._last_section:
            return self.section_widget(self._last_section)
        return self.query(EntrySection).first()

    def focus_first(self) -> None:
        """The first list with entries in it, or else the first add button."""
        if not self.composed:  # just built: once its sections are mounted
            self._asked_before_mount.add("focus")
            return
        for widget in self.query(EntrySection):
            if widget.option_list.display:
                widget.option_list.focus()
                return
        self.query(".entry-add").first(Button).focus()

    def on_descendant_focus(self) -> None:
        section = section_of(self.screen.focused)
        if section is not None:
            self._last_section = section.section.key
        self.refresh_bindings()

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        sharing = action in {"share", "take_back"}
        if action in {"edit", "delete"} or sharing:
            if not self.is_mounted or not self.query(EntrySection):
                return None
            section = self.current()
            if sharing and not section.section.private:
                return False
            entry = section.highlighted
            view = self.view() if sharing else None
            if entry is None or (sharing and view is None):
                return False if action == "take_back" else None
            if view is not None:
                private, mine = entry.id in view.private, entry.author == view.acting
                if action == "take_back":
                    return mine and not private
                return True if private else (False if mine else None)  # False: s takes it back
        return True

    # -- the keys ----------------------------------------------------------------------

    def _mine_or_say(self, section: EntrySection, entry: RecordModel, view: View) -> bool:
        if section.section.own_only and entry.author != view.acting:
            name = safe_str(view.name(entry.author))
            self.notify(self.kintsugi.content.text("practice_form.not_yours", name=name), markup=False)
            return False
        return True

    def action_new(self, key: str | None = None) -> None:
        self.open_form(self.section_widget(key) if key else self.current(), None)

    def action_edit(self) -> None:
        section = self.current()
        entry = section.highlighted
        if entry is not None:
            self.open_form(section, entry)

    def open_form(self, widget: EntrySection, entry: RecordModel | None) -> None:
        view = self.view()
        if view is None:
            return
        section = widget.section
        if entry is not None and not self._mine_or_say(widget, entry, view):
            return
        heading = self.words(f"{section.key}_{'edit' if entry else 'new'}")
        intro = self.words(f"{section.key}_private_intro") if section.private and entry is None else ""
        form = self.FORM(
            heading,
            section.form(entry, view),
            section.model,
            intro=intro,
            fixed=section.fixed(entry, view),
            can_delete=entry is not None,
            delete_question=self.words(f"{section.key}_delete"),
            convert=section.convert,
            base=entry,
            **self.form_options(section),
        )

        def done(result: FormResult | None) -> None:
            if result is None:
                return
            if result.delete and entry is not None:
                self.post_message(DeleteEntry(section.model, entry.id))
                return
            fields = {**section.fixed(entry, view), **result.fields}
            if entry is None:
                self._adding[section.key] = set(widget.entries)
            self.post_message(
                SaveEntry(
                    section.model,
                    fields,
                    record_id=entry.id if entry else None,
                    private=section.private and entry is None,
                )
            )
            widget.option_list.focus()

        self.app.push_screen(form, done)

    def form_options(self, section: Section) -> dict[str, Any]:
        """More keyword arguments for ``FORM`` when it opens for ``section`` (none here)."""
        return {}

    def action_delete(self) -> None:
        widget = self.current()
        entry = widget.highlighted
        view = self.view()
        if entry is None or view is None or not self._mine_or_say(widget, entry, view):
            return
        model = widget.section.model

        def answered(sure: bool | None) -> None:
            if sure:
                self.post_message(DeleteEntry(model, entry.id))

        text = self.kintsugi.content.text
        question = self.words(f"{widget.section.key}_delete")
        sure = Confirm(question, text("practice_form.delete"), text("practice_form.keep"), variant="error")
        self.app.push_screen(sure, answered)

    def action_share(self) -> None:
        widget = self.current()
        entry = widget.highlighted
        if entry is not None:
            self.ask_to_share(widget, entry)

    def ask_to_share(self, widget: EntrySection, entry: RecordModel) -> None:
        """Say who will read it and ask; only a yes shares it (the key, and the palette's commands)."""
        view = self.view()
        if view is None or not widget.section.private:
            return
        text = self.kintsugi.content.text
        if entry.id not in view.private:
            self.notify(text("practice_form.already_shared"), markup=False)
            return
        name = view.name(view.other)

        def answered(yes: bool | None) -> None:
            if yes:
                self.post_message(ShareEntry(widget.section.model, entry.id))
                self.notify(text("practice_form.shared_with", name=safe_str(name)), markup=False)

        self.app.push_screen(
            Confirm(
                safe_text(text("practice_form.share_question", name=name)),
                text("practice_form.share_yes", name=safe_str(name)),
                text("practice_form.share_no"),
            ),
            answered,
        )

    def action_take_back(self) -> None:
        """Ask, saying honestly what the partner's copy keeps; a yes makes the entry private again."""
        widget = self.current()
        entry = widget.highlighted
        view = self.view()
        if entry is None or view is None or entry.id in view.private or entry.author != view.acting:
            return
        text = self.kintsugi.content.text
        name = view.name(view.other)

        def answered(yes: bool | None) -> None:
            if yes:
                self._adding[widget.section.key] = set(widget.entries)  # the highlight follows it
                self.post_message(UnshareEntry(widget.section.model, entry.id))
                self.notify(text("practice_form.taken_back", name=safe_str(name)), markup=False)

        self.app.push_screen(
            Confirm(
                safe_text(text("practice_form.take_back_question", name=name)),
                text("practice_form.take_back_yes"),
                text("practice_form.take_back_no"),
            ),
            answered,
        )

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        for widget in self.query(EntrySection):
            if widget.option_list is event.option_list:
                self._last_section = widget.section.key
                self.on_option_chosen(widget)
                return

    def on_option_chosen(self, widget: EntrySection) -> None:
        """Enter or a click on an entry: edit it (a practice may do something else)."""
        entry = widget.highlighted
        if entry is not None:
            self.open_form(widget, entry)

    @on(Button.Pressed, ".entry-add")
    def _add_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        section = section_of(event.button)
        if section is not None:
            self._last_section = section.section.key
            self.open_form(section, None)


def section_of(widget: Widget | None) -> EntrySection | None:
    """The section ``widget`` is in (or is), None outside any."""
    if widget is None or isinstance(widget, EntrySection):
        return widget
    try:
        return widget.query_ancestor(EntrySection)
    except NoMatches:
        return None
