"""Together's entries in the command palette: the daily question and repair conversations.
``KintsugiCommands`` adds these to its list."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.tui.app import KintsugiApp

Command = tuple[str, Callable[[], object], str]


def together_commands(app: KintsugiApp, name: str) -> list[Command]:
    """(title, callback, help); ``name`` is the writing partner's name, already escaped for markup."""
    text = app.content.text
    return [
        (
            text("together_commands.question"),
            app.action_question,
            text("together_commands.question_help", name=name),
        ),
        (text("together_commands.repair"), app.action_repair, text("together_commands.repair_help")),
    ]
