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

Textual adds a widget class's own styles (its ``DEFAULT_CSS``) the first time one is mounted,
and parses them then: the celebrate dialog's first opening parsed seven (Input, TextArea,
Select ...), the first step fourteen (Markdown, TabbedContent ...). ``add_default_styles`` adds
them ahead, as mounting would, so the App can have them parsed while nobody waits.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from textual.cache import LRUCache
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode


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


def add_default_styles(stylesheet: Stylesheet, classes: Iterable[type[DOMNode]]) -> None:
    """Add the own styles (``DEFAULT_CSS``) of these classes and their bases to ``stylesheet``,
    under the names and with the weights Textual gives them when one is mounted, so a first
    mount adds nothing new to parse. They are parsed on the next ``reparse``."""
    for cls in classes:
        bare = cls.__new__(cls)  # Textual reads a node's class and its bases, nothing of its own
        for read_from, css, tie_breaker, scope in bare._get_default_css():
            stylesheet.add_source(
                css, read_from=read_from, is_default_css=True, tie_breaker=tie_breaker, scope=scope
            )


def loaded_widget_classes() -> list[type[DOMNode]]:
    """Every widget and screen class of Textual's and ours imported by now."""

    def below(cls: type[DOMNode]) -> Iterator[type[DOMNode]]:
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    return [cls for cls in dict.fromkeys(below(DOMNode)) if cls.__module__.startswith(("textual.", "app."))]
