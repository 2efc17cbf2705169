"""Step 1, Acknowledge the wounds: name what hurts, where it shows up, how heavy it feels.

A wound is private by default (this machine's local file, only its author
sees it) and shared with one key (s). When the partner has shared wounds this
machine has not shown the one writing now, a gentle line at the top says so,
once: what was shown is remembered in the local file's preferences
(``SHOWN_PREFERENCE``: partner id -> ids of wounds shown).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from functools import partial
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from app.domain.models import TEXT_MAX, TITLE_MAX
from app.domain.practices.wounds import WEIGHT_MAX, Wound, unseen_shared
from app.store.storage import StoreError
from app.tui.practices.entry_section import Section, View, byline, labelled
from app.tui.practices.feelings_practice import FeelingsPractice, private_count, short
from app.tui.screens.practice_form import FormField
from app.tui.widgets.safe import safe_text

SHOWN_PREFERENCE = "awareness.shown_shared_wounds"


def weight_bar(weight: int) -> str:
    """``7`` -> ``"●●●●●●●○○○"``: how heavy, at a glance, never a grade."""
    return "●" * weight + "○" * (WEIGHT_MAX - weight)


class WoundsPractice(FeelingsPractice):
    STEP: ClassVar[int] = 1
    TABLE: ClassVar[str] = "practice_wounds"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.news: dict[str, list[str]] = {}  # viewer -> shared wounds told about while the app runs

    def build_sections(self) -> list[Section]:
        return [
            Section(
                "wounds",
                Wound,
                self.TABLE,
                self._wound,
                self._form,
                private=True,
                own_only=True,
                by_author=True,
            )
        ]

    def compose_top(self) -> ComposeResult:
        yield Static(id="wounds-shared-note", classes="practice-news")
        yield Static(id="wounds-summary", classes="practice-summary")

    # -- how a wound looks --------------------------------------------------------------

    def _wound(self, wound: Wound, view: View) -> RenderableType:
        top = safe_text(wound.what, "bold", one_line=True)
        second = Text(weight_bar(wound.weight), "bold")
        second.append(f" {self.words('weight', weight=wound.weight)}", "dim")
        if wound.feeling:
            second.append("  ")
            second.append_text(safe_text(wound.feeling, "italic", one_line=True))
        lines: list[RenderableType] = [top, second]
        if wound.where.strip():
            lines.append(labelled(self.words("shows_up"), short(wound.where, 200)))
        lines.append(byline(wound, view))
        return Group(*lines)

    def _form(self, wound: Wound | None, view: View) -> list[FormField]:
        return [
            FormField(
                "what",
                self.words("what_label"),
                value=wound.what if wound else "",
                placeholder=self.words("what_placeholder"),
                max_length=TITLE_MAX,
                required=True,
            ),
            FormField(
                "where",
                self.words("where_label"),
                value=wound.where if wound else "",
                placeholder=self.words("where_placeholder"),
                max_length=TEXT_MAX,
            ),
            FormField(
                "weight",
                self.words("weight_label"),
                value=str(wound.weight if wound else 5),
                max_length=2,
                required=True,
            ),
            FormField(
                "feeling",
                self.words("feeling_label"),
                "feeling",  # type: ignore[arg-type]
                value=wound.feeling if wound else "",
            ),
        ]

    # -- what it holds, and what the partner shared --------------------------------------

    def refresh_more(self, view: View) -> None:
        store = self.kintsugi.store
        entries = store.entries(Wound, viewer=view.acting)
        mine = [w for w in entries if w.author == view.acting]
        if mine:
            latest = max(mine, key=lambda w: w.created)
            summary = self.words(
                "summary",
                count=len(mine),
                private=private_count(view, list(mine)),
                latest=short(latest.what, 40),
            )
            self.query_one("#wounds-summary", Static).update(safe_text(summary))
        else:
            self.query_one("#wounds-summary", Static).update(Text(self.words("intro")))
        self._take_news(view, store.records(Wound))
        self._show_news(view, {w.id for w in entries})

    def _shown(self) -> dict[str, list[str]]:
        shown = self.kintsugi.store.local.preference(SHOWN_PREFERENCE, {})
        return shown if isinstance(shown, dict) else {}

    def _take_news(self, view: View, shared: list[Wound]) -> None:
        """Note the partner's shared wounds this machine has not shown ``view.acting`` yet."""
        shown = self._shown()
        fresh = unseen_shared(shared, view.acting, shown.get(view.acting, []))
        news = self.news.setdefault(view.acting, [])
        news.extend(w.id for w in fresh if w.id not in news)
        if fresh and self.is_on_screen:
            self._remember(view.acting)

    def _remember(self, viewer: str) -> None:
        shown = self._shown()
        told = list(dict.fromkeys([*shown.get(viewer, []), *self.news.get(viewer, [])]))
        if told != shown.get(viewer):
            with suppress(StoreError):  # not worth interrupting anyone for: at worst, told again
                self.kintsugi.store.local.set_preference(SHOWN_PREFERENCE, {**shown, viewer: told})

    def on_show(self) -> None:
        if self.kintsugi.acting is not None and self.news.get(self.kintsugi.acting):
            self._remember(self.kintsugi.acting)

    def _show_news(self, view: View, present: set[str]) -> None:
        note = self.query_one("#wounds-shared-note", Static)
        news = [wound_id for wound_id in self.news.get(view.acting, []) if wound_id in present]
        note.display = bool(news)
        if news:
            name = view.name(view.other)
            note.update(safe_text(self.counted("shared_note", len(news), name=name)))

    def commands(self) -> list[tuple[str, Callable[[], object], str]]:
        text = self.kintsugi.content.text
        return [
            (
                text("practice_wounds.commands.wounds"),
                partial(self.action_new, "wounds"),
                text("practice_wounds.commands.wounds_help"),
            )
        ]
