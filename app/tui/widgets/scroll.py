"""A scroll area whose focus restyles itself, not everything it holds."""

from __future__ import annotations

from textual.containers import VerticalScroll

from app.tui.textual_patches import FocusRestylesItself


class ScrollArea(FocusRestylesItself, VerticalScroll):
    """``VerticalScroll``, except that gaining or losing the focus restyles only itself
    (``FocusRestylesItself``): it holds a whole screen's sections, and no rule styles them by its
    focus (tests/tui/test_focus.py checks every rule in force)."""
