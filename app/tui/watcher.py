"""Watching the couple's file while the TUI runs, so the partner's changes show within a second.

The folder holding the file is watched (not the file: a sync service, like
our own store, replaces the file with ``os.replace``, which shows up as an
add in the folder). Any change to the file or a new ``.json`` beside it asks
the App to take changes in; our own writes cost one ``stat`` and are
recognised as already known by the store.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from watchfiles import Change, awatch

DEBOUNCE_MS = 100  # watchfiles' default of 1,600 ms would make a partner's change feel slow


def _relevant(path: Path) -> Callable[[Change, str], bool]:
    def check(_: Change, changed: str) -> bool:
        name = Path(changed).name
        return name == path.name or (name.endswith(path.suffix) and not name.startswith("."))

    return check


async def watch_couple_file(path: Path, take_in: Callable[[], object]) -> None:
    """Call ``take_in()`` whenever the file, or a copy beside it, changes. Runs until cancelled."""
    async for _ in awatch(path.parent, watch_filter=_relevant(path), debounce=DEBOUNCE_MS, recursive=False):
        take_in()
