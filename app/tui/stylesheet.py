"""Textual's stylesheet, parsing each source of styles once while the theme stays the same.

Textual 8.2.8 clears its parse cache whenever the App sets the CSS variables, even to the values
it already has, and its ``reparse`` parses every source again in a new stylesheet whose cache is
then dropped. A section's first visit did both twice (loading the screen's styles, then two CSS
refreshes on the mode switch), and the first new widget after that parsed everything once more:
four full parses of ~50 ms each at 10k records on the shared box (bench/RESULTS.md). Textual's
own note on the mode-switch refresh says it "could be improved upon in future, by avoiding a CSS
refresh when not strictly required" (Textualize/textual#5211).

Here a re-parse parses what the cache does not hold yet: new sources, or all of them once the
variables really changed (a new theme). The rules are the ones Textual's own cache would hand
back, so what a widget looks like does not change; tests/tui/test_stylesheet.py checks both.
"""

from __future__ import annotations

from textual.cache import LRUCache
from textual.css.stylesheet import Stylesheet


class ThemeKeyedStylesheet(Stylesheet):
    """A ``Stylesheet`` whose parses are kept until the CSS variables change."""

    SOURCES_KEPT = 256
    """Textual keeps 64; the app reaches ~50 sources (one per widget class) and grows."""

    def __init__(self, *, variables: dict[str, str] | None = None) -> None:
        super().__init__(variables=variables)
        self._parse_cache = LRUCache(self.SOURCES_KEPT)
        self._parsed_from: tuple[dict[str, object], dict[str, str]] | None = None

    def set_variables(self, variables: dict[str, str]) -> None:
        if variables != self._variables:
            super().set_variables(variables)  # a new theme: every source is parsed again
        else:
            self._invalid_css = set()  # as Textual does: styles that failed may be tried again

    def reparse(self) -> None:
        """Parse the sources the cache does not hold; as Textual's, ``self`` is kept on error.

        With the same sources and variables as the last parse, the rules are kept as they are,
        the very same list: that is how a screen coming back knows it need not be restyled
        (``app.tui.base.KeepsItsStyles``).
        """
        parsed_from = (dict(self.source), self._variables)
        if not self._require_parse and parsed_from == self._parsed_from:
            return
        self._require_parse = True
        self.parse()
        self._require_parse = False
        self._parsed_from = parsed_from
