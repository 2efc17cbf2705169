"""Where Kintsugi patches Textual: every place the app reads or sets a private name of Textual's,
or replaces what Textual itself does, is in this module and nowhere else.

Each patch is written for one Textual version (``@written_for``; pyproject.toml pins Textual to it
exactly) and says what goes wrong without it, what of Textual's it relies on, and the issue that
would make it unnecessary upstream (docs/UPSTREAM.md has the stylesheet's written up in full).
tests/tui/test_textual_patches.py fails when the installed Textual is not that version, or when
something a patch relies on has changed shape: read the patch again before moving the pin. What
each patch does for the couple is tested where it shows: tests/tui/test_stylesheet.py,
test_focus.py and test_returning.py.

What each costs without it, and how that was found, is in bench/HISTORY.md; bench/RESULTS.md has
the figures as they are now.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from textual.app import ComposeResult
from textual.cache import LRUCache
from textual.css.model import RuleSet
from textual.css.query import NoMatches
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

if TYPE_CHECKING:
    from textual.app import App
    from textual.binding import Binding
    from textual.events import ScreenResume

PATCHES: dict[str, str] = {}
"""Each patch's name, and the Textual version it is written for."""

Patched = TypeVar("Patched")
Parses = LRUCache[tuple, list["RuleSet"]]
"""A stylesheet's parses: each source's rules, under the key Textual's ``_parse_rules`` gives it."""


def written_for(version: str) -> Callable[[Patched], Patched]:
    """Record a patch and the Textual version it is written for (checked against the installed one)."""

    def record(patch: Patched) -> Patched:
        PATCHES[patch.__name__] = version  # type: ignore[attr-defined]
        return patch

    return record


@written_for("8.2.8")
class ThemeKeyedStylesheet(Stylesheet):
    """Textual's ``Stylesheet``, keeping its parses until the CSS variables change.

    Without it: Textual clears its parse cache whenever the App sets the CSS variables, even to
    the values it already has, and its ``reparse`` parses every source again in a new stylesheet
    whose cache is then dropped. A section's first visit does both twice (loading the screen's
    styles, then two CSS refreshes on the mode switch), and the first new widget after that parses
    everything once more: four full parses of every source on one key (bench/HISTORY.md,
    2026-11-22; docs/UPSTREAM.md).

    Here a re-parse parses what the cache does not hold yet: new sources, or all of them once the
    variables really change (a new theme). The rules are the ones Textual's own cache would hand
    back, so what a widget looks like does not change; with the same sources and variables the
    rules are kept as they are, the very same list, which is how ``KeepsItsStyles`` knows a screen
    coming back need not be restyled.

    Relies on: ``Stylesheet._parse_cache`` (an ``LRUCache`` that ``parse`` reads through
    ``_parse_rules``), ``_variables``, ``_require_parse``, ``_invalid_css``; ``App.refresh_css``
    calling ``set_variables`` then ``reparse``; ``App.stylesheet`` holding no source yet when
    ``App.__init__`` returns, so the App can put this one in its place.

    Upstream: docs/UPSTREAM.md, "Stylesheet.set_variables with unchanged values, and reparse,
    throw away every parse".
    """

    SOURCES_KEPT = 256
    """Textual keeps 64; the app reaches ~50 sources (one per widget class) and grows."""

    shared_parses: ClassVar[LRUCache[tuple[tuple[str, str], ...], LRUCache[tuple, list[RuleSet]]] | None] = (
        None
    )
    """None: each stylesheet keeps its own parses, as for the one App a couple's process runs. A
    process that builds many Apps (the tests build hundreds) may set a cache here: the parses of
    each set of variables are then shared by every App it builds. A parse depends only on its
    source and the variables, so an App looks the same either way (tests/tui/test_stylesheet.py
    compares the rules with Textual's own)."""

    def __init__(self, *, variables: dict[str, str] | None = None) -> None:
        super().__init__(variables=variables)
        self._parse_cache = self._parses_with(self._variables)
        self._parsed_from: tuple[dict[str, object], dict[str, str]] | None = None

    @classmethod
    def _parses_with(cls, variables: dict[str, str]) -> Parses:
        if cls.shared_parses is None:
            return LRUCache(cls.SOURCES_KEPT)
        theme = tuple(sorted(variables.items()))
        kept = cls.shared_parses.get(theme)
        if kept is None:
            kept = cls.shared_parses[theme] = LRUCache(cls.SOURCES_KEPT)
        return kept

    def set_variables(self, variables: dict[str, str]) -> None:
        if variables != self._variables:
            # A new theme. Textual clears the parses it holds: hand it none that may be shared.
            self._parse_cache = LRUCache(1)
            super().set_variables(variables)
            self._parse_cache = self._parses_with(variables)
        else:
            self._invalid_css = set()  # as Textual does: styles that failed may be tried again

    def reparse(self) -> None:
        """Parse the sources the cache does not hold; as Textual's, ``self`` is kept on error.

        With the same sources and variables as the last parse, the rules are kept as they are,
        the very same list.
        """
        parsed_from = (dict(self.source), self._variables)
        if not self._require_parse and parsed_from == self._parsed_from:
            return
        self._require_parse = True
        self.parse()
        self._require_parse = False
        self._parsed_from = parsed_from


@written_for("8.2.8")
def rules_hashed_in_c() -> None:
    """Hash Textual's ``RuleSet`` by identity in C (``object.__hash__``), as Textual already hashes
    it by identity, in Python (``return id(self)``).

    Without it: every time a widget is styled, ``Stylesheet.apply`` keeps the rules that may apply
    to it by testing each rule of the whole stylesheet for membership in a set (``filter(
    limit_rules.__contains__, reversed(self.rules))``), which calls that Python ``__hash__`` once a
    rule: ~620 calls a widget here, once the warm-up has loaded every screen's and widget's styles,
    and as many again for each of a widget's component classes (a footer key's two, a text area's
    dozen). About a tenth of the styling of a section's first visit and of a focus move
    (bench/HISTORY.md, 2026-12-08). The hash is the same in kind, identity, so every set and dict of
    rules holds and finds the same rules.

    Relies on: ``RuleSet.__hash__`` returning ``id(self)`` (checked from Textual's source, kept in
    ``TEXTUALS_RULESET_HASH``); ``RuleSet`` compared by fields (a dataclass), so identity is all a
    hash may follow.

    Upstream (the issue to file): "``RuleSet.__hash__`` is ``id(self)`` in Python: ``apply`` calls
    it once per rule of the stylesheet for every node styled. Proposed: ``__hash__ =
    object.__hash__`` (the same identity hash, in C), or ``@dataclass(eq=False)``, or sorting the
    few candidate rules by their index instead of filtering the whole list."
    """
    RuleSet.__hash__ = object.__hash__  # type: ignore[method-assign,assignment]


TEXTUALS_RULESET_HASH = RuleSet.__hash__
"""Textual's own ``RuleSet.__hash__``, for tests/tui/test_textual_patches.py to read."""
rules_hashed_in_c()


@written_for("8.2.8")
class QuietFocus:
    """Mixin for every screen of the app: moving the focus repaints what it changed, not the screen.

    Without it: Textual's ``Screen.focused`` is a reactive that repaints (a reactive's default), so
    every focus move draws the whole screen again, and under a dialog the dimmed screen beneath it,
    on top of what the move itself does: the widget focused and the one left are restyled and
    repaint themselves, and so does every widget whose style follows them. Drawing all the rest is
    most of a tab's time (bench/HISTORY.md, 2026-12-06; the focus rows of bench/RESULTS.md).

    Relies on: ``Screen.focused`` being a ``Reactive(None)`` with every other option left as it
    is here, whose change Textual answers with ``Screen._watch_focused`` (``refresh_bindings``),
    which this declaration keeps. tests/tui/test_focus.py draws the frames the app writes into a terminal
    of its own and checks it against a full redraw after every tab.

    Upstream (the issue to file): "Screen.focused repaints the whole screen on every focus change.
    ``focused`` is declared ``Reactive(None)``, so setting it refreshes the screen; the widgets
    gaining and losing focus are already restyled (``:focus``) and refresh themselves, so the full
    repaint redraws widgets that did not change, and under a translucent modal the screen beneath.
    Proposed: ``focused = Reactive(None, repaint=False)``."
    """

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)


@written_for("8.2.8")
class KeepsItsStyles:
    """Mixin for a section's screen (a mode): shown again, it is restyled only if it has to be.

    Without it: Textual restyles every widget of a mode's screen each time it is shown again
    (``ScreenResume``), which is most of a switch back to a section (bench/HISTORY.md, 2026-12-06);
    and a new mode's screen counts as out of date (``_css_update_count`` starts at -1), so its first
    showing refreshes every style, and that refresh restyles the screen being left, not the new one
    (Textual's ``_init_mode`` runs it before the mode changes).

    What a screen does not follow while it is away is the App's classes (the theme's, the
    terminal's focus) and rules loaded meanwhile: those restyle the screens in sight only. A
    widget's own class change restyles it at once, and a theme's new colours trigger a full refresh
    on return anyway. So the App's classes and the rules in force are noted as the screen leaves,
    and the restyle is skipped (``ScreenResume.refresh_styles``) when both are the same on its
    return. A new screen counts as styled from the moment it is made: its widgets are styled as
    they mount, with the styles as they are then.

    Relies on: ``App._css_update_count`` and ``Screen._css_update_count`` (compared by
    ``App._init_mode`` and ``App.switch_mode`` to decide on ``refresh_css``);
    ``ScreenResume.refresh_styles``; ``ThemeKeyedStylesheet`` keeping the very same rules while
    nothing changed. tests/tui/test_returning.py compares a kept screen with a full restyle.

    Upstream (the issue to file): "A mode's screen is restyled in full on every return, and its
    first showing refreshes the CSS of the screen being left. ``switch_mode`` calls ``refresh_css``
    when ``screen._css_update_count`` differs from the App's, and a new Screen starts at -1; inside
    ``_init_mode`` that refresh runs while ``self.screen`` is still the old screen. Then
    ``ScreenResume`` restyles every widget of the new one. Proposed: a screen whose widgets were
    styled as they mounted counts as up to date, and a resumed screen is restyled only when the
    App's classes or the stylesheet's rules changed while it was away (Textualize/textual#5211
    notes the refresh 'could be improved upon in future')."
    """

    app: App
    _left_with: tuple[frozenset[str], frozenset[str], list[RuleSet]] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._css_update_count = self.app._css_update_count

    def on_mount(self) -> None:
        self._left_with = self._look()  # its widgets were styled as they mounted

    def _look(self) -> tuple[frozenset[str], frozenset[str], list[RuleSet]]:
        app = self.app
        return frozenset(app.classes), app.pseudo_classes, app.stylesheet.rules

    def on_screen_suspend(self) -> None:
        self._left_with = self._look()

    def on_screen_resume(self, event: ScreenResume) -> None:
        left, now = self._left_with, self._look()
        if left is not None and left[:2] == now[:2] and left[2] is now[2]:  # the very same rules
            event.refresh_styles = False


@written_for("8.2.8")
class FooterOnceAFrame(Footer):
    """Textual's Footer, rebuilding its keys once a frame, on the screen on top, only when they changed.

    Without it: Textual's Footer re-composes (a new widget per key, each styled twice) every time
    the screen's bindings are refreshed: seven times on the step screen's first showing, twice on
    each return to the dashboard, mostly with the same keys, and on the screens out of sight too
    (bench/HISTORY.md, 2026-12-06). This one answers a burst of refreshes once, after the next
    frame, only on the screen on top (the one the keys go to), and leaves the keys as they are when
    nothing about them changed. A screen beneath a dialog keeps its keys as they were: the dialog's
    own footer covers them, and what the App allows there follows the dialog's focus (``!`` is
    hidden while a field of the dialog has it), so rebuilding them would redraw the dimmed screen
    twice for nothing, as the dialog opens and as it closes (bench/HISTORY.md, 2026-12-08).

    Relies on: ``Footer.on_mount`` subscribing ``bindings_changed(screen)`` to the screen's
    ``bindings_updated_signal``; ``Footer.compose`` drawing nothing until the private reactive
    ``_bindings_ready`` is true, and drawing from ``screen.active_bindings`` no more than what
    ``_keys`` compares; a screen coming back refreshing its bindings (``ScreenResume``, and
    ``Screen.stack_updates`` as a dialog over it closes); ``Screen.is_active`` (on top); a
    ``FooterKey`` (``textual.widgets._footer``) styled ``-compact`` by a watcher once mounted.

    Upstream (the issue to file): "Footer re-composes on every bindings refresh, even when nothing
    it shows changed. ``Footer.bindings_changed`` schedules ``recompose()`` after every
    ``bindings_updated_signal``, which fires on each focus change, each ``refresh_bindings()`` and
    each screen resume, several times a frame while a screen is first shown, and for screens that
    are not current. Proposed: coalesce to one recompose a frame, only for the current screen,
    and skip it when the keys it would draw are the ones it shows."
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._shown: tuple[tuple[object, ...], ...] | None = None
        self._pending = False

    def compose(self) -> ComposeResult:
        """Textual's keys, from the first: the screen's keys as they stand before anything in it
        is focused, which are most often the ones it keeps, so the first frame shows them.
        Textual's Footer is composed empty and recomposed once the screen's bindings are first
        refreshed, after the screen was laid out, which is then laid out again for the keys. A
        screen whose keys depend on widgets not mounted yet is told its keys then, as before.

        Each key is made compact as it is made: Textual makes it so once it is mounted (a
        reactive bound to the footer's ``compact``), and so styles each key a second time.
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
        if not self.is_attached or not self.screen.is_active:
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


@written_for("8.2.8")
class FocusRestylesItself:
    """Mixin for a widget holding many: gaining or losing the focus restyles only itself.

    Without it: Textual restyles a widget and all it holds whenever its focus changes, in case a
    rule styles what is inside by that focus (``#page:focus Static``). A scroll area holds a whole
    screen's sections, so every tab onto it or away from it restyles them all (67 widgets on the
    dashboard: bench/HISTORY.md, 2026-12-06). No rule in force styles what a scroll area holds by
    its focus: tests/tui/test_focus.py checks every rule of the app and of Textual's widgets.

    Relies on: ``Widget.watch_has_focus`` being where Textual restyles on a focus change (it calls
    ``update_node_styles``, which restyles ``walk_children(with_self=True)``), and
    ``Stylesheet.update_nodes(nodes, animate=...)``.

    Upstream (the issue to file): "A container's focus change restyles all its descendants.
    ``Widget.watch_has_focus`` calls ``update_node_styles()``, which restyles every descendant in
    case a selector such as ``#page:focus Static`` depends on it. For a focusable scroll container
    holding a page, each tab onto or away from it restyles the whole page. Proposed: restyle the
    descendants only when a rule in the stylesheet has ``:focus`` or ``:blur`` before its last
    compound selector (known once per parse); otherwise restyle the widget alone."
    """

    app: App

    def watch_has_focus(self, _has_focus: bool) -> None:
        self.app.stylesheet.update_nodes([cast("Widget", self)], animate=True)  # and its scrollbars


@written_for("8.2.8")
def rewrite_bindings(node: DOMNode, rewrite: Callable[[Binding], Binding]) -> None:
    """Replace each of ``node``'s own bindings with ``rewrite(binding)``.

    Without it: a binding's description (what the Footer, the keys panel and the palette show) is
    fixed when the class is made, from its ``BINDINGS``; the app's words are loaded when it starts
    (content/ui.toml), and no public call changes a binding afterwards.

    Relies on: ``DOMNode._bindings``, a ``BindingsMap`` copied for each node from its class's,
    whose ``key_to_bindings`` maps a key to its ``Binding``s; ``Screen.active_bindings`` built
    from each node's ``_bindings``; ``Binding`` a frozen dataclass (``dataclasses.replace``).

    Upstream (the issue to file): "No public way to change a binding's description or ``show`` at
    run time. Descriptions come from ``BINDINGS`` when the class is created; an app whose words are
    loaded at start (translations, content files) has to rewrite ``node._bindings``. Proposed: a
    public ``DOMNode.update_bindings(...)`` (or descriptions in ``App.set_keymap``) that refreshes
    the Footer (see Textualize/textual#1057)."
    """
    bindings = node._bindings.key_to_bindings
    for key, found in bindings.items():
        bindings[key] = [rewrite(binding) for binding in found]


@written_for("8.2.8")
class SizedAtOnce:
    """Mixin for a screen with breakpoints: its breakpoint classes are set as it is made, from
    the terminal's size then, so its widgets are styled once, with them.

    Without it: Textual sets them on the screen's first ``Resize``, after every widget has been
    styled without them, and so styles the whole screen a second time (about a tenth of the
    agreements screen's first opening). The classes are the ones Textual would set (the largest
    breakpoint not wider, or taller, than the terminal); a later resize sets them as before.

    Relies on: ``Screen._on_resize`` choosing the class as the largest breakpoint not over the
    size, from the screen's ``HORIZONTAL_BREAKPOINTS``/``VERTICAL_BREAKPOINTS`` or else the App's.

    Upstream (the issue to file): "A screen with breakpoints is styled twice on its first showing:
    its breakpoint classes are only set by its first Resize. Proposed: set them when the screen
    is made, from the App's size."
    """

    app: App
    HORIZONTAL_BREAKPOINTS: list[tuple[int, str]] | None
    VERTICAL_BREAKPOINTS: list[tuple[int, str]] | None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        app = self.app
        width, height = app.size
        for breakpoints, fits in (
            (self.HORIZONTAL_BREAKPOINTS or app.HORIZONTAL_BREAKPOINTS, width),
            (self.VERTICAL_BREAKPOINTS or app.VERTICAL_BREAKPOINTS, height),
        ):
            for least, name in sorted(breakpoints or [], reverse=True):
                if fits >= least:
                    cast("Widget", self).add_class(name, update=False)
                    break


@written_for("8.2.8")
def add_default_styles(stylesheet: Stylesheet, classes: Iterable[type[DOMNode]]) -> None:
    """Add the own styles (``DEFAULT_CSS``) of these classes and their bases to ``stylesheet``,
    under the names and with the weights Textual gives them when one is mounted, so a first
    mount adds nothing new to parse. They are parsed on the next ``reparse``.

    Without it: Textual adds a widget class's own styles the first time one is mounted, and
    parses them then, with every other source: the celebrate dialog's first opening parsed seven
    (Input, TextArea, Select ...), the first step fourteen (Markdown, TabbedContent ...).

    Relies on: ``DOMNode._get_default_css()`` giving (read_from, css, tie_breaker, scope) for a
    node's class and bases and reading nothing of the node's own; ``Stylesheet.add_source``
    taking them as keywords.

    Upstream (the issue to file): "Offer a public way to load a widget class's DEFAULT_CSS ahead
    of its first mount (an app can then parse all its styles once, at a moment of its choosing)."
    """
    for cls in classes:
        bare = cls.__new__(cls)  # Textual reads a node's class and its bases, nothing of its own
        for read_from, css, tie_breaker, scope in bare._get_default_css():
            stylesheet.add_source(
                css, read_from=read_from, is_default_css=True, tie_breaker=tie_breaker, scope=scope
            )


def loaded_widget_classes() -> list[type[DOMNode]]:
    """Every widget and screen class of Textual's and ours imported by now (for ``add_default_styles``)."""

    def below(cls: type[DOMNode]) -> Iterator[type[DOMNode]]:
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    return [cls for cls in dict.fromkeys(below(DOMNode)) if cls.__module__.startswith(("textual.", "app."))]


@written_for("8.2.8")
class DrawsAtOnce:
    """For the App: a section is drawn as soon as it is ready, with no hold on a mode switch.

    Without it: Textual holds every frame back for 50 ms on a mode switch (``App.delay_update``,
    its only call), to mask its ``Footer`` being composed again once the new screen's keys are
    known. Every screen here composes its ``KeyFooter`` with its keys and rebuilds it only when
    they change, so there is nothing to mask; the hold added 50 ms to every switch, and had a
    section's first visit laid out and drawn twice, once unseen.

    Relies on: ``App.delay_update(delay)``, called by ``App.switch_mode`` (public since
    Textualize/textual#6137). tests/tui/test_navigation.py checks a section's first frame shows
    its keys.

    Upstream (the issue to file): "Let an app whose footer knows its keys at compose opt out of
    the mode switch's 50 ms hold."
    """

    def delay_update(self, delay: float = 0.05) -> None:
        """Hold nothing back."""


@written_for("8.2.8")
def build_out_of_sight(app: App[Any], screen: Screen[Any]) -> Coroutine[Any, Any, object]:
    """Compose and mount ``screen`` now without showing it, as its first push would: pushed later,
    it is shown as it stands. What this returns, awaited, waits until it is mounted.

    Without it: a screen is built (composed, each of its widgets made, styled and mounted) the first
    time it is pushed, while the couple waits to see it; for the celebrate dialog, the app's most
    used key, that was about half of its first opening's CPU (bench/HISTORY.md, 2026-12-08).
    Textual builds an installed screen so on its first push (``App._get_screen`` registers one
    that is not running yet), keeps it running once it is popped, and pushes a running one as it
    is; this registers it ahead, and leaves the screen stacks alone. Install the screen first
    (``App.install_screen``), so that Textual keeps it when it is popped and closes it on exit, as
    it does an installed screen pushed once and popped; an App that builds ahead is an
    ``EndsOnceBuilt`` too, or its end may take the screen apart while it is being built.

    Relies on: ``App._register(parent, *widgets)`` starting a screen's message loop (compose,
    then mount) as ``App._get_screen`` uses it; ``App._get_screen`` not registering a screen that
    is running; a widget's ``_mounted_event``, set once it and all it composed are mounted.

    Upstream (the issue to file): "Offer a public way to build an installed screen ahead of its
    first push (``App.install_screen(screen, name, build=True)``, say), so an app can build the
    dialog it opens most while nobody waits, as it may already keep it once it was shown."
    """
    app._register(app, screen)
    return screen._mounted_event.wait()


@written_for("8.2.8")
class EndsOnceBuilt:
    """For the App: as it ends, a screen still being built is first let finish (a second at most).

    Without it: Textual ends an App by closing its screens, and then every widget left, each on
    its own and in no particular order; a screen still being built (one built ahead by
    ``build_out_of_sight``, or a section whose key was pressed a moment before) has widgets closed
    under the handlers still mounting it, and the end shows a traceback (``NoMatches`` from a
    ``Select``'s own mount, say). Textual's test harness ends the App so after every test, and a
    terminal closed or a signal does too, without the ``q`` that waits (``Quits``).

    Relies on: ``App._shutdown``, where Textual's run and test harness end the App;
    ``App._installed_screens`` and ``App._screen_stacks``; a screen's ``_task``, made as it is
    registered (its ``is_running`` is set only once that task has begun), and ``_mounted_event``.

    Upstream (the issue to file): "An App ending while a screen is being composed closes that
    screen's widgets under its mount handlers. ``App._close_all`` closes the remaining nodes one by
    one in registry order. Proposed: wait for screens still mounting before closing them."
    """

    BUILD_WAIT_S = 1.0

    async def _shutdown(self) -> None:
        app = cast("App[Any]", self)
        screens = [
            *app._installed_screens.values(),
            *(s for stack in app._screen_stacks.values() for s in stack),
        ]
        building = [s for s in screens if isinstance(s, Screen) and s._task is not None and not s.is_mounted]
        if building:
            waits = [asyncio.ensure_future(screen._mounted_event.wait()) for screen in building]
            await asyncio.wait(waits, timeout=self.BUILD_WAIT_S)
            for wait in waits:
                wait.cancel()
        await super()._shutdown()  # type: ignore[misc]


@written_for("8.2.8")
def holding_updates(app: App[Any]) -> bool:
    """True while Textual holds the screen back from the terminal (``App.delay_update``: 50 ms on
    a mode switch), while which a callback "after refresh" runs with no refresh at all.

    Relies on: the App's private ``_batch_count``, above zero while updates are held.

    Upstream (the issue to file): "Offer a public way to ask whether updates are held (batch
    or delay_update), or make call_after_refresh wait for the next real refresh."
    """
    return bool(app._batch_count)
