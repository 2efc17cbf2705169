"""What any screen opens over itself, and what the App does with what they return: the celebrate
dialog (``c``: a moment of gold once it is logged), the check-in (``k``), the weekly talk
(``m``), the export, today's question and the repair talks.

``OpensAnywhere`` is mixed into ``KintsugiApp``; its methods take ``self: KintsugiApp``.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from textual.screen import ModalScreen

from app.domain.meeting import Meeting
from app.domain.models import Celebration, CheckIn
from app.tui.screens import CheckInDialog, ExportDialog, MeetingScreen, QuestionScreen, RepairScreen
from app.tui.screens.celebrate_dialog import CelebrateDialog, CelebrationDraft  # the dashboard imports it
from app.tui.widgets.gold import GoldMoment

if TYPE_CHECKING:
    from app.tui.app import KintsugiApp


class OpensAnywhere:
    """The dialogs and screens any screen opens (never over a dialog)."""

    def action_celebrate(self: KintsugiApp, draft: CelebrationDraft | None = None) -> None:
        """Log a celebration (a suggestion passes its draft to fill the form in)."""
        if self.ready and not isinstance(self.screen, ModalScreen):
            self.push_screen(CelebrateDialog(draft), self._celebrated)

    def _celebrated(self: KintsugiApp, celebration: Celebration | None) -> None:
        if celebration is None:
            return
        self.revision += 1
        GoldMoment.show(self.screen, random.choice(self.content.cheers))

    def action_checkin(self: KintsugiApp) -> None:
        """Check in as the partner writing now."""
        if self.ready and not isinstance(self.screen, ModalScreen):
            self.push_screen(CheckInDialog(), self._checked_in)

    def _checked_in(self: KintsugiApp, checkin: CheckIn | None) -> None:
        if checkin is not None:
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

    def _exported(self: KintsugiApp, written: str | None) -> None:
        if written is not None:
            self.notify(written, markup=False)

    def action_question(self: KintsugiApp) -> None:
        """Today's question, answered apart and revealed together."""
        if self.ready and not isinstance(self.screen, (QuestionScreen, ModalScreen)):
            self.push_screen(QuestionScreen(self.today()))

    def action_repair(self: KintsugiApp) -> None:
        """The couple's repair conversations."""
        if self.ready and not isinstance(self.screen, (RepairScreen, ModalScreen)):
            self.push_screen(RepairScreen())
