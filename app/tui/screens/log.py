"""The celebration log: every step forward, month by month, newest first.

The timeline is a light list that draws only what is on screen, so
thousands of celebrations stay quick to show and to filter. Filters (step,
who logged it, size) and the search box narrow it down; enter or a click
opens a celebration, where the other partner can react.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Header, Input, Select, Static

from app.domain.models import Celebration, CelebrationSize, Partner
from app.tui.base import FollowsTheStore
from app.tui.screens import STYLES
from app.tui.textual_patches import KeepsItsStyles, QuietFocus
from app.tui.widgets.footer import KeyFooter
from app.tui.widgets.keys import describe_keys
from app.tui.widgets.safe import safe_text
from app.tui.widgets.timeline import Timeline, line_for, timeline_rows
from app.words import counted

ALONG_THE_STEPS = 0
"""The step filter's value for "any of the nine steps" (step 9 opens the log with it)."""


@dataclass(frozen=True)
class LogFilter:
    """What the log shows: None means any; step ``ALONG_THE_STEPS`` means any step at all."""

    step: int | None = None
    partner: str | None = None
    size: CelebrationSize | None = None
    search: str = ""

    def matches(self, celebration: Celebration) -> bool:
        if self.step == ALONG_THE_STEPS:
            if celebration.step is None:
                return False
        elif self.step is not None and celebration.step != self.step:
            return False
        if self.partner is not None and celebration.author != self.partner:
            return False
        if self.size is not None and celebration.size != self.size:
            return False
        if self.search:
            words = " ".join([celebration.title, celebration.note, *celebration.reactions.values()])
            return all(part in words.casefold() for part in self.search.casefold().split())
        return True


def filtered(celebrations: Iterable[Celebration], wanted: LogFilter) -> list[Celebration]:
    return [c for c in celebrations if wanted.matches(c)]


class CelebrationsScreen(QuietFocus, KeepsItsStyles, FollowsTheStore, Screen[None]):
    """The log mode (``l``)."""

    CSS_PATH = STYLES / "log.tcss"
    AUTO_FOCUS = "#log-timeline"
    BINDINGS = [Binding("slash", "search", id="search", key_display="/")]

    def __init__(self) -> None:
        super().__init__()
        describe_keys(self, self.kintsugi.content)
        self._partners: tuple[tuple[str, str], ...] = ()

    def compose(self) -> ComposeResult:
        content = self.kintsugi.content
        text = content.text
        yield Header()
        with Horizontal(id="log-filters"):
            yield Input(placeholder=text("log.search_placeholder"), id="log-search", compact=True)
            yield Select(
                [(text("log.along_the_steps"), ALONG_THE_STEPS)]
                + [(f"{s.number} {s.title}", s.number) for s in content.steps],
                prompt=text("log.any_step"),
                id="log-step",
                compact=True,
            )
            yield Select([], prompt=text("log.anyone"), id="log-partner", compact=True)
            yield Select(
                [(text(f"celebrate.sizes.{size.value}"), size.value) for size in CelebrationSize],
                prompt=text("log.any_size"),
                id="log-size",
                compact=True,
            )
        yield Static(id="log-summary")
        yield Static(id="log-header")
        yield Timeline(id="log-timeline")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.follow_the_store(self.reread)
        self.reread()

    def on_resize(self) -> None:
        self.call_after_refresh(self._show_header)

    def _show_header(self) -> None:
        text = self.kintsugi.content.text
        width = self.query_one(Timeline).scrollable_content_region.width
        labels = ("day", "", "title", "step", "by", "reactions")
        header = line_for([Text(text(f"log.{name}_column") if name else "") for name in labels], width)
        self.query_one("#log-header", Static).update(header)

    @property
    def wanted(self) -> LogFilter:
        step = self.query_one("#log-step", Select).value
        partner = self.query_one("#log-partner", Select).value
        size = self.query_one("#log-size", Select).value
        return LogFilter(
            step=step if isinstance(step, int) else None,
            partner=partner if isinstance(partner, str) else None,
            size=CelebrationSize(size) if isinstance(size, str) else None,
            search=self.query_one("#log-search", Input).value.strip(),
        )

    def reread(self) -> None:
        app = self.kintsugi
        if not app.ready:
            return
        with self.reporting() as attempt:
            partners = app.store.partners
            celebrations = app.store.celebrations()
        if attempt.failed:
            return
        self._show_partners(partners)
        shown = filtered(celebrations, self.wanted)
        names = {p.id: p.name for p in partners}
        self.query_one(Timeline).show(timeline_rows(shown, app.content), names)
        self._summarise(len(shown), len(celebrations))

    def _show_partners(self, partners: list[Partner]) -> None:
        held = tuple((p.id, p.name) for p in partners)
        if held != self._partners:
            self._partners = held
            select = self.query_one("#log-partner", Select)
            chosen = select.value
            select.set_options([(safe_text(name, one_line=True), pid) for pid, name in held])
            if chosen in {pid for pid, _ in held}:
                select.value = chosen

    def _summarise(self, shown: int, total: int) -> None:
        text = self.kintsugi.content.text
        summary = self.query_one("#log-summary", Static)
        if total == 0:
            line = text("dashboard.no_celebrations")
        elif shown == 0:
            line = text("log.no_matches")
        elif shown == total:
            line = counted(self.kintsugi.content, "log.count", total)
        else:
            line = text("log.count_of", count=shown, total=total)
        summary.update(Text(line))
        summary.set_class(shown == 0, "-empty")
        self.query_one(Timeline).display = shown > 0
        self.query_one("#log-header").display = shown > 0

    @on(Input.Changed, "#log-search")
    @on(Select.Changed)
    def _filter_changed(self) -> None:
        self.reread()

    @on(Input.Submitted, "#log-search")
    def _search_done(self) -> None:
        self.query_one(Timeline).focus()

    def show_along_the_steps(self) -> None:
        """Narrow the log to the celebrations that belong to one of the nine steps
        (at once, or as soon as the log is built when it is opened for the first time)."""
        chooser = self.query("#log-step")
        if chooser:
            chooser.only_one(Select).value = ALONG_THE_STEPS
        else:
            self.call_after_refresh(self.show_along_the_steps)

    def action_search(self) -> None:
        self.query_one("#log-search", Input).focus()

    @on(Timeline.Selected)
    def _open(self, event: Timeline.Selected) -> None:
        self.kintsugi.show_celebration(event.celebration_id)
