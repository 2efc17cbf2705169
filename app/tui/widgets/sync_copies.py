"""The copies a sync service left beside our file, in the "sync" mode (``f``): those already merged
in, newest first (``MergedCopies``), and those left where they are, each with why and what to do
(``LeftCopies``)."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.widgets import Static

from app.store.sync import copies_left_alone
from app.tui.base import UsesKintsugi
from app.tui.widgets.safe import safe_str, safe_text
from app.words import day_words, left_copy_words

MERGED_SHOWN = 8


class MergedCopies(UsesKintsugi, Static):
    """The newest copies merged in, with when."""

    def show(self) -> None:
        text = self.kintsugi.content.text
        folder = self.kintsugi.store.places.merged
        copies = (
            sorted(folder.glob("*"), key=lambda p: p.stat().st_mtime, reverse=True) if folder.is_dir() else []
        )
        shown = Text()
        if not copies:
            shown.append(text("sync.no_copies"), "italic")
        for copy in copies[:MERGED_SHOWN]:
            when = day_words(self.kintsugi.content, dt.datetime.fromtimestamp(copy.stat().st_mtime), "moment")
            shown.append_text(safe_text(copy.name, one_line=True))
            shown.append(f"  {when}\n", "dim")
        self.update(shown)


class LeftCopies(UsesKintsugi, Static):
    """Copies a sync left that cannot be merged: each with why, and what to do about it."""

    def show(self) -> bool:
        """Re-read them; True if there are any."""
        text = self.kintsugi.content.text
        left = copies_left_alone(self.kintsugi.store)
        shown = Text()
        for outcome in left:
            if shown:
                shown.append("\n\n")
            shown.append_text(safe_text(outcome.path.name, "bold", one_line=True))
            shown.append("\n")
            shown.append_text(safe_text(left_copy_words(self.kintsugi.content, outcome)))
            shown.append("\n")
            folder = safe_str(outcome.path.parent)
            shown.append(text(f"sync.left_{outcome.left_because}", folder=folder), "italic")
        self.update(shown)
        return bool(left)
