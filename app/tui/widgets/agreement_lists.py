"""The agreements screen's left pane: the couple's agreement lists, and what awaits the partner
writing now. The screen sets ``shown``; the pane draws it. Its keys act on the highlighted list
(``LIST_ACTIONS``, done by the screen)."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import var
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from app.domain.models import AgreementList
from app.tui.widgets.agreement_status import AgreementPane
from app.tui.widgets.keys import Action, bindings, describe_keys
from app.tui.widgets.safe import safe_text

C = "agreements.commands."
LIST_ACTIONS = (
    Action("new_list", "n", C + "new_list", C + "list_help", words="new_list"),
    Action("rename_list", "r", C + "rename_list", C + "list_help", words="rename_list"),
    Action(
        "move_list(-1)",
        "left_square_bracket",
        C + "list_up",
        C + "list_help",
        words="list_up",
        more_keys=("shift+up",),
        key_display="[",
    ),
    Action(
        "move_list(1)",
        "right_square_bracket",
        C + "list_down",
        C + "list_help",
        words="list_down",
        more_keys=("shift+down",),
        key_display="]",
    ),
    Action("archive_list", "x", C + "archive_list", C + "list_help", words="archive_list"),
    Action("unarchive_list", "x", C + "unarchive_list", C + "list_help", words="unarchive_list"),
    Action("show_archived", "h", C + "show_archived", C + "list_help", words="show_archived"),
    Action("hide_archived", "h", C + "hide_archived", C + "list_help", words="hide_archived"),
)
"""What can be done to the chosen list, with the lists in focus (the screen does it)."""


@dataclass(frozen=True)
class ListsShown:
    """What the pane shows: the lists in sight, the one chosen, how many of each list's agreements
    await the partner writing now, and, over every agreement in force, how many await them and
    how many are due for review."""

    lists: list[AgreementList]
    chosen: str | None
    waiting: dict[str, int] = field(default_factory=dict)
    awaiting: int = 0
    due: int = 0


class ListPicker(OptionList):
    """The agreement lists; its keys act on the highlighted list."""

    BINDINGS = bindings(LIST_ACTIONS, "screen.")


class ListsPane(AgreementPane, Vertical):
    """The lists, with a line when there are none, and what awaits the one writing now."""

    shown: var[ListsShown | None] = var(None, always_update=True)

    class Chosen(Message):
        """A list was highlighted (the one chosen already, too, when the pane is drawn)."""

        def __init__(self, list_id: str) -> None:
            super().__init__()
            self.list_id = list_id

    class Entered(Message):
        """A list was chosen with enter (or a click): its agreements are next."""

    def compose(self) -> ComposeResult:
        yield Static(Text(self.text("lists")), classes="pane-title")
        lists = ListPicker(id="lists")
        describe_keys(lists, self.content)
        yield lists
        yield Static(Text(self.text("no_lists")), id="lists-empty", classes="empty")
        yield Static(id="awaiting-summary")

    def watch_shown(self, shown: ListsShown | None) -> None:
        if shown is None:
            return
        picker = self.query_one(ListPicker)
        picker.display = bool(shown.lists)
        self.query_one("#lists-empty").display = not shown.lists
        picker.set_options(Option(self._prompt(lst, shown), id=lst.id) for lst in shown.lists)
        picker.highlighted = picker.get_option_index(shown.chosen) if shown.chosen else None
        summary = Text(
            f"✎ {self.text('awaiting_me', count=shown.awaiting)}"
            if shown.awaiting
            else self.text("nothing_awaits")
        )
        if shown.due:
            summary.append(f"\n◷ {self.text('due_count', count=shown.due)}", "bold")
        self.query_one("#awaiting-summary", Static).update(summary)

    def _prompt(self, agreement_list: AgreementList, shown: ListsShown) -> Text:
        prompt = safe_text(agreement_list.name, one_line=True)
        if waiting := shown.waiting.get(agreement_list.id, 0):
            prompt.append(f"  {self.text('awaiting_tag', count=waiting)}", "dim")
        if agreement_list.archived:
            prompt.append(f"  ({self.text('archived_tag')})", "dim italic")
        return prompt

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option_id:
            self.post_message(self.Chosen(event.option_id))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Entered())
