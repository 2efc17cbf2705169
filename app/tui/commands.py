"""The command palette (ctrl+p): every screen and action, searchable.

Built from the App's state and the screen the palette was opened on: on a
step, the writing partner's four status changes are listed too. Ours come
first; then Textual's own (a theme, the keys panel, a screenshot), in our
words (``OurPalette.get_system_commands``): this is the palette's one provider.
``OurPalette``, mixed into ``KintsugiApp``, opens the palette asking in our words.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.app import SystemCommand
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen
from textual.theme import ThemeProvider

from app.store.storage import StoreError
from app.tui.screens import AgreementsScreen, StepScreen  # not imported until shown
from app.tui.widgets.keys import Command
from app.tui.widgets.safe import safe_markup
from app.tui.widgets.status import STATUSES, status_label
from app.tui.widgets.suggestions import suggestion_draft, suggestion_line

if TYPE_CHECKING:
    from app.tui.app import KintsugiApp

SYSTEM_COMMANDS = {  # Textual's palette commands, by action (or title): their words in [commands.system]
    "action_change_theme": "theme",
    "action_show_help_panel": "keys_show",
    "action_hide_help_panel": "keys_hide",
    "action_maximize": "maximize",
    "action_minimize": "minimize",
    "Screenshot": "screenshot",
}


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
            (text("commands.pause"), app.action_escalating, text("commands.pause_help")),
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
        found += [
            (text("commands.celebrate"), app.action_celebrate, text("commands.celebrate_help", name=name)),
            (
                text("commands.celebrations"),
                partial(app.action_open_mode, "celebrations"),
                text("commands.celebrations_help"),
            ),
            (text("commands.checkin"), app.action_checkin, text("commands.checkin_help", name=name)),
            (text("commands.meeting"), app.action_meeting, text("commands.meeting_help")),
            (text("commands.export_md"), partial(app.action_export, "md"), text("commands.export_md_help")),
            (
                text("commands.export_json"),
                partial(app.action_export, "json"),
                text("commands.export_json_help"),
            ),
            *self.suggestions(app),
            (text("commands.question"), app.action_question, text("commands.question_help", name=name)),
            (text("commands.repair"), app.action_repair, text("commands.repair_help")),
        ]
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

    def suggestions(self, app: KintsugiApp) -> list[Command]:
        """A celebration each open suggestion offers (a step integrated, a month of a kept promise...)."""
        try:
            partners = app.store.partners
            suggestions = app.store.open_suggestions(app.today())
        except StoreError:
            return []
        return [
            (
                app.content.text(
                    "suggest.palette", line=safe_markup(suggestion_line(app.content, suggestion, partners))
                ),
                partial(
                    app.action_celebrate, suggestion_draft(app.content, suggestion, partners, app.today())
                ),
                app.content.text("suggest.palette_help"),
            )
            for suggestion in suggestions
        ]

    async def discover(self) -> Hits:
        for title, callback, help_text in self.commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback, help_text in self.commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, text=title, help=help_text)


class OurPalette:
    """The App's side of the palette: it asks, and Textual's own commands speak, in our words."""

    def action_command_palette(self: KintsugiApp) -> None:
        """The palette, asking in our words (Textual's, otherwise as it is)."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            placeholder = self.content.text("commands.placeholder")
            self.push_screen(CommandPalette(id="--command-palette", placeholder=placeholder))

    def search_themes(self: KintsugiApp) -> None:
        """The palette's "Change the colours": the themes, asked for in our words."""
        placeholder = self.content.text("commands.system.theme_placeholder")
        self.push_screen(CommandPalette(providers=[ThemeProvider], placeholder=placeholder))

    def get_system_commands(self: KintsugiApp, screen: Screen[Any]) -> Iterable[SystemCommand]:
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
