"""The footer every screen shows: Textual's, rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeyFooter(Footer):
    """Textual's compact Footer that rebuilds its keys once a frame, and only when they changed.

    Textual's Footer re-composes (a new widget per key, each styled twice) every
    time the screen's bindings are refreshed: seven times on the step screen's
    first showing, twice on each return to the dashboard, mostly with the same
    keys, and the screens out of sight too (bench/RESULTS.md). This one answers a
    burst of refreshes once, after the next frame, only on a screen in sight, and
    leaves the keys as they are when nothing about them changed.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(compact=True, **kwargs)
        self._shown: tuple[tuple[object, ...], ...] | None = None
        self._pending = False

    def compose(self) -> ComposeResult:
        """Textual's keys, from the first: the screen's keys as they stand before anything in it
        is focused, which are most often the ones it keeps, so the first frame shows them.

        Textual's Footer is composed empty and recomposed once the screen's bindings are first
        refreshed: on a screen's first showing, after it was laid out, and laid out again for the
        keys (a sixth of the step screen's first visit, bench/RESULTS.md). A screen whose keys
        depend on widgets not mounted yet is told its keys then, as before.

        Each key is made compact as it is made: Textual makes it so once it is mounted (a
        reactive bound to the footer's), and styles each key a second time for it.
        """
        if not self._bindings_ready:
            try:
                self._shown = self._keys()
            except NoMatches:
                pass
            else:
                self._bindings_ready = True
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.set_class(self.compact, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._pending:
            self._pending = True
            self.call_after_refresh(self._show_keys)

    async def _show_keys(self) -> None:
        self._pending = False
        if not self.is_attached or not self.screen.is_current:
            return  # a screen out of sight is told again when it comes back (ScreenResume)
        shown = self._keys()
        if shown != self._shown:
            self._shown = shown
            await self.recompose()

    def _keys(self) -> tuple[tuple[object, ...], ...]:
        """Everything of the screen's bindings that Footer.compose draws."""
        palette = self.app.COMMAND_PALETTE_BINDING
        return tuple(
            (key, binding.key_display, binding.action, binding.description, binding.group, enabled, tip)
            for key, (_, binding, enabled, tip) in self.screen.active_bindings.items()
            if binding.show or key == palette
        )
