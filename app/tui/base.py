"""What the app's screens and widgets share: the App, typed, the practices' store calls, ctrl+s
on a form, and the sections' screens kept styled while away."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual.binding import Binding
from textual.reactive import Reactive
from textual.widget import Widget
from textual.widgets import Button

from app.store.storage import StoreError
from app.tui.messages import DeleteEntry, Saved, SaveEntry, ShareEntry, UnshareEntry

if TYPE_CHECKING:
    from textual.app import App
    from textual.css.model import RuleSet
    from textual.events import ScreenResume

    from app.tui.app import KintsugiApp


class UsesKintsugi:
    """Mixin for a screen or widget of the Kintsugi app: ``self.kintsugi`` is the App, typed."""

    app: App

    @property
    def kintsugi(self) -> KintsugiApp:
        return cast("KintsugiApp", self.app)


class QuietFocus:
    """Mixin for every screen of the app: moving the focus repaints what it changed, not the screen.

    Textual's ``Screen.focused`` repaints the whole screen each time the focus moves (a
    reactive's default), on top of what the move itself does: the widget focused and the one
    left are restyled and repaint themselves, and so does every widget whose style follows
    them. Drawing all the rest again, and under a dialog the dimmed screen beneath it, was
    most of a tab's time (bench/RESULTS.md). tests/tui/test_focus.py draws the frames the app
    writes into a terminal of its own and checks it against a full redraw after every tab.
    """

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)


class SizedAtOnce:
    """Mixin for a screen with breakpoints: its breakpoint classes are set as it is made, from
    the terminal's size then, so its widgets are styled once, with them.

    Textual sets them on the screen's first ``Resize``, after every widget has been styled
    without them, and so styles the whole screen a second time: about a tenth of the agreements
    screen's first opening (bench/RESULTS.md). The classes are the ones Textual would set (the
    largest breakpoint not wider, or taller, than the terminal); a later resize sets them as
    before.
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


class KeepsItsStyles:
    """Mixin for a section's screen (a mode): shown again, it is restyled only if it has to be.

    Textual restyles every widget of a mode's screen each time it is shown again
    (``ScreenResume``), because what it does not follow while the screen is away is the
    App's classes (the theme's, the terminal's focus) and rules loaded meanwhile: those
    restyle the screens in sight only. A widget's own class change restyles it at once, and
    a theme's new colours trigger a full refresh on return anyway. So the App's classes and
    the rules in force are noted as the screen leaves, and the restyle is skipped when both
    are the same on its return: it was most of a switch back to a section (bench/RESULTS.md).
    A new screen counts as styled from the moment it mounts, for its first showing too.
    """

    app: App
    _left_with: tuple[frozenset[str], frozenset[str], list[RuleSet]] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Styled as it mounts, with the styles as they are now: without this, Textual refreshes
        # every style on a mode's first showing (a new screen counts as out of date), and that
        # refresh restyles the screen being left, not this one (Textualize/textual#5211).
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


SAVE_KEY = Binding("ctrl+s", "save_form", id="dialog_save")
"""ctrl+s, in the BINDINGS of a screen that is ``SavesWithKey``."""


class SavesWithKey:
    """Mixin for a screen with a form: ctrl+s presses its Save (or Finish) button while that
    button is in sight, and is offered only then. The screen names the button in ``SAVE_BUTTON``
    and lists ``SAVE_KEY`` in its BINDINGS; a ``check_action`` of its own ends with this one's.
    """

    SAVE_BUTTON: ClassVar[str]

    def _save_button(self) -> Button | None:
        for button in cast("Widget", self).query(self.SAVE_BUTTON).results(Button):
            shown = all(node.display for node in button.ancestors_with_self if isinstance(node, Widget))
            return button if shown and not button.disabled else None
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save_form":
            return self._save_button() is not None
        return True

    def action_save_form(self) -> None:
        button = self._save_button()
        if button is not None:
            button.press()


class WritesEntries(UsesKintsugi):
    """Mixin for a screen holding practices: it turns their ``SaveEntry``, ``DeleteEntry``,
    ``ShareEntry`` and ``UnshareEntry`` into one store call each, as the partner writing now,
    then posts ``Saved``.

    A failed call is told in one sentence; the form that asked keeps what was typed.
    """

    def entry_call(self, call: Callable[[object], object]) -> None:
        """Make ``call(writer)`` with the partner writing now (nothing happens before one is known)."""
        writer = self.kintsugi.acting
        if writer is None:
            return
        try:
            call(writer)
        except StoreError as error:
            self.notify(str(error), severity="error", markup=False)  # type: ignore[attr-defined]
            return
        self.post_message(Saved())  # type: ignore[attr-defined]

    def on_save_entry(self, message: SaveEntry) -> None:
        message.stop()
        store, model, fields = self.kintsugi.store, message.model, message.fields
        record_id = message.record_id
        if record_id is None:
            self.entry_call(lambda writer: store.add_entry(model, writer, private=message.private, **fields))
        else:
            self.entry_call(lambda writer: store.edit_entry(model, record_id, writer, **fields))

    def on_delete_entry(self, message: DeleteEntry) -> None:
        message.stop()
        store = self.kintsugi.store
        self.entry_call(lambda writer: store.delete_entry(message.model, message.record_id, writer))

    def on_share_entry(self, message: ShareEntry) -> None:
        message.stop()
        store = self.kintsugi.store
        self.entry_call(lambda writer: store.share_entry(message.model, message.record_id, writer))

    def on_unshare_entry(self, message: UnshareEntry) -> None:
        message.stop()
        store = self.kintsugi.store
        self.entry_call(lambda writer: store.unshare_entry(message.model, message.record_id, writer))
