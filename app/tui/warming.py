"""What keeps the app quick once the dashboard is up: the screens opened most imported and their
styles loaded while nobody waits for them (``warm_up``), the celebrate dialog built out of sight
(``build_ahead``), then what is loaded by then left out of Python's full garbage collections
(``keep_out_of_collections``, undone on exit), and the records the screens have not read read a
batch a refresh, so a damaged one is told now. A section's first showing is built with the
collector held off until it is drawn (``show_mode``).

``WarmsUp`` is mixed into ``KintsugiApp``; its methods take ``self: KintsugiApp``.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Awaitable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.screen import ModalScreen, Screen

from app.store.storage import StoreError
from app.tui.screens import AgreementsScreen, CelebrateDialog, CelebrationsScreen, Deferred, StepScreen
from app.tui.textual_patches import add_default_styles, build_out_of_sight, loaded_widget_classes

if TYPE_CHECKING:
    from app.tui.app import KintsugiApp


class WarmsUp:
    """The sections made ready ahead of their first showing, and the collector kept off the file."""

    WARM_UP: ClassVar = [CelebrateDialog, StepScreen, CelebrationsScreen, AgreementsScreen]
    """The screens opened most (the celebrate dialog and the sections), made ready once the
    dashboard is up (see ``warm_up``)."""
    warm = False
    """True once the screens opened most are ready to show (``warm_up``)."""
    modes_built: frozenset[str] = frozenset({"dashboard"})
    """The sections whose screen has been built (shown once)."""
    holding_collections = False
    """True while the collector waits for a screen being built to be drawn (``collect_once_drawn``)."""

    def warm_up(self: KintsugiApp, sections: list[Deferred | type[Screen[Any]]], styles: list[Path]) -> None:
        """Import the screens opened most and load their styles, while nobody waits for them.

        A screen's first showing otherwise imports it and has Textual parse its styles, and
        those of each kind of widget it is the first to hold (bench/RESULTS.md). One import a
        refresh, so a key pressed meanwhile waits for one import at most, then all their styles
        in one parse, and a refresh later (``warm_up_widgets``) the widgets' own.
        """
        while sections:
            section, sections = sections[0], sections[1:]
            screen = section.load() if isinstance(section, Deferred) else section
            paths = screen.CSS_PATH
            styles = [*styles, *(paths if isinstance(paths, list) else [paths])]
            if isinstance(section, Deferred):  # imported just now
                self.call_after_refresh(self.warm_up, sections, styles)
                return
        stylesheet = self.stylesheet
        new = [path for path in dict.fromkeys(styles) if not stylesheet.has_source(os.path.abspath(path))]
        if new:
            stylesheet.read_all(new)
            stylesheet.reparse()
            stylesheet.update(self)
        self.call_after_refresh(self.warm_up_widgets)

    def warm_up_widgets(self: KintsugiApp) -> None:
        """Parse the own styles of every kind of widget imported by now (the screens above hold
        them), as Textual would when the first of each is mounted; nothing on screen changes.
        Then build the celebrate dialog (``build_ahead``)."""
        add_default_styles(self.stylesheet, loaded_widget_classes())
        self.stylesheet.reparse()
        self.warm = True
        self.call_after_refresh(self.build_ahead)

    def build_ahead(self: KintsugiApp) -> None:
        """Build the celebrate dialog out of sight, styled with every rule now loaded, so that
        ``c``, the key pressed most, shows it as it stands (bench/HISTORY.md, 2026-12-08); then
        leave what is loaded out of the full collections (``keep_out_of_collections``). A dialog
        opened already (``c`` pressed first) is built as it opens."""
        if self.kept_celebrate is not None or self.quitting:
            self.keep_out_of_collections()
            return
        self.run_worker(
            self._once_built(build_out_of_sight(self, self.celebrate_dialog())), name="build_ahead"
        )

    async def _once_built(self: KintsugiApp, built: Awaitable[object]) -> None:
        await built
        if self.is_running:  # not once the app is ending
            self.keep_out_of_collections()

    def keep_out_of_collections(self: KintsugiApp) -> None:
        """Leave what is loaded by now out of Python's full garbage collections.

        The couple's records, the sections and the code live as long as the app, and a full
        collection walks them all: ~0.1 s at 10k records, a stall every few keys (bench/HISTORY.md,
        2026-12-06). ``gc.freeze`` puts them out of its reach. Not while a dialog is open: its
        widgets refer to each other, and once it is closed only a collection can free them.
        Undone on exit.

        The command that opens the app turns the collector off until now (``app.cli.open_tui``):
        nothing made while the file is read and the first screen drawn is garbage in a cycle,
        yet each full collection meanwhile would walk the whole file.
        """
        if not isinstance(self.screen, ModalScreen):
            gc.freeze()
        gc.enable()
        self.read_the_rest(self.store.reading_all())

    def read_the_rest(self: KintsugiApp, steps: Iterator[None]) -> None:
        """Read, a batch a refresh, the records the screens have not read (the file is opened
        without reading them): a damaged one is told now, not when someone first scrolls to it."""
        try:
            next(steps)
        except StopIteration:
            return
        except StoreError as error:
            self.notify(self.store_error_line(error), severity="error", markup=False)
            return
        self.call_after_refresh(self.read_the_rest, steps)

    def show_mode(self: KintsugiApp, mode: str) -> None:
        """Switch to the section ``mode``. The first time, its screen is built then: the collector
        waits until it is drawn (``collect_once_drawn``)."""
        if mode not in self.modes_built:
            self.modes_built = self.modes_built | {mode}
            self.collect_once_drawn()
        self.switch_mode(mode)

    def collect_once_drawn(self: KintsugiApp) -> None:
        """No garbage collection until the screen being built is drawn.

        What a new screen is made of lives as long as it does, yet each collection while it is
        built looks at all of it again: fifty-odd young collections on a step's first visit, and
        now and then a full one, which walks everything not kept out of collections since the
        dashboard was drawn (15-40 ms; bench/HISTORY.md, 2026-12-08). They come once the first frame
        is written instead, while the couple reads it. Left as it is while the collector is off
        (before the dashboard is up, ``keep_out_of_collections``)."""
        if gc.isenabled():
            gc.disable()
            self.holding_collections = True
            self.call_after_refresh(self._collect_again)

    def _collect_again(self: KintsugiApp) -> None:
        if self.holding_collections:
            self.holding_collections = False
            gc.enable()

    def on_unmount(self: KintsugiApp) -> None:
        self._collect_again()  # an app ending before its screen was drawn leaves the collector on
        gc.unfreeze()
