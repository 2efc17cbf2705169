"""How the couple's notebook opens: the first run (a new notebook, sealed, and its recovery code
shown once), a machine not let into a sealed notebook yet (``locked``: the join screen instead of
the notebook, until the file says it is let in), and choosing who is at this machine.

``Opening`` is mixed into ``KintsugiApp``; its methods take ``self: KintsugiApp``.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from app.tui.screens import IdentifyScreen, JoinScreen, OnboardingScreen, RecoveryCodeScreen

if TYPE_CHECKING:
    from app.tui.app import KintsugiApp


class Opening:
    """The first screen the app shows, and what happens once the notebook is open."""

    def on_mount(self: KintsugiApp) -> None:
        self._show_writer()
        if self.locked:
            self.push_screen(JoinScreen(), self._joined)
            self.start_watching()  # the file changes when this machine is let in
            gc.enable()  # nothing of the file is held to keep out of collections
            return
        if not self.store.exists:
            self.push_screen(OnboardingScreen(), self._onboarded)
        elif self.acting is None:
            self.push_screen(IdentifyScreen(self.store.partners), self._identified)
        self._opened()

    def _opened(self: KintsugiApp) -> None:
        """The couple's file opens here (on start, or once this machine is let in)."""
        self.publish_answers()
        if self.store.exists:
            self.call_after_refresh(self.start_watching)
            self.call_after_refresh(self.warm_up, self.WARM_UP, [])
            self.call_after_refresh(self.tell_of_waiting_machines)
        else:
            gc.enable()  # no file to keep out of collections (keep_out_of_collections)

    def _onboarded(self: KintsugiApp, names: tuple[str, str]) -> None:
        """Make the couple's notebook for the two names given, sealed for this machine; if the store
        refuses, the form opens again with them, saying why."""
        with self.reporting() as attempt:
            me, _ = self.store.init(*names, sealed=True)
        if attempt.failed:
            self.push_screen(OnboardingScreen(names, attempt.words), self._onboarded)
            return
        self.acting = me.id
        self.revision += 1
        self.start_watching()
        # made ready as on every later start: the celebrate dialog's screen styles among them
        self.call_after_refresh(self.warm_up, self.WARM_UP, [])
        if self.store.recovery_code is not None:  # shown once, then kept nowhere
            self.push_screen(RecoveryCodeScreen(self.store.recovery_code))
            self.store.recovery_code = None

    def _joined(self: KintsugiApp, me: str | None) -> None:
        """This machine was let in (or opened with the recovery code): the notebook opens."""
        self.locked = False
        if me:
            self.acting = me
        else:
            self.push_screen(IdentifyScreen(self.store.partners), self._identified)
        self.revision += 1
        self._opened()

    def _identified(self: KintsugiApp, partner_id: str | None) -> None:
        if not partner_id:
            return
        with self.reporting():
            self.store.set_me(partner_id)
        self.acting = partner_id
        self.revision += 1
        self.tell_of_waiting_machines()
