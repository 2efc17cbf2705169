"""The home: the two of you, the nine steps, celebrations, agreements and check-ins."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from app.domain.models import Agreement, Celebration, CelebrationSize, CheckIn, Partner
from app.store.storage import StoreError
from app.tui.messages import OpenStep
from app.tui.widgets.safe import safe_text
from app.tui.widgets.step_grid import StepGrid

if TYPE_CHECKING:
    from app.tui.app import KintsugiApp

CELEBRATIONS_SHOWN = 5
AGREEMENTS_SHOWN = 5


def short_date(day: dt.date, today: dt.date | None = None) -> str:
    """ "3 May", or "3 May 2024" when it is not from this year."""
    today = today or dt.date.today()
    return f"{day.day} {day:%b}" if day.year == today.year else f"{day.day} {day:%b %Y}"


class DashboardScreen(Screen[None]):
    """Reads everything it shows from the store; re-reads when the App's revision or writer changes."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (118, "-wide")]
    AUTO_FOCUS = "#steps"

    @property
    def kintsugi(self) -> KintsugiApp:
        return cast("KintsugiApp", self.app)

    def compose(self) -> ComposeResult:
        text = self.kintsugi.content.text
        yield Header()
        with VerticalScroll(id="dashboard"):
            with Horizontal(id="top"):
                with Vertical(id="us"):
                    yield Static(Text(text("dashboard.you_two")), classes="section-title")
                    with Horizontal(id="partners"):
                        yield Static(id="partner-0", classes="partner-card")
                        yield Static(id="partner-1", classes="partner-card")
                    # Check-ins sit beside the steps when wide, below everything when narrow.
                    yield Static(Text(text("dashboard.checkins")), classes="section-title wide-only")
                    yield Static(id="checkins-beside", classes="panel checkins wide-only")
                with Vertical(id="journey"):
                    yield Static(Text(text("dashboard.steps")), classes="section-title")
                    yield StepGrid(id="steps")
            yield Static(Text(text("dashboard.celebrations")), classes="section-title")
            yield Static(id="celebrations", classes="panel")
            yield Static(Text(text("dashboard.agreements")), classes="section-title")
            yield Static(id="agreements", classes="panel")
            yield Static(Text(text("dashboard.checkins")), classes="section-title narrow-only")
            yield Static(id="checkins-below", classes="panel checkins narrow-only")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.watch(self.app, "revision", self.reread, init=False)
        self.watch(self.app, "acting", self.reread, init=False)
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.reread())
        self.reread()

    def reread(self) -> None:
        """Show what the store holds now (nothing before the couple's file exists)."""
        app = self.kintsugi
        if not app.ready:
            return
        try:
            partners = app.store.partners
            progress = {partner.id: app.store.progress(partner.id) for partner in partners}
            celebrations = app.store.celebrations()[:CELEBRATIONS_SHOWN]
            agreements = [a for a in app.store.agreements() if not a.retired]
            checkins = {partner.id: app.store.checkins(partner.id) for partner in partners}
        except StoreError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        names = {partner.id: partner.name for partner in partners}
        self._show_partners(partners, app.acting)
        self.query_one(StepGrid).show(app.content, partners, progress, app.acting)
        self._fill("#celebrations", self._celebrations(celebrations, names), not celebrations)
        self._fill("#agreements", self._agreements(agreements, partners, app.acting), not agreements)
        checkin_lines = self._checkins(checkins, partners)
        for where in ("#checkins-beside", "#checkins-below"):
            self._fill(where, checkin_lines, not any(checkins.values()))

    def _fill(self, where: str, lines: Text, empty: bool) -> None:
        """Show lines in a panel; an empty panel's kind sentence wraps instead of being cut short."""
        panel = self.query_one(where, Static)
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

    def _celebrations(self, celebrations: list[Celebration], names: dict[str, str]) -> Text:
        text = self.kintsugi.content.text
        if not celebrations:
            return Text(text("dashboard.no_celebrations"), style="italic")
        lines = Text()
        for celebration in celebrations:
            if lines:
                lines.append("\n")
            lines.append(f"{short_date(celebration.day):>6}  ", "dim")
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
        lines.append("  ·  ", "dim")
        lines.append_text(
            safe_text(text("dashboard.waiting_for_signature", count=len(for_writer), name=writer.name))
        )
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
        if len(shown) > AGREEMENTS_SHOWN:
            lines.append("\n")
            lines.append(text("dashboard.more", count=len(shown) - AGREEMENTS_SHOWN), "dim italic")
        return lines

    def _checkins(self, checkins: dict[str, list[CheckIn]], partners: list[Partner]) -> Text:
        content = self.kintsugi.content
        if not any(checkins.values()):
            return Text(content.text("dashboard.no_checkins"), style="italic")
        lines = Text()
        for partner in partners:
            if lines:
                lines.append("\n")
            latest = checkins[partner.id][-1] if checkins[partner.id] else None
            if latest is None:
                lines.append_text(
                    safe_text(content.text("dashboard.no_checkin_for", name=partner.name), "italic")
                )
                continue
            lines.append_text(safe_text(partner.name, "bold", one_line=True))
            lines.append(f"  {short_date(latest.day)}  ", "dim")
            lines.append(content.text(f"checkin.scale.{int(latest.connection)}"))
            if latest.mood:
                lines.append("  ·  ", "dim")
                lines.append_text(safe_text(latest.mood, "italic", one_line=True))
        return lines

    @on(DataTable.RowSelected, "#steps")
    def _open_step(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.post_message(OpenStep(int(event.row_key.value)))
