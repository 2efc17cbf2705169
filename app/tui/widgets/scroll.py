"""A scroll area whose focus restyles itself, not everything it holds."""

from __future__ import annotations

from textual.containers import VerticalScroll


class ScrollArea(VerticalScroll):
    """``VerticalScroll``, except that gaining or losing the focus restyles only itself.

    Textual restyles a widget and all it holds whenever its focus changes, in case a rule
    styles what is inside by that focus (``#page:focus Static``). A scroll area holds a whole
    screen's sections, so every tab onto it or away from it restyled them all (67 widgets on
    the dashboard, 0.05 s on a slow box). No rule in force styles what a scroll area holds by
    its focus: tests/tui/test_focus.py checks every rule of the app and of Textual's widgets.
    """

    def watch_has_focus(self, _has_focus: bool) -> None:
        self.app.stylesheet.update_nodes([self], animate=True)  # and its scrollbars
