"""The references for the TUI figures: bare Textual apps, nothing of ours imported.

``python bench/bare_app.py`` runs ``BareApp`` (a Header, a Footer and a Static
saying ``WORD``): the cold-start and memory reference, started in tmux exactly
like Kintsugi. ``ReferenceApp`` is the keystroke reference, driven headless in
the benchmark's own process with the same keys as ours: ``3`` / ``d`` / ``l``
switch between three trivial modes, ``c`` opens a dialog with two Inputs
(tab moves between them, letters type), ``escape`` closes it.

``python bench/bare_app.py --watch FILE`` is the live-sync reference: the
least a Textual app could do to show a partner's write. It watches FILE's
folder with watchfiles (the same 100 ms debounce as ours), parses the file
with ``json.loads`` on each change and shows the titles of the celebrations
that were not there before.

This file imports only Textual (and, for ``--watch``, watchfiles and json),
so its start-up cost is Textual's own.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header, Input, Static

WORD = "Lighthouse"  # what the cold-start figure waits for on the pane


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(WORD)
        yield Footer()


class _Plain(Screen[None]):
    def __init__(self, word: str) -> None:
        super().__init__()
        self.word = word

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.word)
        yield Footer()


class _Form(ModalScreen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen")]

    def compose(self) -> ComposeResult:
        yield Input(placeholder="first", id="first")
        yield Input(placeholder="second", id="second")


class ReferenceApp(App[None]):
    MODES = {
        "home": lambda: _Plain(WORD),
        "other": lambda: _Plain("Other"),
        "log": lambda: _Plain("Log"),
    }
    DEFAULT_MODE = "home"
    BINDINGS = [
        Binding("3", "switch_mode('other')"),
        Binding("d", "switch_mode('home')"),
        Binding("l", "switch_mode('log')"),
        Binding("c", "push_screen('form')"),
    ]
    SCREENS = {"form": _Form}


class WatchApp(App[None]):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.known = self._titles()

    def _titles(self) -> dict[str, str]:
        data = json.loads(self.path.read_text(encoding="utf-8"))
        return {key: raw["fields"].get("title", "") for key, raw in data.get("celebration", {}).items()}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"{WORD}: watching", id="news")
        yield Footer()

    def on_mount(self) -> None:
        self.run_worker(self._watch())

    async def _watch(self) -> None:
        from watchfiles import awatch

        async for _ in awatch(self.path.parent, debounce=100, recursive=False):
            titles = self._titles()
            new = [title for key, title in titles.items() if key not in self.known]
            self.known = titles
            if new:
                self.query_one("#news", Static).update("\n".join(new))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--watch"]:
        WatchApp(Path(sys.argv[2])).run()
    else:
        BareApp().run()
