"""What any screen opens over itself, and what the App does with what they return: the celebrate
dialog (``c``: a moment of gold once it is logged), the check-in (``k``), the weekly talk
(``m``), the export, today's question and the repair talks.

``OpensAnywhere`` is mixed into ``KintsugiApp``; its methods take ``self: KintsugiApp``.
"""

from __future__ import annotations

import random
from contextlib import suppress
from functools import partial
from typing import TYPE_CHECKING

from textual.screen import ModalScreen

from app.domain.meeting import Meeting
from app.domain.models import Celebration, CheckIn
from app.store.storage import StoreError
from app.tui.drafts import CelebrationDraft
from app.tui.messages import Saved
from app.tui.screens import (
    CelebrateDialog,
    CelebrationDialog,
    CheckInDialog,
    ExportDialog,
    MeetingScreen,
    QuestionScreen,
    RepairScreen,
)
from app.tui.widgets.gold import GoldMoment
from app.tui.widgets.safe import safe_str

if TYPE_CHECKING:
    from app.tui.app import KintsugiApp
    from app.tui.screens.checkin import CheckInDraft
    from app.tui.screens.export import ExportDraft


CELEBRATE = "celebrate"
"""The name the kept celebrate dialog is installed under."""


class OpensAnywhere:
    """The dialogs and screens any screen opens (never over a dialog)."""

    kept_celebrate: CelebrateDialog | None = None
    """The celebrate dialog, made once and started again from a draft each time it opens (``c`` is
    the key pressed most): built ahead once the dashboard is up (``WarmsUp.build_ahead``), or at
    its first opening, and kept by Textual between openings (an installed screen)."""

    def celebrate_dialog(self: KintsugiApp, draft: CelebrationDraft | None = None) -> CelebrateDialog:
        """The kept celebrate dialog, showing ``draft`` (an empty form by default)."""
        dialog = self.kept_celebrate
        if dialog is None:
            dialog = self.kept_celebrate = CelebrateDialog(draft)
            self.install_screen(dialog, CELEBRATE)
        else:
            dialog.start_again(draft)
        return dialog

    def action_celebrate(self: KintsugiApp, draft: CelebrationDraft | None = None) -> None:
        """Log a celebration (a suggestion passes its draft to fill the form in)."""
        if self.ready and not isinstance(self.screen, ModalScreen):
            self.collect_once_drawn()
            self.push_screen(self.celebrate_dialog(draft), self._celebrated)

    def _celebrated(self: KintsugiApp, draft: CelebrationDraft | None) -> None:
        """Log what the dialog held, as the partner writing now; if the store refuses, open the
        dialog again with it, saying why."""
        if draft is None:
            return
        with self.reporting() as attempt:
            if self.acting is None:
                raise StoreError("no_writer")
            self.store.add_celebration(
                self.acting,
                draft.title,
                note=draft.note,
                day=draft.day,
                step=draft.step,
                size=draft.size,
                suggestion=draft.suggestion,
            )
        if attempt.failed:  # a dialog of its own: the kept one is still being closed
            self.push_screen(CelebrateDialog(draft, attempt.words), self._celebrated)
            return
        self.revision += 1
        GoldMoment.show(self.screen, random.choice(self.content.cheers))

    def show_celebration(
        self: KintsugiApp, celebration_id: str, reaction: str | None = None, problem: str = ""
    ) -> None:
        """One celebration in full; the reaction typed there is saved here, as the partner writing
        now (if the store refuses, the dialog opens again with it, saying why)."""
        celebration, partners = None, []
        with self.reporting():
            celebration = self.store.get(Celebration, celebration_id)
            partners = self.store.partners
        dialog = CelebrationDialog(celebration, partners, reaction, problem)
        self.push_screen(dialog, partial(self._reacted, celebration_id))

    def _reacted(self: KintsugiApp, celebration_id: str, words: str | None) -> None:
        if words is None or self.acting is None:
            return
        with self.reporting() as attempt:
            self.store.react(celebration_id, self.acting, words)
        if attempt.failed:
            self.show_celebration(celebration_id, words, attempt.words)
            return
        self.post_message(Saved())
        self.notify(self.content.text("log.reaction_saved"), markup=False)

    def action_checkin(self: KintsugiApp) -> None:
        """Check in as the partner writing now."""
        if self.ready and not isinstance(self.screen, ModalScreen):
            self._check_in()

    def _check_in(self: KintsugiApp, draft: CheckInDraft | None = None, problem: str = "") -> None:
        """The check-in dialog, from today's check-in by the partner writing now if there is one
        (or from a draft the store refused, saying why)."""
        acting, held, name = self.acting or "", None, ""
        with suppress(StoreError):  # without today's, the form starts empty
            held = self.store.get(CheckIn, self.store.derived_id("checkin", acting, self.today().isoformat()))
        with suppress(StoreError):  # and the heading names nobody
            name = self.store.partner(acting).name
        self.push_screen(CheckInDialog(name, held, draft, problem), self._checked_in)

    def _checked_in(self: KintsugiApp, draft: CheckInDraft | None) -> None:
        if draft is None or draft.connection is None:
            return
        with self.reporting() as attempt:
            if self.acting is None:
                raise StoreError("no_writer")
            self.store.check_in(
                self.acting, draft.connection, mood=draft.mood, note=draft.note, day=self.today()
            )
        if attempt.failed:
            self._check_in(draft, attempt.words)
            return
        self.revision += 1
        self.notify(self.content.text("checkin.saved"), markup=False)

    def action_meeting(self: KintsugiApp) -> None:
        """The weekly "state of us" talk."""
        if not self.ready or isinstance(self.screen, (ModalScreen, MeetingScreen)):
            return
        with self.reporting() as attempt:
            partners = self.store.partners
        if attempt.failed:
            return
        self.push_screen(MeetingScreen(partners), self._met)

    def _met(self: KintsugiApp, meeting: Meeting | None) -> None:
        if meeting is not None:
            self.revision += 1
            saved = "meeting.saved_with_agreement" if meeting.agreement_id else "meeting.saved"
            self.notify(self.content.text(saved), markup=False)

    def action_export(self: KintsugiApp, fmt: str = "md") -> None:
        """Write the journey out as Markdown or JSON (never private entries)."""
        if self.ready and not isinstance(self.screen, ModalScreen):
            self.push_screen(ExportDialog(fmt), self._exported)

    def _exported(self: KintsugiApp, draft: ExportDraft | None) -> None:
        """Write the export the dialog chose, and say where and what it is; if it cannot be
        written, the dialog opens again, saying why."""
        from app.export import export_json, export_markdown, save_export  # loaded with the dialog
        from app.tui.screens.export import SAID

        if draft is None or draft.target is None:
            return
        with self.reporting() as attempt:
            if draft.fmt == "json":
                document = export_json(self.store, self.today())
            else:
                document = export_markdown(self.store, self.content, self.today())
            path = save_export(draft.target, document)
            kind = "plain" if draft.fmt == "md" else "sealed" if self.store.sealed else "json"
        if attempt.failed:
            self.push_screen(ExportDialog(draft=draft, problem=attempt.words), self._exported)
            return
        self.notify(self.content.text(SAID[kind], path=safe_str(path)), markup=False)

    def action_question(self: KintsugiApp) -> None:
        """Today's question, answered apart and revealed together."""
        if self.ready and not isinstance(self.screen, (QuestionScreen, ModalScreen)):
            self.push_screen(QuestionScreen(self.today()))

    def action_repair(self: KintsugiApp) -> None:
        """The couple's repair conversations."""
        if self.ready and not isinstance(self.screen, (RepairScreen, ModalScreen)):
            self.push_screen(RepairScreen())
