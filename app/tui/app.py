"""The Kintsugi App: modes, keys, who is writing, and the first-run flow."""

from __future__ import annotations

from contextlib import suppress
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import ModalScreen

from app.content import Content, load_content
from app.domain.models import Partner
from app.resources import resource_dir
from app.store.couple import CoupleStore
from app.store.storage import StoreError
from app.tui.commands import KintsugiCommands
from app.tui.messages import OpenStep, Saved
from app.tui.screens.dashboard import DashboardScreen
from app.tui.screens.help import HelpScreen
from app.tui.screens.identify import IdentifyScreen
from app.tui.screens.onboarding import OnboardingScreen
from app.tui.screens.step import StepScreen
from app.tui.theme import KINTSUGI_THEME
from app.tui.widgets.keys import describe_keys
from app.tui.widgets.safe import safe_str

STYLES = resource_dir("styles")
STEP_COUNT = 9


class KintsugiApp(App[None]):
    """The couple's dashboard over one ``CoupleStore``.

    ``acting`` is the partner writing now (at one keyboard both partners share
    the app; ``w`` switches). ``step`` is the step the steps mode shows.
    ``revision`` goes up whenever the store's contents change; screens watch
    it and re-read.
    """

    CSS_PATH: ClassVar[list] = [
        STYLES / name
        for name in (
            "app.tcss",
            "dashboard.tcss",
            "step.tcss",
            "onboarding.tcss",
            "identify.tcss",
            "help.tcss",
        )
    ]
    MODES: ClassVar = {"dashboard": DashboardScreen, "steps": StepScreen}
    DEFAULT_MODE = "dashboard"
    COMMANDS = App.COMMANDS | {KintsugiCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "step(1)", id="steps", key_display="1-9"),
        *(Binding(str(number), f"step({number})", show=False) for number in range(2, STEP_COUNT + 1)),
        Binding("d", "dashboard", id="dashboard"),
        Binding("w", "switch_writer", id="switch"),
        Binding("question_mark", "help", id="help", key_display="?"),
        Binding("q", "quit", id="quit"),
    ]

    acting: reactive[str | None] = reactive(None, init=False)
    step: reactive[int] = reactive(1, init=False)
    revision: reactive[int] = reactive(0, init=False)

    def __init__(self, store: CoupleStore, content: Content, acting: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.content = content
        self.title = content.text("app.title")
        describe_keys(self, content)
        me = store.me if store.exists else None
        self.set_reactive(KintsugiApp.acting, acting or (me.id if me else None))
        self.register_theme(KINTSUGI_THEME)
        self._theme_chosen = False
        self.theme = self._saved_theme()
        self._theme_chosen = True

    @property
    def ready(self) -> bool:
        """True once there is a couple's file and we know who is writing."""
        return self.acting is not None and self.store.exists

    def on_mount(self) -> None:
        self._show_writer()
        if not self.store.exists:
            self.push_screen(OnboardingScreen(), self._onboarded)
        elif self.acting is None:
            self.push_screen(IdentifyScreen(self.store.partners), self._identified)

    # -- who is writing -------------------------------------------------------------

    def _onboarded(self, me: str | None) -> None:
        if me:
            self.acting = me
            self.revision += 1

    def _identified(self, partner_id: str | None) -> None:
        if not partner_id:
            return
        try:
            self.store.set_me(partner_id)
        except StoreError as error:
            self.notify(str(error), severity="error", markup=False)
        self.acting = partner_id
        self.revision += 1

    def watch_acting(self) -> None:
        self._show_writer()
        self.refresh_bindings()

    def _show_writer(self) -> None:
        """The Header always says who is writing."""
        if self.acting is None:
            self.sub_title = self.content.text("app.subtitle")
            return
        try:
            name = self.store.partner(self.acting).name
        except StoreError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.sub_title = self.content.text("dashboard.writing_as", name=safe_str(name))

    def writer_and_other(self) -> tuple[Partner, Partner]:
        """The partner writing now and the other one; StoreError if the file lacks either."""
        if self.acting is None:
            raise StoreError("no_writer", self.content.text("errors.partner_missing"))
        writer = self.store.partner(self.acting)
        return writer, self.store.other(writer.id)

    def action_switch_writer(self) -> None:
        if not self.ready:
            return
        try:
            _, other = self.writer_and_other()
        except StoreError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.acting = other.id
        self.notify(self.content.text("switch.now_writing", name=safe_str(other.name)), markup=False)

    # -- where we are ---------------------------------------------------------------

    def action_step(self, number: int) -> None:
        if not self.ready or not 1 <= number <= STEP_COUNT:
            return
        self.step = number
        if self.current_mode != "steps":
            self.switch_mode("steps")
        self.refresh_bindings()

    def action_dashboard(self) -> None:
        if self.ready and self.current_mode != "dashboard":
            self.switch_mode("dashboard")
            self.refresh_bindings()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"step", "dashboard", "switch_writer"} and not self.ready:
            return False
        # Hide "d" on the dashboard itself (it would do nothing).
        on_dashboard = self.current_mode == "dashboard" and not isinstance(self.screen, ModalScreen)
        return not (action == "dashboard" and on_dashboard)

    def on_open_step(self, message: OpenStep) -> None:
        self.action_step(message.step)

    # -- the store changed ----------------------------------------------------------

    def on_saved(self, _: Saved) -> None:
        self.revision += 1

    def reload(self) -> bool:
        """Take in what was written to the file from elsewhere (the partner's copy synced in).

        If anything changed, every screen re-reads. Returns True if it did.
        The file watcher calls this.
        """
        try:
            changed = self.store.refresh()
        except StoreError as error:
            self.notify(str(error), severity="error", markup=False)
            return False
        if changed:
            self.revision += 1
        return changed

    def action_refresh(self) -> None:
        self.reload()

    # -- preferences ----------------------------------------------------------------

    def _saved_theme(self) -> str:
        saved = self.store.local.preference("theme", KINTSUGI_THEME.name)
        return saved if isinstance(saved, str) and saved in self.available_themes else KINTSUGI_THEME.name

    def watch_theme(self, theme: str) -> None:
        if self._theme_chosen and theme != self.store.local.preference("theme", KINTSUGI_THEME.name):
            with suppress(StoreError):  # a preference not kept is not worth interrupting anyone for
                self.store.local.set_preference("theme", theme)


def run_tui(store: CoupleStore, acting: str | None = None) -> None:
    """Open the TUI on ``store`` (raises StoreError first if its file is damaged)."""
    content = load_content()
    if store.exists:
        store.load()
    KintsugiApp(store, content, acting).run()
