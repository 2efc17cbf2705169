"""Quitting: once the screens open now are built (a second at most), and no key opens anything
meanwhile.

``Quits`` is mixed into ``KintsugiApp``; its methods take ``self: KintsugiApp``.
"""

from __future__ import annotations

import asyncio
from contextlib import suppress
from typing import TYPE_CHECKING

from textual.widget import AwaitMount

if TYPE_CHECKING:
    from app.tui.app import KintsugiApp

QUIT_WAIT_S = 1.0  # the longest a quit waits for a screen being built


class Quits:
    """``q`` (and the palette's Quit)."""

    quitting = False
    """True once the couple asked to quit (``action_quit``); ``check_action`` then allows nothing."""

    async def action_quit(self: KintsugiApp) -> None:
        """Quit, once the screens open now are built (a second at most).

        A key that opens a section or a dialog starts building it, and on exit Textual still
        delivers what was sent to its widgets while it removes them: quitting at once after
        such a key would run their handlers on half-removed screens, and end in a traceback.
        """
        self.quitting = True  # a key already on its way opens nothing now (check_action)
        with suppress(TimeoutError):
            await asyncio.wait_for(AwaitMount(self.screen, list(self.screen_stack)), QUIT_WAIT_S)
        self.exit()
