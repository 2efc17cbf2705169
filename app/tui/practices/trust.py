"""Step 5, Rebuild trust gradually: small commitments, kept day by day with one key.

Each commitment shows a row of marks for up to the last eight weeks (a kept day
``●``, a day not marked a quiet ``·``) and words such as "kept 18 of the last
28 days". There is no streak to lose and no comparing the two of you: a missed
day is a gap, and what was kept still counts ("resume, don't restart").
Space marks the highlighted commitment kept today (again un-marks it); ``y``
does the same for yesterday, for a day that slipped by unmarked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, ClassVar

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Button, Static

from app.domain.models import TITLE_MAX
from app.domain.practices.trust import Commitment, Consistency, DayMark, Frequency, consistency
from app.tui.messages import ToggleKept
from app.tui.practices.entry_section import Section, View
from app.tui.practices.sections import SectionedPractice
from app.tui.screens.practice_form import FormField
from app.tui.widgets.safe import safe_markup, safe_text

MARKS = {
    DayMark.KEPT: ("●", "bold"),
    DayMark.OPEN: ("·", "dim"),
    DayMark.REST: (" ", ""),
    DayMark.NONE: (" ", ""),
}
RESUME_AFTER = 2
"""Occasions gone by unmarked before the row offers "pick it up again"."""


def often_value(commitment: Commitment | None) -> str:
    """The form's one "how often" choice for a commitment: daily, weekdays, weekly:N, times:N."""
    if commitment is None or commitment.frequency == Frequency.DAILY:
        return "daily"
    if commitment.frequency == Frequency.WEEKDAYS:
        return "weekdays"
    if commitment.frequency == Frequency.WEEKLY:
        return f"weekly:{commitment.weekday}"
    return f"times:{commitment.times}"


def from_often(values: dict[str, Any]) -> dict[str, Any]:
    """The form's values with "how often" turned into the commitment's fields."""
    fields = {name: value for name, value in values.items() if name != "often"}
    often = str(values.get("often") or "daily")
    kind, _, number = often.partition(":")
    if kind == "weekly":
        fields.update(frequency=Frequency.WEEKLY, weekday=int(number))
    elif kind == "times":
        fields.update(frequency=Frequency.TIMES_A_WEEK, times=int(number))
    else:
        fields["frequency"] = Frequency.WEEKDAYS if kind == "weekdays" else Frequency.DAILY
    return fields


def marks_row(weeks: Sequence[Sequence[DayMark]]) -> Text:
    """Weeks of marks, a group of seven each, Monday first."""
    row = Text(no_wrap=True, overflow="crop")
    for number, week in enumerate(weeks):
        if number:
            row.append(" ")
        for mark in week:
            char, style = MARKS[mark]
            row.append(char, style)
    return row


class MarksRow:
    """As many of the latest weeks as fit the width (eight at most), so the row never wraps."""

    def __init__(self, held: Consistency) -> None:
        self.held = held

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        weeks = self.held.weeks
        fit = max(1, min(len(weeks), (options.max_width + 1) // 8))
        yield marks_row(weeks[-fit:])


class TrustPractice(SectionedPractice):
    STEP: ClassVar[int] = 5
    TABLE: ClassVar[str] = "practice_trust"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "kept(0)", id="practice.kept_today"),
        Binding("y", "kept(1)", id="practice.kept_yesterday"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        self.held: dict[str, Consistency] = {}
        super().__init__(id=id)

    def build_sections(self) -> list[Section]:
        return [
            Section(
                "commitments",
                Commitment,
                self.TABLE,
                self._commitment,
                self._form,
                fixed=lambda entry, view: {} if entry else {"since": view.today},
                convert=from_often,
            )
        ]

    def compose_top(self) -> ComposeResult:
        yield Static(Text(self.words("intro")), classes="practice-summary")
        yield Static(Text(self.words("resume_note")), classes="practice-note")

    def compose_after(self) -> ComposeResult:
        with Horizontal(id="trust-buttons"):
            yield Button(self.words("kept_today_button"), id="kept-today", compact=True)
            yield Button(self.words("kept_yesterday_button"), id="kept-yesterday", compact=True)
        yield Static(Text(self.words("legend")), id="trust-legend")

    # -- how a commitment looks -----------------------------------------------------------

    def often_words(self, commitment: Commitment) -> str:
        if commitment.frequency == Frequency.WEEKLY:
            day = self.kintsugi.content.value("practice_trust.weekdays")[commitment.weekday]
            return self.words("often_weekly", day=day)
        if commitment.frequency == Frequency.TIMES_A_WEEK:
            return self.words("often_times", times=commitment.times)
        return self.words(f"often_{commitment.frequency.value}")

    def kept_words(self, held: Consistency) -> str:
        if held.expected == 0:
            return self.words("just_begun")
        unit = {
            Frequency.DAILY: "days",
            Frequency.WEEKDAYS: "weekdays",
            Frequency.WEEKLY: "weeks",
            Frequency.TIMES_A_WEEK: "times",
        }[held.frequency]
        return self.counted(f"kept_{unit}", held.expected, kept=held.kept, expected=held.expected)

    def _commitment(self, commitment: Commitment, view: View) -> RenderableType:
        held = self.held.get(commitment.id) or consistency(commitment, (), view.today)
        title = safe_text(commitment.what, "bold", one_line=True)
        who = safe_text(
            f"{self.words('keeps', name=view.name(commitment.partner))} · {self.often_words(commitment)}",
            "italic",
            one_line=True,
        )
        words = Text(self.kept_words(held))
        if held.kept_today:
            words.append(f"   {self.words('kept_today')}", "bold")
        lines: list[RenderableType] = [title, who, MarksRow(held), words]
        if held.since_last >= RESUME_AFTER and not held.kept_today:
            lines.append(Text(self.words("resume", kept=held.kept), "italic"))
        return Group(*lines)

    def _form(self, commitment: Commitment | None, view: View) -> list[FormField]:
        weekdays = self.kintsugi.content.value("practice_trust.weekdays")
        often = [
            (self.words("often_daily"), "daily"),
            (self.words("often_weekdays"), "weekdays"),
            *(
                (self.words("often_weekly", day=day), f"weekly:{number}")
                for number, day in enumerate(weekdays)
            ),
            *((self.words("often_times", times=times), f"times:{times}") for times in range(2, 7)),
        ]
        return [
            FormField(
                "partner",
                self.words("who_label"),
                "choice",
                value=commitment.partner if commitment else view.acting,
                choices=tuple((name, pid) for pid, name in view.names.items()),
            ),
            FormField(
                "what",
                self.words("what_label"),
                value=commitment.what if commitment else "",
                placeholder=self.words("what_placeholder"),
                max_length=TITLE_MAX,
                required=True,
            ),
            FormField(
                "often",
                self.words("often_label"),
                "choice",
                value=often_value(commitment),
                choices=tuple((label[:1].upper() + label[1:], value) for label, value in often),
            ),
        ]

    # -- reading --------------------------------------------------------------------------

    def refresh_entries(self) -> None:
        app = self.kintsugi
        if app.ready and self.composed:
            with self.reporting():
                days = app.store.kept_days()
                today = app.today()
                self.held = {
                    c.id: consistency(c, days.get(c.id, set()), today) for c in app.store.records(Commitment)
                }
        super().refresh_entries()

    # -- kept -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "kept":
            if not self.is_mounted or not self.sections:
                return None
            return True if self.section_widget("commitments").highlighted is not None else None
        return super().check_action(action, parameters)

    def action_kept(self, days_ago: int) -> None:
        commitment = self.section_widget("commitments").highlighted
        if commitment is None:
            return
        day = self.kintsugi.today() - dt.timedelta(days=days_ago)
        self.post_message(ToggleKept(commitment.id, day))

    @on(Button.Pressed, "#kept-today")
    def _kept_today(self) -> None:
        self.action_kept(0)

    @on(Button.Pressed, "#kept-yesterday")
    def _kept_yesterday(self) -> None:
        self.action_kept(1)

    def refresh_more(self, view: View) -> None:
        shown = self.section_widget("commitments").highlighted is not None
        self.query_one("#trust-buttons").display = shown
        self.query_one("#trust-legend").display = shown

    def commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app = self.kintsugi
        text = app.content.text
        found: list[tuple[str, Callable[[], object], str]] = [
            (
                text("practice_trust.commands.commitments"),
                partial(self.action_new, "commitments"),
                text("practice_trust.commands.commitments_help"),
            )
        ]
        names = {p.id: p.name for p in app.store.partners}
        for commitment in app.store.commitments():
            # Palette titles and help are read as markup: words from the file are escaped.
            found.append(
                (
                    text("practice_trust.commands.kept_today", what=safe_markup(commitment.what)),
                    partial(self.post_message, ToggleKept(commitment.id, app.today())),
                    text(
                        "practice_trust.commands.kept_today_help",
                        name=safe_markup(names.get(commitment.partner, "")),
                    ),
                )
            )
        return found
