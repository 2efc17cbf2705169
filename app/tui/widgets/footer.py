"""The footer every screen shows: Textual's compact Footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from app.tui.textual_patches import FooterOnceAFrame


class KeyFooter(FooterOnceAFrame):
    """Textual's compact Footer, rebuilding its keys once a frame, on the screen on top, and only
    when they changed (``FooterOnceAFrame``)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(compact=True, **kwargs)
