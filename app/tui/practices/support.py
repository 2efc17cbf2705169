"""Step 4, Seek professional support: who we can reach, the sessions we went to, and what to ask next.

Three lists, all shared: support contacts (name, kind, how to reach them,
notes), a session log (day, who went, what we took away, homework) and the
questions to bring to the next session (``m`` marks one asked, or not).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any, ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from app.domain.models import TITLE_MAX
from app.domain.practices.support import BOTH, SessionQuestion, SupportContact, SupportKind, SupportSession
from app.tui.messages import SaveEntry
from app.tui.practices.entry_section import Section, View, byline, labelled
from app.tui.practices.sections import SectionedPractice
from app.tui.screens.practice_form import FormField
from app.tui.widgets.safe import safe_markup, safe_text

KINDS = tuple(SupportKind)


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


class SupportPractice(SectionedPractice):
    STEP: ClassVar[int] = 4
    TABLE: ClassVar[str] = "practice_support"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("m", "mark_asked", id="practice.mark_asked")]

    def build_sections(self) -> list[Section]:
        return [
            Section("contacts", SupportContact, self.TABLE, self._contact, self._contact_form),
            Section(
                "sessions",
                SupportSession,
                self.TABLE,
                self._session,
                self._session_form,
                order=lambda found: sorted(found, key=lambda s: (s.day, s.created), reverse=True),
            ),
            Section(
                "questions",
                SessionQuestion,
                self.TABLE,
                self._question,
                self._question_form,
                spaced=False,
                order=lambda found: sorted(
                    found, key=lambda q: (q.asked, -(q.asked_on or dt.date.min).toordinal(), q.created)
                ),
            ),
        ]

    def compose_top(self) -> ComposeResult:
        yield Static(id="support-summary", classes="practice-summary")

    # -- how entries look -----------------------------------------------------------------

    def _kind(self, kind: SupportKind) -> str:
        return self.words(f"kinds.{kind.value}")

    def _contact(self, contact: SupportContact, view: View) -> RenderableType:
        top = safe_text(contact.name, "bold", one_line=True)
        top.append(f"  {self._kind(contact.kind)}", "italic")
        lines: list[RenderableType] = [top]
        if contact.reach.strip():
            lines.append(labelled(self.words("reach_short"), contact.reach))
        if contact.notes.strip():
            lines.append(safe_text(_first_line(contact.notes), "dim", one_line=True))
        return Group(*lines)

    def _who(self, who: str, view: View) -> str:
        if who == BOTH or who not in view.names:
            return self.words("went_both")
        return self.words("went_one", name=view.name(who))

    def _session(self, session: SupportSession, view: View) -> RenderableType:
        top = Text(view.day(session.day), "bold")
        top.append("  ")
        top.append_text(safe_text(self._who(session.who, view), "italic", one_line=True))
        lines: list[RenderableType] = [top]
        if session.takeaways.strip():
            lines.append(labelled(self.words("took_away_short"), _first_line(session.takeaways)))
        if session.homework.strip():
            lines.append(labelled(self.words("homework_short"), _first_line(session.homework)))
        lines.append(byline(session, view))
        return Group(*lines)

    def _question(self, question: SessionQuestion, view: View) -> RenderableType:
        if not question.asked:
            line = Text("○ ", "bold")
            line.append_text(safe_text(question.text, one_line=True))
            return line
        line = Text("✓ ", "dim")
        line.append_text(safe_text(question.text, "dim", one_line=True))
        if question.asked_on:
            line.append(f"  {self.words('asked_on', day=view.day(question.asked_on))}", "dim italic")
        return line

    # -- forms ------------------------------------------------------------------------------

    def _contact_form(self, contact: SupportContact | None, view: View) -> list[FormField]:
        return [
            FormField(
                "name",
                self.words("name_label"),
                value=contact.name if contact else "",
                placeholder=self.words("name_placeholder"),
                max_length=TITLE_MAX,
                required=True,
            ),
            FormField(
                "kind",
                self.words("kind_label"),
                "choice",
                value=(contact.kind if contact else SupportKind.COUNSELLOR).value,
                choices=tuple((self._kind(kind), kind.value) for kind in KINDS),
            ),
            FormField(
                "reach",
                self.words("reach_label"),
                value=contact.reach if contact else "",
                placeholder=self.words("reach_placeholder"),
                max_length=TITLE_MAX,
            ),
            FormField("notes", self.words("notes_label"), "text", value=contact.notes if contact else ""),
        ]

    def _session_form(self, session: SupportSession | None, view: View) -> list[FormField]:
        who = [(self.words("who_both"), BOTH)] + [(name, pid) for pid, name in view.names.items()]
        return [
            FormField("day", self.words("day_label"), "date", value=session.day if session else view.today),
            FormField(
                "who",
                self.words("who_label"),
                "choice",
                value=session.who if session else BOTH,
                choices=tuple(who),
            ),
            FormField(
                "takeaways",
                self.words("took_away_label"),
                "text",
                value=session.takeaways if session else "",
            ),
            FormField(
                "homework", self.words("homework_label"), "text", value=session.homework if session else ""
            ),
        ]

    def _question_form(self, question: SessionQuestion | None, view: View) -> list[FormField]:
        return [
            FormField(
                "text",
                self.words("question_label"),
                value=question.text if question else "",
                placeholder=self.words("question_placeholder"),
                max_length=TITLE_MAX,
                required=True,
            )
        ]

    # -- what it holds ----------------------------------------------------------------------

    def refresh_more(self, view: View) -> None:
        store = self.kintsugi.store
        contacts = store.records(SupportContact)
        sessions = store.records(SupportSession)
        questions = store.records(SessionQuestion)
        waiting = sum(1 for q in questions if not q.asked)
        if not (contacts or sessions or questions):
            summary = Text(self.words("intro"))
        else:
            parts = []
            if sessions:
                last = max(s.day for s in sessions)
                parts.append(self.words("last_session", day=view.day(last)))
            if waiting:
                parts.append(self.counted("questions_waiting", waiting))
            else:
                parts.append(self.words("no_questions_waiting"))
            summary = Text(" · ".join(parts))
        self.query_one("#support-summary", Static).update(summary)

    # -- asked, or not yet -----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "mark_asked":
            if not self.is_mounted or not self.sections:
                return False
            section = self.current()
            if section.section.key != "questions":
                return False
            return True if section.highlighted is not None else None
        return super().check_action(action, parameters)

    def action_mark_asked(self, question: SessionQuestion | None = None) -> None:
        """Mark the highlighted question (or ``question``) asked, or not asked after all."""
        if question is None:
            highlighted = self.section_widget("questions").highlighted
            question = highlighted if isinstance(highlighted, SessionQuestion) else None
        if question is None:
            return
        today = self.kintsugi.today()
        changes: dict[str, Any] = (
            {"asked": False, "asked_on": None} if question.asked else {"asked": True, "asked_on": today}
        )
        self.post_message(SaveEntry(SessionQuestion, changes, record_id=question.id))

    def commands(self) -> list[tuple[str, Callable[[], object], str]]:
        store, text = self.kintsugi.store, self.kintsugi.content.text
        found: list[tuple[str, Callable[[], object], str]] = [
            (
                text(f"practice_support.commands.{key}"),
                partial(self.action_new, key),
                text(f"practice_support.commands.{key}_help"),
            )
            for key in ("contacts", "sessions", "questions")
        ]
        for question in store.records(SessionQuestion):
            if not question.asked:  # palette titles are read as markup: words from the file are escaped
                found.append(
                    (
                        text("practice_support.commands.asked", question=safe_markup(question.text)),
                        partial(self.action_mark_asked, question),
                        text("practice_support.commands.asked_help"),
                    )
                )
        return found
