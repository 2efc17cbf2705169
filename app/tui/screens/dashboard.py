"""The home: the two of you, the nine steps, celebrations, agreements and check-ins."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, DataTable, Header, Static

from app.domain.meeting import Meeting
from app.domain.models import Agreement, Celebration, CelebrationSize, Partner
from app.tui.base import FollowsTheStore
from app.tui.messages import OpenStep
from app.tui.screens import STYLES
from app.tui.textual_patches import KeepsItsStyles, QuietFocus, SizedAtOnce
from app.tui.widgets.connection_plot import SPANS, ConnectionPlot
from app.tui.widgets.footer import KeyFooter
from app.tui.widgets.keys import KeyList
from app.tui.widgets.news import news_text
from app.tui.widgets.safe import safe_text
from app.tui.widgets.scroll import ScrollArea
from app.tui.widgets.step_grid import StepGrid
from app.tui.widgets.suggestions import SuggestionPanel, suggestion_draft
from app.words import day_words

PLACES = {"beside": "wide-only", "across": "roomy-only", "below": "narrow-only"}
"""Where the check-ins sit, and the width that shows them there (styles/dashboard.tcss)."""
PLACED = {
    "-roomy": {"checkins-across", "news-beside"},
    "-wide": {"checkins-beside", "news-beside"},
    "-narrow": {"checkins-below", "news-below"},
}
"""The sections whose place depends on the width: those each breakpoint class shows."""
MADE_LATER_AT = {
    "checkins-beside": ("#us", "#partners"),
    "news-beside": ("#us", None),
    "checkins-across": ("#dashboard", "#top"),
    "news-below": ("#dashboard", "#suggestions"),
    "checkins-below": ("#dashboard", None),
}
"""A section a resize makes: the container it goes in, and what it follows there (None: last)."""
CELEBRATIONS_SHOWN = 5
AGREEMENTS_SHOWN = 5


class DashboardScreen(QuietFocus, SizedAtOnce, KeepsItsStyles, FollowsTheStore, Screen[None]):
    """Reads everything it shows from the store; re-reads when the App's revision or writer changes."""

    CSS_PATH = STYLES / "dashboard.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (118, "-wide"), (150, "-roomy")]
    AUTO_FOCUS = "#steps"

    def __init__(self) -> None:
        super().__init__()
        self._since: str | None = None  # "new since you last looked": the stamp this session started from
        self._made: set[str] = set()  # the placed sections made so far (``_section``)

    def compose(self) -> ComposeResult:
        text = self.kintsugi.content.text
        yield Header()
        with ScrollArea(id="dashboard"):
            with Horizontal(id="top"):
                with Vertical(id="us"):
                    yield Static(Text(text("dashboard.you_two")), classes="section-title")
                    with Horizontal(id="partners"):
                        yield Static(id="partner-0", classes="partner-card")
                        yield Static(id="partner-1", classes="partner-card")
                    # Check-ins sit beside the steps when wide, under them across the screen when
                    # roomy (90 days), below everything when narrow.
                    yield from self._section("checkins-beside")
                    yield from self._section("news-beside")
                with Vertical(id="journey"):
                    yield Static(Text(text("dashboard.steps")), classes="section-title")
                    yield StepGrid(id="steps")
                    # The keys the footer has no room for.
                    yield Static(KeyList(text("dashboard.also_here")), id="also-here")
            yield from self._section("checkins-across")
            yield Static(Text(text("suggest.heading")), classes="section-title suggestions")
            yield SuggestionPanel(self.kintsugi.content, id="suggestions", classes="panel suggestions")
            yield from self._section("news-below")
            yield Static(Text(text("dashboard.celebrations")), classes="section-title")
            yield Static(id="celebrations", classes="panel")
            yield Static(Text(text("dashboard.agreements")), classes="section-title")
            yield Static(id="agreements", classes="panel")
            yield Static(Text(text("meeting.dashboard_title")), classes="section-title")
            yield Static(id="meeting-line", classes="panel")
            yield from self._section("checkins-below")
        yield KeyFooter()

    # -- the sections whose place depends on the width ----------------------------------------

    def _placed_here(self) -> set[str]:
        """The sections the width in force shows (its breakpoint class is set before compose:
        ``SizedAtOnce``). Only those are made: the others, hidden at this width, would cost their
        making and styling at start for nothing; a resize makes them (``_place_sections``)."""
        return next((names for width, names in PLACED.items() if self.has_class(width)), PLACED["-narrow"])

    def _section(self, name: str) -> list[Widget]:
        """The widgets of one placed section, if the width in force shows it."""
        if name not in self._placed_here():
            return []
        self._made.add(name)
        kind, where = name.split("-")
        return self._checkins_section(where) if kind == "checkins" else self._news_section(where)

    def _checkins_section(self, where: str) -> list[Widget]:
        shown = PLACES[where]
        return [
            Static(Text(self.kintsugi.content.text("dashboard.checkins")), classes=f"section-title {shown}"),
            ConnectionPlot(id=f"plot-{where}", classes=f"panel plot {shown}"),
            # With check-ins, the plot shows them; without, this kind sentence (both after the first paint).
            Static(id=f"checkins-{where}", classes=f"panel checkins {shown} -none"),
        ]

    def _news_section(self, where: str) -> list[Widget]:
        """ "New from Sam since you last looked": beside the steps when wide, below them when narrow."""
        heading = Horizontal(
            Static(id=f"news-title-{where}", classes="section-title"),
            Button(self.kintsugi.content.text("news.seen"), compact=True, classes="news-seen"),
            id=f"news-heading-{where}",
            classes=f"news news-heading {where}",
        )
        return [heading, Static(id=f"news-{where}", classes=f"panel news {where}")]

    def on_resize(self) -> None:
        self.call_next(self._place_sections)  # once Textual has set the breakpoint classes

    async def _place_sections(self) -> None:
        """Make the sections a new width shows that were not made yet, where they belong."""
        missing = sorted(self._placed_here() - self._made)
        if not missing or not self.is_mounted:
            return
        for name in missing:
            within, after = MADE_LATER_AT[name]
            await self.query_one(within).mount_all(self._section(name), after=after)
        self.reread()

    def on_mount(self) -> None:
        self.follow_the_store(self.reread)
        self.watch(self.app, "acting", self.reread, init=False)
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.reread())
        self.reread()

    def reread(self) -> None:
        """Show what the store holds now (nothing before the couple's file exists)."""
        app = self.kintsugi
        if not app.ready:
            return
        with self.reporting() as attempt:
            partners = app.store.partners
            progress = {partner.id: app.store.progress(partner.id) for partner in partners}
            celebrations = app.store.latest_celebrations(CELEBRATIONS_SHOWN)
            agreements = [a for a in app.store.agreements() if not a.retired]
        if attempt.failed:
            return
        names = {partner.id: partner.name for partner in partners}
        self._show_partners(partners, app.acting)
        self.query_one(StepGrid).show(app.content, partners, progress, app.acting)
        self._fill("#celebrations", self._celebrations(celebrations, names), not celebrations)
        self._fill("#agreements", self._agreements(agreements, partners, app.acting), not agreements)
        for sentence in self.query(".checkins").results(Static):
            self._fill(sentence, Text(app.content.text("dashboard.no_checkins"), style="italic"), True)
        # Check-ins (every one, for the plots), suggestions, news: after the first paint. Through
        # the App's queue, which Textual only reads once the app has mounted: at start, the
        # screen's own queue would run this before the first frame is drawn.
        self.app.call_after_refresh(self._reread_journey)

    def _fill(self, where: str | Static, lines: Text, empty: bool) -> None:
        """Show lines in a panel; an empty panel's kind sentence wraps instead of being cut short."""
        panel = self.query_one(where, Static) if isinstance(where, str) else where
        panel.update(lines)
        panel.set_class(empty, "-empty")

    def _show_partners(self, partners: list[Partner], writing: str | None) -> None:
        text = self.kintsugi.content.text
        for index, partner in enumerate(partners[:2]):
            card = self.query_one(f"#partner-{index}", Static)
            line = safe_text(partner.name, "bold", one_line=True)
            line.append("\n")
            if partner.id == writing:
                line.append(f"✎ {text('dashboard.writing_now')}", "italic")
            card.update(line)
            card.set_class(partner.id == writing, "-writing")
            card.set_class(partner.colour == "teal", "-teal")

    def _day(self, day: dt.date) -> str:
        """ "3 May", or "3 May 2024" when it is not from this year (the app's today)."""
        return day_words(self.kintsugi.content, day, "day", self.kintsugi.today())

    def _celebrations(self, celebrations: list[Celebration], names: dict[str, str]) -> Text:
        text = self.kintsugi.content.text
        if not celebrations:
            return Text(text("dashboard.no_celebrations"), style="italic")
        lines = Text()
        for celebration in celebrations:
            if lines:
                lines.append("\n")
            lines.append(f"{self._day(celebration.day):>6}  ", "dim")
            lines.append("✦ " if celebration.size != CelebrationSize.SMALL else "· ", "bold")
            lines.append_text(safe_text(celebration.title, one_line=True))
            who = names.get(celebration.author, text("dashboard.someone"))
            lines.append(" — ", "dim")
            lines.append_text(safe_text(who, "dim italic", one_line=True))
        return lines

    def _agreements(self, agreements: list[Agreement], partners: list[Partner], writing: str | None) -> Text:
        text = self.kintsugi.content.text
        if not agreements:
            return Text(text("dashboard.no_agreements"), style="italic")
        writer = next((p for p in partners if p.id == writing), partners[0])
        other = next((p for p in partners if p.id != writer.id), writer)
        both = [a for a in agreements if all(a.signed_by(p.id) for p in partners)]
        for_writer = [a for a in agreements if not a.signed_by(writer.id)]
        for_other = [a for a in agreements if a.signed_by(writer.id) and not a.signed_by(other.id)]
        agreed = {a.id for a in both}
        lines = Text(text("dashboard.agreed_by_both", count=len(both)))
        for waiting, partner in ((for_writer, writer), (for_other, other)):
            if waiting:  # nobody is told "0 waiting"
                lines.append("  ·  ", "dim")
                lines.append_text(
                    safe_text(text("dashboard.waiting_for_signature", count=len(waiting), name=partner.name))
                )
        today = self.kintsugi.today()
        due = {a.id for a in agreements if a.due_for_review(today)}
        if due:
            lines.append("  ·  ", "dim")
            lines.append(text("agreements.due_count", count=len(due)), "bold")
        shown = [*reversed(for_writer), *reversed(for_other), *reversed(both)]
        for agreement in shown[:AGREEMENTS_SHOWN]:
            lines.append("\n")
            if agreement.id in agreed:
                lines.append(f"✓ {text('dashboard.agreed_tag')}", "bold")
            else:
                waiting = other if agreement.signed_by(writer.id) else writer
                lines.append("✎ ", "bold")
                lines.append_text(safe_text(text("dashboard.waiting_tag", name=waiting.name), "italic"))
            lines.append("  ")
            lines.append_text(safe_text(agreement.text.strip().splitlines()[0], one_line=True))
            if agreement.id in due:
                lines.append(f"  ◷ {text('agreements.due')}", "italic")
        if len(shown) > AGREEMENTS_SHOWN:
            lines.append("\n")
            lines.append(text("dashboard.more", count=len(shown) - AGREEMENTS_SHOWN), "dim italic")
        return lines

    @on(DataTable.RowSelected, "#steps")
    def _open_step(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.post_message(OpenStep(int(event.row_key.value)))

    # -- the journey: check-in plots, moments worth celebrating, what is new ------------------

    def _reread_journey(self) -> None:
        app = self.kintsugi
        if not app.ready or not self.is_attached:
            return
        today = app.today()
        with self.reporting() as attempt:
            _, other = app.writer_and_other()
            partners = app.store.partners
            checkins = {
                partner.id: app.store.checkins_lately(partner.id, today, SPANS[0]) for partner in partners
            }
            last_meeting = app.store.latest_meeting()
            if self._since is None:
                self._since = app.store.last_seen() or app.store.newest_stamp() or ""
            news = app.store.news_from(other.id, self._since)
        if attempt.failed:
            return
        any_checkins = any(checkins.values())
        for plot in self.query(ConnectionPlot):
            plot.show(app.content, partners, checkins, today)
            plot.set_class(not any_checkins, "-none")
        for sentence in self.query(".checkins"):
            sentence.set_class(any_checkins, "-none")
        self._show_meeting_line(last_meeting, today)
        self.call_after_refresh(self._show_suggestions)
        title = safe_text(app.content.text("news.heading", name=other.name), one_line=True)
        lines = news_text(app.content, news, other.id, other.name)
        for heading in self.query(".news-heading > .section-title").results(Static):
            heading.update(title)
        for panel in self.query(".news.panel").results(Static):
            panel.update(lines)
        for part in self.query(".news"):
            part.set_class(not news, "-none")
        self._mark_seen()

    def _show_suggestions(self) -> None:
        """The moments worth celebrating: once the rest is on screen (a month of kept commitments
        is looked for over every day each was kept)."""
        app = self.kintsugi
        if not app.ready or not self.is_attached:
            return
        with self.reporting() as attempt:
            suggestions = app.store.open_suggestions(app.today())
            partners = app.store.partners
        if attempt.failed:
            return
        self.query_one(SuggestionPanel).show(suggestions, partners)
        for part in self.query(".suggestions"):
            part.set_class(not suggestions, "-none")

    def _show_meeting_line(self, last: Meeting | None, today: dt.date) -> None:
        text = self.kintsugi.content.text
        if last is None:
            line = Text(text("meeting.dashboard_never"), style="italic")
        else:
            line = Text(text("meeting.dashboard_last", day=self._day(last.day)))
        self._fill("#meeting-line", line, last is None)

    def _mark_seen(self) -> None:
        """This machine has now shown everything in the file (only while the dashboard is showing)."""
        if self._since is None or not self.is_current or not self.kintsugi.ready:
            return  # not before this session's "since" is taken from the last look
        with self.reporting():
            self.kintsugi.store.mark_seen(self.kintsugi.store.newest_stamp() or "")

    def on_screen_resume(self) -> None:
        self._mark_seen()

    @on(Button.Pressed, ".news-seen")
    def _news_seen(self) -> None:
        """Start "new since you last looked" from now."""
        with self.reporting() as attempt:
            self._since = self.kintsugi.store.newest_stamp() or ""
        if attempt.failed:
            return
        self._reread_journey()

    @on(SuggestionPanel.Celebrate)
    def _celebrate_suggestion(self, event: SuggestionPanel.Celebrate) -> None:
        app = self.kintsugi
        with self.reporting() as attempt:
            draft = suggestion_draft(app.content, event.suggestion, app.store.partners, app.today())
        if attempt.failed:
            return
        app.action_celebrate(draft)

    @on(SuggestionPanel.LetPass)
    def _let_suggestion_pass(self, event: SuggestionPanel.LetPass) -> None:
        with self.reporting() as attempt:
            self.kintsugi.store.dismiss_suggestion(event.suggestion.key)
        if attempt.failed:
            return
        self._reread_journey()
