"""A practice's sections stacked in a scrolling column: built from what the practice gives
(``build_sections`` and the ``compose_*`` hooks), read from the store (``refresh_entries``), and
which one the keyboard is in (``current``). ``SectionedPractice`` (sections.py) adds the keys.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Button, OptionList

from app.tui.practices.base import Practice
from app.tui.practices.entry_section import EntrySection, Section, View, section_of
from app.words import counted


class SectionStack(Practice):
    """``EntrySection`` s in a scrolling column; subclasses say which in ``build_sections``."""

    TABLE: ClassVar[str]  # the practice's words in ui.toml

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="sectioned-practice")
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
