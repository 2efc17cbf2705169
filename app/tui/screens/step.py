"""One of the nine steps: its words, and where each of you is with it.

The screen stays alive in the "steps" mode and shows whichever step the App's
``step`` reactive names, so moving between steps only swaps text.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import (
    ContentSwitcher,
    Header,
    Markdown,
    RadioButton,
    RadioSet,
    Static,
    TabbedContent,
    TabPane,
)

from app.content import Step
from app.domain.models import StepStatus
from app.store.storage import StoreError
from app.tui.base import FollowsTheStore, WritesEntries
from app.tui.messages import CelebrateGoal, OpenStep, Saved, ToggleKept
from app.tui.practices import PRACTICES
from app.tui.practices.base import Practice
from app.tui.screens import PRACTICE_STYLES, STYLES
from app.tui.textual_patches import KeepsItsStyles, QuietFocus, SizedAtOnce, holding_updates
from app.tui.widgets.footer import KeyFooter
from app.tui.widgets.keys import describe_keys
from app.tui.widgets.safe import safe_text
from app.tui.widgets.scroll import ScrollArea
from app.tui.widgets.status import STATUSES, status_class, status_label, status_words

HOLD_CHECK_S = 0.02
"""How often a practice waiting for the step's first frame looks whether Textual still holds it."""


def bullet_list(items: tuple[str, ...]) -> Table:
    """Items with a bullet and a hanging indent, in one renderable (no widget per item)."""
    table = Table.grid(padding=(0, 1))
    table.add_column(width=1, style="bold")
    table.add_column(ratio=1)
    for item in items:
        table.add_row("•", Text(item))
    return table


class StepScreen(QuietFocus, SizedAtOnce, KeepsItsStyles, WritesEntries, FollowsTheStore, Screen[None]):
    CSS_PATH = [STYLES / "step.tcss", *PRACTICE_STYLES]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        # [ and ] are in the help; the footer keeps its room for the keys used most.
        Binding("left_square_bracket", "previous_step", show=False),
        Binding("right_square_bracket", "next_step", show=False),
        Binding("p", "toggle_practice", id="toggle_practice"),
    ]

    def __init__(self) -> None:
        super().__init__()
        describe_keys(self, self.kintsugi.content)
        self.shown_step: int | None = None

    def compose(self) -> ComposeResult:
        text = self.kintsugi.content.text
        yield Header()
        with TabbedContent(id="step-tabs"):
            with TabPane(text("steps.tab_about"), id="about"):
                yield from self._about()
            with TabPane(text("steps.tab_practice"), id="practise"):
                yield ContentSwitcher(id="practice-area")
        with Vertical(id="status-panel"):
            yield Static(id="status-who")
            yield self._choices(StepStatus.NOT_STARTED)
            yield Static(id="status-description")
            with Horizontal(id="other-status"):
                yield Static(id="other-name")
                yield Static(id="other-word")
        yield KeyFooter()

    def _about(self) -> ComposeResult:
        """The step's words: text, what to keep in mind, questions, its practice in a sentence."""
        text = self.kintsugi.content.text
        with ScrollArea(id="step-scroll"):
            yield Static(id="step-number")
            yield Static(id="step-title")
            yield Static(id="step-tagline")
            # The step's words from the first, so they are mounted with the screen, not laid out again
            yield Markdown(self.step.body, id="step-text")
            yield Static(Text(text("steps.keep_in_mind")), classes="step-heading")
            yield Static(id="keep-in-mind", classes="step-list")
            yield Static(Text(text("steps.prompts")), classes="step-heading")
            yield Static(id="prompts", classes="step-list")
            yield Static(Text(text("steps.practice")), classes="step-heading")
            yield Static(id="practice")

    def _choices(self, status: StepStatus) -> RadioSet:
        """The writing partner's four choices, ``status`` pressed."""
        return RadioSet(
            *(
                RadioButton(
                    status_label(self.kintsugi.content, choice),
                    choice == status,
                    name=choice.value,
                    id=f"choose-{choice.value}",
                )
                for choice in STATUSES
            ),
            id="my-status",
        )

    def on_mount(self) -> None:
        self.watch(self.app, "step", self.show_step)
        self.watch(self.app, "acting", self._store_changed, init=False)
        self.follow_the_store(self._store_changed)

    def _store_changed(self) -> None:
        self.show_statuses()
        self._refresh_practice()

    @property
    def step(self) -> Step:
        return self.kintsugi.content.step(self.kintsugi.step)

    def show_step(self) -> None:
        """Show the App's current step (called when it changes)."""
        step = self.step
        if step.number != self.shown_step:
            self.shown_step = step.number
            content = self.kintsugi.content
            self.query_one("#step-number", Static).update(
                Text(content.text("steps.number", number=step.number))
            )
            self.query_one("#step-title", Static).update(Text(step.title))
            self.query_one("#step-tagline", Static).update(Text(step.tagline))
            words = self.query_one("#step-text", Markdown)
            if words.source != step.body:
                words.update(step.body)
            self.query_one("#keep-in-mind", Static).update(bullet_list(step.keep_in_mind))
            self.query_one("#prompts", Static).update(bullet_list(step.prompts))
            self.query_one("#practice", Static).update(Text(step.practice))
            self.query_one("#step-scroll", ScrollArea).scroll_home(animate=False)
            self._show_practice(step.number)
            self.refresh_bindings()
        self.show_statuses()

    def _kept_practice(self, number: int) -> Widget | None:
        """Step ``number``'s practice, if built already.

        Only the practice area's own children are looked at: a query would walk every widget of
        every practice kept, a good part of showing a step once a few are built.
        """
        kept = self.query_one("#practice-area").children
        return next((child for child in kept if child.id == f"practice-{number}"), None)

    def _show_practice(self, number: int) -> None:
        """Put this step's practice in the Practice tab.

        A practice not built yet is built once the step's words are on screen: they are what
        the couple sees first, and a practice is dozens of widgets (kept for the next visit, with
        whatever was being written in it).
        """
        if self._kept_practice(number) is not None:
            self._switch_practice(number)
        else:
            self.query_one("#practice-area", ContentSwitcher).current = None  # not the last step's
            self._once_in_sight(self._build_practice, number)

    def _once_in_sight(self, callback: Callable[[int], object], number: int) -> None:
        """Call back once the screen has been drawn on the terminal.

        After the next refresh, unless Textual is holding frames back (a batch of updates), while
        which a callback "after refresh" runs with no refresh at all: the practice was built before
        the step's words were ever drawn, a third of the first visit's widgets (bench/RESULTS.md).
        Textual's hold is asked after by its private count (``holding_updates``;
        tests/tui/test_navigation.py checks the order).
        """
        if holding_updates(self.app):
            self.set_timer(HOLD_CHECK_S, partial(self._once_in_sight, callback, number))
        else:
            self.call_after_refresh(callback, number)

    async def _build_practice(self, number: int) -> None:
        if not self.is_attached:
            return  # the couple quit before the step's words were drawn: nothing to build into
        if number != self.shown_step or self._kept_practice(number) is not None:
            return  # another step was chosen meanwhile, or this one is built already
        practice, widget_id = PRACTICES.get(number), f"practice-{number}"
        built = practice(id=widget_id) if practice else Static(id=widget_id)
        await self.query_one("#practice-area").mount(built)
        self._switch_practice(number)

    def _switch_practice(self, number: int) -> None:
        self.query_one("#practice-area", ContentSwitcher).current = f"practice-{number}"
        self.call_after_refresh(self._refresh_practice)
        if self.query_one("#step-tabs", TabbedContent).active == "practise":
            self.call_after_refresh(self._focus_practice)

    def _refresh_practice(self) -> None:
        practice = self.shown_practice()
        if practice is not None:
            practice.refresh_entries()

    def action_toggle_practice(self) -> None:
        tabs = self.query_one("#step-tabs", TabbedContent)
        tabs.active = "about" if tabs.active == "practise" else "practise"

    def shown_practice(self) -> Practice | None:
        """The practice widget of the step shown now, once it has been built."""
        practice = self._kept_practice(self.kintsugi.step)
        return practice if isinstance(practice, Practice) else None

    def practice_commands(self) -> list[tuple[str, Callable[[], object], str]]:
        """The shown practice's entries for the command palette."""
        practice = self.shown_practice()
        return practice.commands() if practice is not None else []

    @on(TabbedContent.TabActivated, "#step-tabs")
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        """Opening the Practice tab puts the keyboard in the practice, so its keys work at once."""
        if event.pane.id == "practise":
            self.call_after_refresh(self._focus_practice)

    def _focus_practice(self) -> None:
        practice = self.shown_practice()
        if practice is not None:
            practice.focus_first()

    # -- practice entries: one store call each, as the partner writing now ---------
    # (SaveEntry, DeleteEntry, ShareEntry and UnshareEntry: WritesEntries)

    @on(ToggleKept)
    def _toggle_kept(self, message: ToggleKept) -> None:
        store = self.kintsugi.store
        self.entry_call(lambda writer: store.toggle_kept(message.commitment_id, message.day, writer))

    @on(CelebrateGoal)
    def _celebrate_goal(self, message: CelebrateGoal) -> None:
        store = self.kintsugi.store
        self.entry_call(lambda writer: store.celebrate_goal(writer, message.goal_id))

    def show_statuses(self) -> None:
        """Both partners' status on this step; only the one writing now can change theirs."""
        app = self.kintsugi
        if not app.ready or app.acting is None:
            return
        content = app.content
        number = self.step.number
        with self.reporting() as attempt:
            writer, other = app.writer_and_other()
            mine = app.store.progress(writer.id)[number]
            theirs = app.store.progress(other.id)[number]
        if attempt.failed:
            return
        who = safe_text(writer.name, "bold", one_line=True)
        who.append(f"  ✎ {content.text('dashboard.writing_now')}\n", "italic")
        who.append(content.text("steps.status_label"))
        self.query_one("#status-who", Static).update(who)
        # The RadioSet then posts Changed; _status_chosen sees the store already holds it.
        self.query_one(f"#choose-{mine.value}", RadioButton).value = True
        self.query_one("#status-description", Static).update(
            Text(content.text(f"status.descriptions.{mine.value}"))
        )
        self.query_one("#other-name", Static).update(safe_text(other.name, "bold", one_line=True))
        other_word = self.query_one("#other-word", Static)
        other_word.update(Text(status_words(content, theirs)))
        other_word.set_classes(status_class(theirs))

    @on(RadioSet.Changed, "#my-status")
    async def _status_chosen(self, event: RadioSet.Changed) -> None:
        app = self.kintsugi
        if app.acting is None or event.pressed.name is None:
            return
        status, number = StepStatus(event.pressed.name), self.step.number
        with self.reporting() as attempt:
            if app.store.progress(app.acting)[number] == status:
                return  # show_statuses set it from the store: not a change
            app.store.set_progress(app.acting, number, status, editor=app.acting)
        if attempt.failed:
            await self._reset_choices()
            return
        self.post_message(Saved())
        if status == StepStatus.INTEGRATED:  # offered, never logged for them
            self.notify(app.content.text("steps.integrated_offer", number=number), markup=False)

    async def _reset_choices(self) -> None:
        """Show again what the store holds after a failed save.

        Inside a RadioSet.Changed handler the buttons' own messages are
        prevented, so pressing a button here would leave the set confused:
        a fresh set is mounted instead.
        """
        app = self.kintsugi
        if app.acting is None:
            return
        try:
            held = app.store.progress(app.acting)[self.step.number]
        except StoreError:
            return
        old = self.query_one("#my-status", RadioSet)
        had_focus = old.has_focus
        await old.remove()
        fresh = self._choices(held)
        await self.query_one("#status-panel").mount(fresh, after="#status-who")
        if had_focus:
            fresh.focus()
        self.show_statuses()

    def choose_status(self, status: StepStatus) -> None:
        """Set the writing partner's status as if they chose it (the command palette uses this)."""
        self.query_one(f"#choose-{StepStatus(status).value}", RadioButton).value = True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "previous_step":
            return self.kintsugi.step > 1 or None
        if action == "next_step":
            return self.kintsugi.step < len(self.kintsugi.content.steps) or None
        return True

    def action_previous_step(self) -> None:
        self.post_message(OpenStep(self.kintsugi.step - 1))

    def action_next_step(self) -> None:
        self.post_message(OpenStep(self.kintsugi.step + 1))
