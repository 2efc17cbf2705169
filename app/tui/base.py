"""What the app's screens and widgets share: the App, typed, and the practices' store calls."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from app.store.storage import StoreError
from app.tui.messages import DeleteEntry, Saved, SaveEntry, ShareEntry

if TYPE_CHECKING:
    from textual.app import App

    from app.tui.app import KintsugiApp


class UsesKintsugi:
    """Mixin for a screen or widget of the Kintsugi app: ``self.kintsugi`` is the App, typed."""

    app: App

    @property
    def kintsugi(self) -> KintsugiApp:
        return cast("KintsugiApp", self.app)


class WritesEntries(UsesKintsugi):
    """Mixin for a screen holding practices: it turns their ``SaveEntry``, ``DeleteEntry`` and
    ``ShareEntry`` into one store call each, as the partner writing now, then posts ``Saved``.

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
