"""Step 2, Understand the origins: a timeline of what shaped you, and triggers with their stories.

The timeline holds experiences (childhood, a past relationship, a life event:
when, what happened, the mark it left, how it shows up today) in time order
(``app.domain.practices.origins.timeline_order``). Triggers hold the story behind
them and what helps. Both are personal, like wounds: private by default,
shared with one key (s), changed only by their author.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from app.domain.models import NAME_MAX, TEXT_MAX, TITLE_MAX
from app.domain.practices.origins import YEAR_MAX, Origin, OriginKind, Trigger, sortable_year, timeline_order
from app.tui.practices.entry_section import Section, View, byline, labelled
from app.tui.practices.feelings_practice import FeelingsPractice, blank_to_none, private_count, short
from app.tui.screens.practice_form import FormField
from app.tui.widgets.safe import safe_text

KINDS = tuple(OriginKind)


class OriginsPractice(FeelingsPractice):
    STEP: ClassVar[int] = 2
    TABLE: ClassVar[str] = "practice_origins"

    def build_sections(self) -> list[Section]:
        return [
            Section(
                "timeline",
                Origin,
                self.TABLE,
                self._origin,
                self._origin_form,
                private=True,
                own_only=True,
                by_author=True,
                order=timeline_order,
                convert=blank_to_none("year"),
            ),
            Section(
                "triggers",
                Trigger,
                self.TABLE,
                self._trigger,
                self._trigger_form,
                private=True,
                own_only=True,
                by_author=True,
            ),
        ]

    def compose_top(self) -> ComposeResult:
        yield Static(id="origins-summary", classes="practice-summary")

    # -- how entries look -------------------------------------------------------------------

    def _kind(self, kind: OriginKind) -> str:
        return self.words(f"kinds.{kind.value}")

    def _origin(self, origin: Origin, view: View) -> RenderableType:
        when = origin.when.strip() or (str(origin.year) if origin.year else self.words("no_when"))
        top = safe_text(when, "bold", one_line=True)
        year = sortable_year(origin)
        if origin.year is not None and str(year) not in origin.when:
            top.append(f" ({year})", "bold")
        top.append(f"  {self._kind(origin.kind)}", "italic dim")
        lines: list[RenderableType] = [top, safe_text(short(origin.happened, 200), one_line=True)]
        if origin.mark.strip():
            lines.append(labelled(self.words("mark"), short(origin.mark, 200)))
        if origin.today.strip():
            lines.append(labelled(self.words("today"), short(origin.today, 200)))
        lines.append(byline(origin, view))
        return Group(*lines)

    def _trigger(self, trigger: Trigger, view: View) -> RenderableType:
        lines: list[RenderableType] = [safe_text(trigger.trigger, "bold", one_line=True)]
        if trigger.story.strip():
            lines.append(labelled(self.words("story"), short(trigger.story, 200)))
        if trigger.helps.strip():
            lines.append(labelled(self.words("helps"), short(trigger.helps, 200)))
        lines.append(byline(trigger, view))
        return Group(*lines)

    # -- forms ------------------------------------------------------------------------------

    def _origin_form(self, origin: Origin | None, view: View) -> list[FormField]:
        return [
            FormField(
                "kind",
                self.words("kind_label"),
                "choice",
                value=(origin.kind if origin else OriginKind.CHILDHOOD).value,
                choices=tuple((self._kind(kind), kind.value) for kind in KINDS),
            ),
            FormField(
                "when",
                self.words("when_label"),
                value=origin.when if origin else "",
                placeholder=self.words("when_placeholder"),
                max_length=NAME_MAX,
            ),
            FormField(
                "year",
                self.words("year_label"),
                value=str(origin.year) if origin and origin.year else "",
                placeholder=self.words("year_placeholder"),
                max_length=len(str(YEAR_MAX)),
            ),
            FormField(
                "happened",
                self.words("happened_label"),
                value=origin.happened if origin else "",
                placeholder=self.words("happened_placeholder"),
                max_length=TEXT_MAX,
                required=True,
            ),
            FormField(
                "mark",
                self.words("mark_label"),
                value=origin.mark if origin else "",
                placeholder=self.words("mark_placeholder"),
                max_length=TEXT_MAX,
            ),
            FormField(
                "today",
                self.words("today_label"),
                value=origin.today if origin else "",
                placeholder=self.words("today_placeholder"),
                max_length=TEXT_MAX,
            ),
        ]

    def _trigger_form(self, trigger: Trigger | None, view: View) -> list[FormField]:
        return [
            FormField(
                "trigger",
                self.words("trigger_label"),
                value=trigger.trigger if trigger else "",
                placeholder=self.words("trigger_placeholder"),
                max_length=TITLE_MAX,
                required=True,
            ),
            FormField(
                "story",
                self.words("story_label"),
                value=trigger.story if trigger else "",
                placeholder=self.words("story_placeholder"),
                max_length=TEXT_MAX,
            ),
            FormField(
                "helps",
                self.words("helps_label"),
                value=trigger.helps if trigger else "",
                placeholder=self.words("helps_placeholder"),
                max_length=TEXT_MAX,
            ),
        ]

    # -- what it holds ----------------------------------------------------------------------

    def refresh_more(self, view: View) -> None:
        store = self.kintsugi.store
        origins = [o for o in store.entries(Origin, viewer=view.acting) if o.author == view.acting]
        triggers = [t for t in store.entries(Trigger, viewer=view.acting) if t.author == view.acting]
        summary = self.query_one("#origins-summary", Static)
        if not (origins or triggers):
            summary.update(Text(self.words("intro")))
            return
        private = private_count(view, [*origins, *triggers])
        summary.update(
            Text(self.words("summary", experiences=len(origins), triggers=len(triggers), private=private))
        )

    def commands(self) -> list[tuple[str, Callable[[], object], str]]:
        text = self.kintsugi.content.text
        return [
            (
                text(f"practice_origins.commands.{key}"),
                partial(self.action_new, key),
                text(f"practice_origins.commands.{key}_help"),
            )
            for key in ("timeline", "triggers")
        ]
