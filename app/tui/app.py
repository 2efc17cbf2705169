"""The Kintsugi App: modes, keys, who is writing, and the pieces it is made of.

``KintsugiApp`` holds the App's state (the store, the content, who is writing, which step, the
``revision`` the screens follow), its modes and keys, and which key does what where. The rest is
mixed in from a module each: how the notebook opens (``opening.py``), what the App does when the
file changes (``taking_in.py``), the warm-up and the collector (``warming.py``), quitting
(``quitting.py``), the palette in our words (``commands.py``), and what any screen opens over
itself (``anywhere.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import suppress
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Input, TextArea

from app.content import Content, load_content
from app.domain.models import Partner
from app.store.couple import CoupleStore
from app.store.storage import StoreError
from app.tui.anywhere import OpensAnywhere
from app.tui.base import ReportsStoreErrors
from app.tui.commands import KintsugiCommands, OurPalette
from app.tui.messages import OpenStep
from app.tui.opening import Opening
from app.tui.quitting import Quits
from app.tui.screens import (  # each imported the first time it is shown (screens/__init__.py)
    STYLES,
    AgreementsScreen,
    CalmScreen,
    CelebrationsScreen,
    HelpScreen,
    MeetingScreen,
    StepScreen,
    SyncScreen,
)
from app.tui.screens.dashboard import DashboardScreen
from app.tui.taking_in import TakesInChanges
from app.tui.textual_patches import DrawsAtOnce, EndsOnceBuilt, ThemeKeyedStylesheet
from app.tui.theme import KINTSUGI_THEME
from app.tui.warming import WarmsUp
from app.tui.widgets.keys import describe_keys
from app.tui.widgets.safe import safe_str

STEP_COUNT = 9
OPENS_OVER_THE_SCREEN = {"celebrate", "checkin", "meeting", "export"}
"""The actions that open a dialog (or the weekly talk) over what is shown: not before the app is
ready, and never over a dialog."""


class KintsugiApp(
    Opening,
    TakesInChanges,
    WarmsUp,
    Quits,
    OurPalette,
    OpensAnywhere,
    DrawsAtOnce,
    EndsOnceBuilt,
    ReportsStoreErrors,
    App[None],
):
    """The couple's dashboard over one ``CoupleStore``.

    ``acting`` is the partner writing now (at one keyboard both partners share
    the app; ``w`` switches). ``step`` is the step the steps mode shows.
    ``revision`` goes up whenever the store's contents change; screens watch
    it and re-read.
    """

    # The shared look. Each screen brings its own styles (its CSS_PATH) the first time it is shown,
    # so the start parses only what the dashboard needs (screens/__init__.py).
    CSS_PATH = STYLES / "app.tcss"
    MODES: ClassVar = {
        "dashboard": DashboardScreen,
        "steps": StepScreen,
        "celebrations": CelebrationsScreen,
        "agreements": AgreementsScreen,
        "sync": SyncScreen,
    }
    DEFAULT_MODE = "dashboard"
    COMMANDS: ClassVar = {KintsugiCommands}  # ours first, then Textual's in our words (commands.py)
    BINDINGS: ClassVar[list[BindingType]] = [
        # From anywhere, dialogs too (priority), except while typing: there "!" is just a "!".
        Binding("exclamation_mark", "escalating", id="calm.pause", key_display="!", priority=True),
        Binding("1", "step(1)", id="steps", key_display="1-9"),
        *(Binding(str(number), f"step({number})", show=False) for number in range(2, STEP_COUNT + 1)),
        Binding("d", "open_mode('dashboard')", id="dashboard"),
        Binding("w", "switch_writer", id="switch"),
        Binding("question_mark", "help", id="help", key_display="?"),
        Binding("q", "quit", id="quit"),
        # Not in the footer, which has no room for them at 80 columns: the dashboard's
        # "Also here" line, the help and the palette list them.
        Binding("a", "open_mode('agreements')", show=False),
        Binding("l", "open_mode('celebrations')", show=False),
        Binding("f", "open_mode('sync')", show=False),
        Binding("c", "celebrate", show=False),
        Binding("k", "checkin", show=False),
        Binding("m", "meeting", show=False),
    ]

    acting: reactive[str | None] = reactive(None, init=False)
    step: reactive[int] = reactive(1, init=False)
    revision: reactive[int] = reactive(0, init=False)

    def __init__(
        self,
        store: CoupleStore,
        content: Content,
        acting: str | None = None,
        *,
        today: Callable[[], dt.date] | None = None,
    ) -> None:
        super().__init__()
        self.stylesheet = ThemeKeyedStylesheet(variables=self.get_css_variables())
        self.store = store
        self._file_seen = False
        """The couple's file was there at the last look (``ready``)."""
        self.begin_taking_in()
        self.content = content
        self.today: Callable[[], dt.date] = today or dt.date.today
        """What day it is (tests and snapshots fix it)."""
        self.title = content.text("app.title")
        describe_keys(self, content)
        self.locked = False
        """True while this machine cannot open the sealed file: it asks to join (``JoinScreen``)."""
        try:
            me = store.me if store.exists else None
        except StoreError as error:
            if error.reason != "file_locked":
                raise
            self.locked, me, acting = True, None, None
        self.set_reactive(KintsugiApp.acting, acting or (me.id if me else None))
        self.register_theme(KINTSUGI_THEME)
        self._theme_chosen = False
        self.theme = self._saved_theme()
        self._theme_chosen = True

    @property
    def ready(self) -> bool:
        """True once there is a couple's file and we know who is writing.

        Whether the file is there is looked up until it is, then again after each change the
        watcher sees (``take_in_changes``): the keys ask on every refresh of the bindings, about
        forty times a tab, and each look is three system calls (bench/HISTORY.md, 2026-12-08).
        """
        if self.acting is None:
            return False
        if not self._file_seen:
            self._file_seen = self.store.exists
        return self._file_seen

    # -- who is writing -------------------------------------------------------------

    def watch_acting(self) -> None:
        self._show_writer()
        self.refresh_bindings()

    def _show_writer(self) -> None:
        """The Header always says who is writing."""
        if self.acting is None:
            self.sub_title = self.content.text("app.subtitle")
            return
        with self.reporting() as attempt:
            name = self.store.partner(self.acting).name
        if attempt.failed:
            return
        self.sub_title = self.content.text("dashboard.writing_as", name=safe_str(name))

    def writer_and_other(self) -> tuple[Partner, Partner]:
        """The partner writing now and the other one; StoreError if the file lacks either."""
        if self.acting is None:
            raise StoreError("no_writer")
        writer = self.store.partner(self.acting)
        return writer, self.store.other(writer.id)

    def action_switch_writer(self) -> None:
        if not self.ready:
            return
        with self.reporting() as attempt:
            _, other = self.writer_and_other()
        if attempt.failed:
            return
        self.acting = other.id
        self.notify(self.content.text("switch.now_writing", name=safe_str(other.name)), markup=False)

    # -- where we are ---------------------------------------------------------------

    def action_step(self, number: int) -> None:
        if not self.ready or not 1 <= number <= STEP_COUNT:
            return
        self.step = number
        if self.current_mode != "steps":
            self.show_mode("steps")  # the new screen's footer refreshes its keys when it resumes

    def action_open_mode(self, mode: str) -> None:
        """Show a top-level section (one of MODES)."""
        if self.ready and self.current_mode != mode:
            self.show_mode(mode)

    def action_escalating(self) -> None:
        """We're escalating: the calm-down screen over whatever is showing."""
        if self.ready and not isinstance(self.screen, CalmScreen):
            self.push_screen(CalmScreen())

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.quitting:
            return False
        if action == "escalating":
            typing = isinstance(self.focused, (Input, TextArea))
            return self.ready and not typing and not isinstance(self.screen, CalmScreen)
        if action in {"step", "switch_writer"} and not self.ready:
            return False
        dialog = isinstance(self.screen, ModalScreen)
        if action in OPENS_OVER_THE_SCREEN and (not self.ready or dialog):
            return False  # no dialog on top of a dialog
        if action == "meeting" and isinstance(self.screen, MeetingScreen):
            return False
        if action == "open_mode":
            # Hidden where it would do nothing: already there, or under a dialog.
            return self.ready and not dialog and parameters[0] != self.current_mode
        return True

    def on_open_step(self, message: OpenStep) -> None:
        self.action_step(message.step)

    # -- preferences ----------------------------------------------------------------

    def _saved_theme(self) -> str:
        saved = self.store.local.preference("theme", KINTSUGI_THEME.name)
        return saved if isinstance(saved, str) and saved in self.available_themes else KINTSUGI_THEME.name

    def watch_theme(self, theme: str) -> None:
        if self._theme_chosen and theme != self.store.local.preference("theme", KINTSUGI_THEME.name):
            with suppress(StoreError):  # a preference not kept is not worth interrupting anyone for
                self.store.local.set_preference("theme", theme)


def run_tui(store: CoupleStore, acting: str | None = None) -> None:
    """Open the TUI on ``store``, read by the caller (``app.cli.open_tui``: a damaged file is
    reported before the app starts; one this machine cannot open yet opens the join screen). What
    the content parsed to is kept beside this machine's own file (``load_content``'s ``kept_in``)."""
    KintsugiApp(store, load_content(kept_in=store.local.path.parent), acting).run()
