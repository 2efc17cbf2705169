"""The journey's entries in the command palette: celebrate, the log, suggestions, check-ins,
the weekly meeting and export. ``KintsugiCommands`` adds these to its list."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from app.store.storage import StoreError
from app.tui.widgets.safe import safe_markup
from app.tui.widgets.suggestions import suggestion_draft, suggestion_line

if TYPE_CHECKING:
    from app.tui.app import KintsugiApp

Command = tuple[str, Callable[[], object], str]


def journey_commands(app: KintsugiApp, name: str) -> list[Command]:
    """(title, callback, help); ``name`` is the writing partner's name, already escaped for markup.

    The palette reads titles and help as markup, so words from the file are escaped.
    """
    text = app.content.text
    found: list[Command] = [
        (text("commands.celebrate"), app.action_celebrate, text("commands.celebrate_help", name=name)),
        (
            text("commands.celebrations"),
            partial(app.action_open_mode, "celebrations"),
            text("commands.celebrations_help"),
        ),
        (text("commands.checkin"), app.action_checkin, text("commands.checkin_help", name=name)),
        (text("commands.meeting"), app.action_meeting, text("commands.meeting_help")),
        (text("commands.export_md"), partial(app.action_export, "md"), text("commands.export_md_help")),
        (text("commands.export_json"), partial(app.action_export, "json"), text("commands.export_json_help")),
    ]
    try:
        partners = app.store.partners
        suggestions = app.store.open_suggestions(app.today())
    except StoreError:
        suggestions = []
    for suggestion in suggestions:
        line = safe_markup(suggestion_line(app.content, suggestion, partners))
        draft = suggestion_draft(app.content, suggestion, partners, app.today())
        found.append(
            (
                text("suggest.palette", line=line),
                partial(app.action_celebrate, draft),
                text("suggest.palette_help"),
            )
        )
    return found
