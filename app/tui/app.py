"""The Kintsugi App: modes, keys, who is writing, and the first-run flow."""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import os
import random
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.theme import ThemeProvider
from textual.widget import AwaitMount
from textual.widgets import Input, TextArea

from app.content import Content, load_content
from app.domain.machines import KeyWrap, Machine
from app.domain.meeting import Meeting
from app.domain.merge import MergeReport
from app.domain.models import Celebration, CheckIn, Partner
from app.store.couple import CoupleStore
from app.store.storage import StoreError
from app.store.sync import came_from, merge_conflict_copies
from app.tui.base import ReportsStoreErrors
from app.tui.commands import KintsugiCommands
from app.tui.messages import OpenStep, Saved
from app.tui.screens import (  # each imported the first time it is shown (screens/__init__.py)
    STYLES,
    AgreementsScreen,
    CalmScreen,
    CelebrationDialog,
    CelebrationsScreen,
    CheckInDialog,
    Deferred,
    ExportDialog,
    HelpScreen,
    IdentifyScreen,
    JoinScreen,
    MeetingScreen,
    OnboardingScreen,
    QuestionScreen,
    RecoveryCodeScreen,
    RepairScreen,
    StepScreen,
    SyncScreen,
)
from app.tui.screens.celebrate import CelebrateDialog, CelebrationDraft  # the dashboard imports it
from app.tui.screens.dashboard import DashboardScreen
from app.tui.textual_patches import (
    DrawsAtOnce,
    ThemeKeyedStylesheet,
    add_default_styles,
    loaded_widget_classes,
)
from app.tui.theme import KINTSUGI_THEME
from app.tui.widgets.gold import GoldMoment
from app.tui.widgets.keys import describe_keys
from app.tui.widgets.safe import safe_str
from app.words import left_copy_words, report_words

if TYPE_CHECKING:
    from app.tui.screens.checkin import CheckInDraft
    from app.tui.screens.export import ExportDraft

STEP_COUNT = 9
SYSTEM_COMMANDS = {  # Textual's palette commands, by action (or title): their words in [commands.system]
    "action_change_theme": "theme",
    "action_show_help_panel": "keys_show",
    "action_hide_help_panel": "keys_hide",
    "action_maximize": "maximize",
    "action_minimize": "minimize",
    "Screenshot": "screenshot",
}
JOURNEY_ACTIONS = {"celebrate", "checkin", "meeting", "export"}
QUIT_WAIT_S = 1.0  # the longest a quit waits for a screen being built
WATCH_CATCH_UP_S = 1.0  # after the watcher starts: one look at the file, for what came while it started
MACHINERY = {Machine.KIND, KeyWrap.KIND}
"""Records about the machines and their keys, not the couple's words."""


def about_machines_only(report: MergeReport) -> bool:
    """True if what came in only concerns the machines ("1 new machine came in" tells nothing)."""
    touched = [*report.added, *report.changed, *report.deleted]
    plain = not (report.conflicts or report.damaged or report.skipped)
    return plain and bool(touched) and all(kind in MACHINERY for kind, _ in touched)


class KintsugiApp(DrawsAtOnce, ReportsStoreErrors, App[None]):
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
    WARM_UP: ClassVar = [CelebrateDialog, StepScreen, CelebrationsScreen, AgreementsScreen]
    """The screens opened most (the celebrate dialog and the sections), made ready once the
    dashboard is up (see ``warm_up``)."""
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
        self.quitting = False
        """True once the couple asked to quit (``action_quit``)."""
        self.stylesheet = ThemeKeyedStylesheet(variables=self.get_css_variables())
        self.store = store
        store.came_in()  # what came in before the app: told by the command that opened it
        self._shown_generation = store.generation
        """The store's generation the screens last read at (their first reading, then ``revision``)."""
        self._left_alone: set[Path] = set()
        """Conflict copies left where they are, already told (each is told once)."""
        self._told_waiting: set[str] = set()
        """Machines waiting to be let in, already told (each is told once a session)."""
        self.content = content
        self.today: Callable[[], dt.date] = today or dt.date.today
        """What day it is (tests and snapshots fix it)."""
        self.title = content.text("app.title")
        describe_keys(self, content)
        self.locked = False
        """True while this machine cannot open the sealed file: it asks to join (``JoinScreen``)."""
        self.warm = False
        """True once the screens opened most are ready to show (``warm_up``)."""
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
        """True once there is a couple's file and we know who is writing."""
        return self.acting is not None and self.store.exists

    def on_mount(self) -> None:
        self._show_writer()
        if self.locked:
            self.push_screen(JoinScreen(), self._joined)
            self.start_watching()  # the file changes when this machine is let in
            gc.enable()  # nothing of the file is held to keep out of collections
            return
        if not self.store.exists:
            self.push_screen(OnboardingScreen(), self._onboarded)
        elif self.acting is None:
            self.push_screen(IdentifyScreen(self.store.partners), self._identified)
        self._opened()

    def _opened(self) -> None:
        """The couple's file opens here (on start, or once this machine is let in)."""
        self.publish_answers()
        if self.store.exists:
            self.call_after_refresh(self.start_watching)
            self.call_after_refresh(self.warm_up, self.WARM_UP, [])
            self.call_after_refresh(self.tell_of_waiting_machines)
        else:
            gc.enable()  # no file to keep out of collections (keep_out_of_collections)

    def warm_up(self, sections: list[Deferred | type[Screen[Any]]], styles: list[Path]) -> None:
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
        self.keep_out_of_collections()
        self.call_after_refresh(self.warm_up_widgets)

    def warm_up_widgets(self) -> None:
        """Parse the own styles of every kind of widget imported by now (the screens above hold
        them), as Textual would when the first of each is mounted; nothing on screen changes."""
        add_default_styles(self.stylesheet, loaded_widget_classes())
        self.stylesheet.reparse()
        self.warm = True

    def keep_out_of_collections(self) -> None:
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

    def read_the_rest(self, steps: Iterator[None]) -> None:
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

    def on_unmount(self) -> None:
        gc.unfreeze()

    async def action_quit(self) -> None:
        """Quit, once the screens open now are built (a second at most).

        A key that opens a section or a dialog starts building it, and on exit Textual still
        delivers what was sent to its widgets while it removes them: quitting at once after
        such a key would run their handlers on half-removed screens, and end in a traceback.
        """
        self.quitting = True  # a key already on its way opens nothing now (check_action)
        with suppress(TimeoutError):
            await asyncio.wait_for(AwaitMount(self.screen, list(self.screen_stack)), QUIT_WAIT_S)
        self.exit()

    # -- who is writing -------------------------------------------------------------

    def _onboarded(self, names: tuple[str, str]) -> None:
        """Make the couple's notebook for the two names given, sealed for this machine; if the store
        refuses, the form opens again with them, saying why."""
        with self.reporting() as attempt:
            me, _ = self.store.init(*names, sealed=True)
        if attempt.failed:
            self.push_screen(OnboardingScreen(names, attempt.words), self._onboarded)
            return
        self.acting = me.id
        self.revision += 1
        self.start_watching()
        if self.store.recovery_code is not None:  # shown once, then kept nowhere
            self.push_screen(RecoveryCodeScreen(self.store.recovery_code))
            self.store.recovery_code = None

    def _joined(self, me: str | None) -> None:
        """This machine was let in (or opened with the recovery code): the notebook opens."""
        self.locked = False
        if me:
            self.acting = me
        else:
            self.push_screen(IdentifyScreen(self.store.partners), self._identified)
        self.revision += 1
        self._opened()

    def _identified(self, partner_id: str | None) -> None:
        if not partner_id:
            return
        with self.reporting():
            self.store.set_me(partner_id)
        self.acting = partner_id
        self.revision += 1
        self.tell_of_waiting_machines()

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
            self.switch_mode("steps")  # the new screen's footer refreshes its keys when it resumes

    def action_open_mode(self, mode: str) -> None:
        """Show a top-level section (one of MODES)."""
        if self.ready and self.current_mode != mode:
            self.switch_mode(mode)

    def action_escalating(self) -> None:
        """We're escalating: the calm-down screen over whatever is showing."""
        if self.ready and not isinstance(self.screen, CalmScreen):
            self.push_screen(CalmScreen())

    def action_command_palette(self) -> None:
        """The palette, asking in our words (Textual's, otherwise as it is)."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            placeholder = self.content.text("commands.placeholder")
            self.push_screen(CommandPalette(id="--command-palette", placeholder=placeholder))

    def search_themes(self) -> None:
        """The palette's "Change the colours": the themes, asked for in our words."""
        placeholder = self.content.text("commands.system.theme_placeholder")
        self.push_screen(CommandPalette(providers=[ThemeProvider], placeholder=placeholder))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own palette commands, in our words; its Quit is ours already."""
        text = self.content.text
        for command in super().get_system_commands(screen):
            if command.callback == self.action_quit:
                continue
            name = getattr(command.callback, "__name__", "")
            key = SYSTEM_COMMANDS.get(name, SYSTEM_COMMANDS.get(command.title))
            if key is None:
                yield command
            else:
                yield command._replace(
                    title=text(f"commands.system.{key}"), help=text(f"commands.system.{key}_help")
                )

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
        if action in JOURNEY_ACTIONS and (not self.ready or dialog):
            return False  # no dialog on top of a dialog
        if action == "meeting" and isinstance(self.screen, MeetingScreen):
            return False
        if action == "open_mode":
            # Hidden where it would do nothing: already there, or under a dialog.
            return self.ready and not dialog and parameters[0] != self.current_mode
        return True

    def on_open_step(self, message: OpenStep) -> None:
        self.action_step(message.step)

    # -- the store changed ----------------------------------------------------------

    def on_saved(self, _: Saved) -> None:
        self.revision += 1

    def watch_revision(self) -> None:
        self._shown_generation = self.store.generation
        self.publish_answers()

    def publish_answers(self) -> None:
        """Share this machine's answers to the daily question once both of you have answered.

        Runs on open and whenever the file changed (app/store/question.py says why).
        """
        if not self.store.exists or self.locked:
            return
        with self.reporting() as attempt:
            published = self.store.publish_answers()
        if attempt.failed:
            return
        if published:
            self.revision += 1

    def reload(self) -> bool:
        """Take in what was written to the file from elsewhere (the partner's copy synced in).

        If anything changed, every screen re-reads. Returns True if it did.
        The file watcher calls this.
        """
        with self.reporting() as attempt:
            changed = self.store.refresh()
        if attempt.failed:
            return False
        if changed:
            self.revision += 1
        return changed

    def start_watching(self) -> None:
        """Start watching the couple's file (the partner's changes show within a second).

        Started once the first screen is drawn (its import and start cost ~0.05 s), then one
        look at the file a moment later takes in a change made while the app was starting.
        """
        from app.tui.watcher import watch_couple_file

        watching = watch_couple_file(self.store.places.real, self.take_in_changes)
        self.run_worker(watching, group="watch", exclusive=True)
        self.set_timer(WATCH_CATCH_UP_S, self.take_in_changes)

    def take_in_changes(self) -> None:
        """Merge conflict copies a sync left beside the file, re-read it, and say what came in.

        Any read may take the partner's change in first (a key's check, a screen re-reading):
        what came in is told here all the same, and the screens re-read if the store holds
        anything they have not shown, however it got there. While this machine cannot open the
        file, the join screen looks whether it has been let in.
        """
        if self.locked:
            for screen in self.screen_stack:
                if isinstance(screen, JoinScreen):
                    screen.check()
            return
        with self.reporting() as attempt:
            copies = merge_conflict_copies(self.store)
            self.store.refresh()
        if attempt.failed:
            return
        reports = self.store.came_in()
        left = {outcome.path for outcome in copies if outcome.report is None}
        for outcome in copies:
            if outcome.report is not None:
                self._tell_what_came_in(outcome.report, outcome.path)
            elif outcome.path not in self._left_alone:
                line = f"{left_copy_words(self.content, outcome)} {self.content.text('sync.left_see')}"
                self.notify(safe_str(line), severity="warning", markup=False)
        for report in reports:
            if not about_machines_only(report):  # a machine asking in: told in its own words, below
                self._tell_what_came_in(report)
        if self.store.generation != self._shown_generation or left != self._left_alone:
            self.revision += 1  # "our file" lists the copies left where they are
        self._left_alone = left
        self.tell_of_waiting_machines()

    def tell_of_waiting_machines(self) -> None:
        """Say once that a machine waits to be let in, and where to compare its words (Our file)."""
        if not self.ready:
            return
        with self.reporting() as attempt:
            waiting = [m for m in self.store.waiting_machines() if m.id not in self._told_waiting]
            names = {partner.id: partner.name for partner in self.store.partners}
        if attempt.failed:
            return
        for machine in waiting:
            self._told_waiting.add(machine.id)
            if machine.partner in names:
                line = self.content.text("machines.told_says", name=safe_str(names[machine.partner]))
            else:
                line = self.content.text("machines.told_join")
            self.notify(line, markup=False)

    def _tell_what_came_in(self, report: MergeReport, source: Path | None = None) -> None:
        line = report_words(self.content, report, came_from(report, self.store, source))
        if report.conflicts:
            line += " " + self.content.text("sync.see_both")
        self.notify(safe_str(line), markup=False)

    # -- preferences ----------------------------------------------------------------

    def _saved_theme(self) -> str:
        saved = self.store.local.preference("theme", KINTSUGI_THEME.name)
        return saved if isinstance(saved, str) and saved in self.available_themes else KINTSUGI_THEME.name

    def watch_theme(self, theme: str) -> None:
        if self._theme_chosen and theme != self.store.local.preference("theme", KINTSUGI_THEME.name):
            with suppress(StoreError):  # a preference not kept is not worth interrupting anyone for
                self.store.local.set_preference("theme", theme)

    # -- the journey ----------------------------------------------------------------

    def action_celebrate(self, draft: CelebrationDraft | None = None) -> None:
        """Log a celebration (a suggestion passes its draft to fill the form in)."""
        if self.ready and not isinstance(self.screen, ModalScreen):
            self.push_screen(CelebrateDialog(draft), self._celebrated)

    def _celebrated(self, draft: CelebrationDraft | None) -> None:
        """Log what the dialog held, as the partner writing now; if the store refuses, open the
        dialog again with it, saying why."""
        if draft is None:
            return
        with self.reporting() as attempt:
            if self.acting is None:
                raise StoreError("no_writer")
            self.store.add_celebration(
                self.acting,
                draft.title,
                note=draft.note,
                day=draft.day,
                step=draft.step,
                size=draft.size,
                suggestion=draft.suggestion,
            )
        if attempt.failed:
            self.push_screen(CelebrateDialog(draft, attempt.words), self._celebrated)
            return
        self.revision += 1
        GoldMoment.show(self.screen, random.choice(self.content.cheers))

    def show_celebration(self, celebration_id: str, reaction: str | None = None, problem: str = "") -> None:
        """One celebration in full; the reaction typed there is saved here, as the partner writing
        now (if the store refuses, the dialog opens again with it, saying why)."""
        celebration, partners = None, []
        with self.reporting():
            celebration = self.store.get(Celebration, celebration_id)
            partners = self.store.partners
        dialog = CelebrationDialog(celebration, partners, reaction, problem)
        self.push_screen(dialog, partial(self._reacted, celebration_id))

    def _reacted(self, celebration_id: str, words: str | None) -> None:
        if words is None or self.acting is None:
            return
        with self.reporting() as attempt:
            self.store.react(celebration_id, self.acting, words)
        if attempt.failed:
            self.show_celebration(celebration_id, words, attempt.words)
            return
        self.post_message(Saved())
        self.notify(self.content.text("log.reaction_saved"), markup=False)

    def action_checkin(self) -> None:
        """Check in as the partner writing now."""
        if self.ready and not isinstance(self.screen, ModalScreen):
            self._check_in()

    def _check_in(self, draft: CheckInDraft | None = None, problem: str = "") -> None:
        """The check-in dialog, from today's check-in by the partner writing now if there is one
        (or from a draft the store refused, saying why)."""
        acting, held, name = self.acting or "", None, ""
        with suppress(StoreError):  # without today's, the form starts empty
            held = self.store.get(CheckIn, self.store.derived_id("checkin", acting, self.today().isoformat()))
        with suppress(StoreError):  # and the heading names nobody
            name = self.store.partner(acting).name
        self.push_screen(CheckInDialog(name, held, draft, problem), self._checked_in)

    def _checked_in(self, draft: CheckInDraft | None) -> None:
        if draft is None or draft.connection is None:
            return
        with self.reporting() as attempt:
            if self.acting is None:
                raise StoreError("no_writer")
            self.store.check_in(
                self.acting, draft.connection, mood=draft.mood, note=draft.note, day=self.today()
            )
        if attempt.failed:
            self._check_in(draft, attempt.words)
            return
        self.revision += 1
        self.notify(self.content.text("checkin.saved"), markup=False)

    def action_meeting(self) -> None:
        """The weekly "state of us" talk."""
        if not self.ready or isinstance(self.screen, (ModalScreen, MeetingScreen)):
            return
        with self.reporting() as attempt:
            partners = self.store.partners
        if attempt.failed:
            return
        self.push_screen(MeetingScreen(partners), self._met)

    def _met(self, meeting: Meeting | None) -> None:
        if meeting is not None:
            self.revision += 1
            saved = "meeting.saved_with_agreement" if meeting.agreement_id else "meeting.saved"
            self.notify(self.content.text(saved), markup=False)

    def action_export(self, fmt: str = "md") -> None:
        """Write the journey out as Markdown or JSON (never private entries)."""
        if self.ready and not isinstance(self.screen, ModalScreen):
            self.push_screen(ExportDialog(fmt), self._exported)

    def _exported(self, draft: ExportDraft | None) -> None:
        """Write the export the dialog chose, and say where and what it is; if it cannot be
        written, the dialog opens again, saying why."""
        from app.export import export_json, export_markdown, save_export  # loaded with the dialog
        from app.tui.screens.export import SAID

        if draft is None or draft.target is None:
            return
        with self.reporting() as attempt:
            if draft.fmt == "json":
                document = export_json(self.store, self.today())
            else:
                document = export_markdown(self.store, self.content, self.today())
            path = save_export(draft.target, document)
            kind = "plain" if draft.fmt == "md" else "sealed" if self.store.sealed else "json"
        if attempt.failed:
            self.push_screen(ExportDialog(draft=draft, problem=attempt.words), self._exported)
            return
        self.notify(self.content.text(SAID[kind], path=safe_str(path)), markup=False)

    # -- together: the daily question, repair conversations ---------------------------

    def action_question(self) -> None:
        """Today's question, answered apart and revealed together."""
        if self.ready and not isinstance(self.screen, (QuestionScreen, ModalScreen)):
            self.push_screen(QuestionScreen(self.today()))

    def action_repair(self) -> None:
        """The couple's repair conversations."""
        if self.ready and not isinstance(self.screen, (RepairScreen, ModalScreen)):
            self.push_screen(RepairScreen())


def run_tui(store: CoupleStore, acting: str | None = None) -> None:
    """Open the TUI on ``store``, read by the caller (``app.cli.open_tui``: a damaged file is
    reported before the app starts; one this machine cannot open yet opens the join screen)."""
    KintsugiApp(store, load_content(), acting).run()
