"""What the app's screens and widgets share: the App, typed, a store call's error told, the
practices' store calls, and ctrl+s on a form. What the screens share that changes Textual's own
behaviour (a quiet focus, the sections kept styled while away) is in app/tui/textual_patches.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, cast

from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Button

from app.store.storage import StoreError
from app.tui.messages import DeleteEntry, Saved, SaveEntry, ShareEntry, UnshareEntry
from app.words import error_words

if TYPE_CHECKING:
    from textual.app import App
    from textual.notifications import SeverityLevel

    from app.tui.app import KintsugiApp


@dataclass
class StoreAttempt:
    """What ``reporting()`` saw of the store calls in its block: the error it told, if any, and
    the words it told it in (a form shows them beside its fields too)."""

    error: StoreError | None = None
    words: str = ""

    @property
    def failed(self) -> bool:
        return self.error is not None


class ReportsStoreErrors:
    """Mixin for the App and for every screen and widget (through ``UsesKintsugi``): the one way
    the TUI calls the store and tells what went wrong::

        with self.reporting() as attempt:
            partners = self.kintsugi.store.partners
        if attempt.failed:
            return

    A ``StoreError`` raised in the block ends it and is told as a notification in the app's
    words (``app.words.error_words``), never read as markup (it may quote the file); any other
    exception goes on up.
    """

    app: App

    @contextmanager
    def reporting(self, severity: SeverityLevel = "error") -> Iterator[StoreAttempt]:
        attempt = StoreAttempt()
        try:
            yield attempt
        except StoreError as error:
            attempt.error = error
            attempt.words = self.store_error_line(error)
            self.notify(attempt.words, severity=severity, markup=False)  # type: ignore[attr-defined]

    def error_words(self, error: StoreError) -> str:
        """What ``error`` says, in the app's words."""
        return error_words(error, self._kintsugi_app().content)

    def store_error_line(self, error: StoreError) -> str:
        """What ``error`` says; a file or record that cannot be read (found by whichever read comes
        to it first) also says what to do."""
        words = self.error_words(error)
        if error.reason != "file_not_json":
            return words
        return f"{words} {self._kintsugi_app().content.text('app.damaged_found')}"

    def _kintsugi_app(self) -> KintsugiApp:
        return cast("KintsugiApp", self.app)  # type: ignore[attr-defined]


class UsesKintsugi(ReportsStoreErrors):
    """Mixin for a screen or widget of the Kintsugi app: ``self.kintsugi`` is the App, typed, and
    ``self.reporting()`` tells a store call's error."""

    @property
    def kintsugi(self) -> KintsugiApp:
        return cast("KintsugiApp", self.app)


class FollowsTheStore(UsesKintsugi):
    """Mixin for a screen that shows what the store holds. ``follow_the_store(reread)``, in its
    ``on_mount``: ``reread`` runs when the store changes while the screen is in sight (under a
    dialog too); a change made while it was away (another section in sight) is read once it is
    shown again, not by every screen on every save."""

    _reread: Callable[[], object] | None = None
    _missed_a_change = False

    def follow_the_store(self, reread: Callable[[], object]) -> None:
        self._reread = reread
        self.watch(self.app, "revision", self._the_store_changed, init=False)  # type: ignore[attr-defined]

    def _the_store_changed(self) -> None:
        if self in self.app.screen_stack:
            assert self._reread is not None
            self._reread()
        else:
            self._missed_a_change = True

    def on_screen_resume(self) -> None:
        if self._missed_a_change and self._reread is not None:
            self._missed_a_change = False
            self._reread()


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
        with self.reporting() as attempt:
            call(writer)
        if attempt.failed:
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
