"""The command palette (ctrl+p): every screen and action, searchable.

Built from the App's state and the screen the palette was opened on: on a
step, the writing partner's four status changes are listed too. Ours come
first; then Textual's own (a theme, the keys panel, a screenshot), in our
words (``KintsugiApp.get_system_commands``): this is the palette's one provider.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from app.store.storage import StoreError
from app.tui.journey_commands import journey_commands
from app.tui.screens import AgreementsScreen, StepScreen  # not imported until shown
from app.tui.together_commands import together_commands
from app.tui.widgets.keys import Command
from app.tui.widgets.safe import safe_markup
from app.tui.widgets.status import STATUSES, status_label

if TYPE_CHECKING:
    from app.tui.app import KintsugiApp


class KintsugiCommands(Provider):
    """(title, callback, help) for everything the couple can do from here."""

    def commands(self) -> list[Command]:
        app = cast("KintsugiApp", self.app)
        return [*self.ours(app), *self.textuals(app)]

    def textuals(self, app: KintsugiApp) -> list[Command]:
        return [
            (title, callback, help_text)
            for title, help_text, callback, discover in app.get_system_commands(self.screen)
            if discover
        ]

    def ours(self, app: KintsugiApp) -> list[Command]:
        if not app.ready or app.acting is None:
            return []
        text = app.content.text
        # Titles and help are read as markup by the palette: partner names are escaped.
        try:
            writer, other = app.writer_and_other()
        except StoreError:
            return []
        name, other_name = safe_markup(writer.name), safe_markup(other.name)
        found: list[Command] = [
            (
                text("commands.dashboard"),
                partial(app.action_open_mode, "dashboard"),
                text("commands.dashboard_help"),
            ),
            (text("commands.awareness.pause"), app.action_escalating, text("commands.awareness.pause_help")),
        ]
        found += [
            (
                text("commands.step", number=step.number, title=step.title),
                partial(app.action_step, step.number),
                step.tagline,
            )
            for step in app.content.steps
        ]
        screen = self.screen
        if isinstance(screen, StepScreen):
            found += [
                (
                    text("commands.set_status", status=status_label(app.content, status)),
                    partial(screen.choose_status, status),
                    text("commands.set_status_help", number=app.step, name=name),
                )
                for status in STATUSES
            ]
            found += screen.practice_commands()
        found += [
            (
                text("commands.switch"),
                app.action_switch_writer,
                text("commands.switch_help", name=name, other=other_name),
            ),
            (text("commands.help"), app.action_help, text("commands.help_help")),
            (text("commands.sync"), partial(app.action_open_mode, "sync"), text("commands.sync_help")),
            (text("commands.quit"), app.action_quit, text("commands.quit_help")),
        ]
        found += journey_commands(app, name)
        found += together_commands(app, name)
        found.append(
            (
                text("agreements.commands.open"),
                partial(app.action_open_mode, "agreements"),
                text("agreements.commands.open_help"),
            )
        )
        if isinstance(screen, AgreementsScreen):
            found += screen.commands()
        return found

    async def discover(self) -> Hits:
        for title, callback, help_text in self.commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback, help_text in self.commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, text=title, help=help_text)
