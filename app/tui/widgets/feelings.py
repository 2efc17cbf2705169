"""Name a feeling precisely: type a few letters to find it on the content's feelings list, or
write your own word.

Usage (any screen or practice; words come from content/ui.toml [feelings] and
[feeling_picker])::

    yield FeelingPicker(value="hopeful", id="feeling")

    @on(FeelingPicker.Changed, "#feeling")
    def _felt(self, event: FeelingPicker.Changed) -> None:
        event.value  # the word ("" when none is given)

``picker.value`` reads or sets the word (setting it posts ``Changed``, as an
Input does). The picker is a field for the word and, under it while asked
for, the list: typing filters it (by the word, or by its family's name: "hard"
lists the hard ones), Down or a click on the field opens it whole, family by
family under their names, PageDown and PageUp jump a family, Enter or a click
takes the word highlighted, Escape closes it, and so does leaving the picker.
A word not on the list is simply the word typed. The list is part of the
form, a few rows high, never drawn over it. The picker never writes anywhere:
the screen that holds it saves the word.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from app.tui.widgets.safe import kept, safe_str

if TYPE_CHECKING:
    from app.content import Content

FAMILY = "family:"
"""The id prefix of a family's heading in the list (a heading is never picked)."""


class FeelingPicker(Widget):
    """A feeling word, typed or found on the list by family (see the module docstring)."""

    DEFAULT_CSS = """
    FeelingPicker {
        height: auto;
        width: 1fr;
    }
    FeelingPicker #feeling-list {
        display: none;
        height: auto;
        max-height: 7;
        border: none;
        padding: 0;
    }
    FeelingPicker.-open #feeling-list {
        display: block;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
        Binding("pagedown", "family(1)", show=False),
        Binding("pageup", "family(-1)", show=False),
        Binding("escape", "close", show=False),
    ]

    class Changed(Message):
        """The word changed (``value`` is "" when none is given)."""

        def __init__(self, picker: FeelingPicker, value: str) -> None:
            super().__init__()
            self.picker = picker
            self.value = value

        @property
        def control(self) -> FeelingPicker:
            return self.picker

    def __init__(
        self,
        value: str = "",
        *,
        content: Content | None = None,
        compact: bool = False,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(id=id, classes=classes, disabled=disabled)
        self._content = content
        self._compact = compact
        self._value = value.strip()

    @property
    def content(self) -> Content:
        return self._content or self.app.content  # type: ignore[attr-defined]

    @property
    def families(self) -> Mapping[str, Sequence[str]]:
        return self.content.feelings

    @property
    def words(self) -> tuple[str, ...]:
        """Every word on the list, family by family."""
        return tuple(word for family in self.families.values() for word in family)

    def family_name(self, family: str) -> str:
        labels: Mapping[str, Any] = self.content.value("feeling_picker.families")
        return str(labels.get(family, family))

    def matching(self, typed: str) -> Iterator[tuple[str, list[str]]]:
        """Each family with its words that match what is typed (all of them for its own name)."""
        typed = typed.strip().casefold()
        for family, words in self.families.items():
            if not typed or self.family_name(family).casefold().startswith(typed):
                found = list(words)
            else:
                found = [word for word in words if typed in word.casefold()]
            if found:
                yield family, found

    def compose(self) -> ComposeResult:
        yield Input(
            safe_str(self._value),
            placeholder=self.content.text("feeling_picker.prompt"),
            max_length=60,
            compact=self._compact,
            id="feeling-word",
        )
        yield OptionList(id="feeling-list", compact=True)

    # -- the word ----------------------------------------------------------------------

    @property
    def value(self) -> str:
        return self._value

    @value.setter
    def value(self, word: str) -> None:
        """Show ``word``; posts ``Changed`` like an Input would."""
        word = word.strip()
        if not self.is_mounted:
            self._value = word
            return
        self._set(word)
        with self.prevent(Input.Changed):
            self.query_one("#feeling-word", Input).value = safe_str(word)
        self._close()

    def focus(self, scroll_visible: bool = True) -> FeelingPicker:
        self.query_one("#feeling-word", Input).focus(scroll_visible)
        return self

    def _set(self, word: str) -> None:
        word = word.strip()
        if word != self._value:
            self._value = word
            self.post_message(self.Changed(self, word))

    @on(Input.Changed, "#feeling-word")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self._set(kept(event.value, self._value))
        if event.input.has_focus:  # typed (not the word it starts with)
            self._show_list(event.value, highlight=bool(event.value.strip()))

    # -- the list ----------------------------------------------------------------------

    @property
    def open(self) -> bool:
        return self.has_class("-open")

    def _show_list(self, typed: str, *, highlight: bool) -> None:
        """The words matching ``typed`` under their families' names; closed if none match."""
        rows: list[Option] = []
        for family, words in self.matching(typed):
            heading = Text(self.family_name(family), "dim italic")
            rows.append(Option(heading, id=f"{FAMILY}{family}", disabled=True))
            rows += [Option(Text(f"  {word}"), id=word) for word in words]
        options = self.query_one(OptionList)
        options.set_options(rows)
        self.set_class(bool(rows), "-open")
        if rows and highlight:
            options.highlighted = next(i for i, row in enumerate(rows) if not row.disabled)

    def _close(self) -> None:
        self.remove_class("-open")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"close", "family"}:
            return self.open  # else Escape is the dialog's, PageDown the screen's
        return True

    def action_move(self, step: int) -> None:
        """Down opens the whole list; then Up and Down move along it."""
        options = self.query_one(OptionList)
        if not self.open:
            self._show_list("", highlight=True)
        elif options.highlighted is None:
            options.highlighted = next(i for i, row in enumerate(options.options) if not row.disabled)
        elif step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def action_family(self, step: int) -> None:
        """Jump to the first word of the next (or previous) family."""
        options = self.query_one(OptionList)
        rows = options.options
        starts = [i + 1 for i, row in enumerate(rows) if row.id and row.id.startswith(FAMILY)]
        here = options.highlighted if options.highlighted is not None else -1
        if step > 0:
            target = min((i for i in starts if i > here), default=None)
        else:
            current = max((i for i in starts if i <= here), default=-1)
            target = max((i for i in starts if i < current), default=starts[0] if starts else None)
        if target is not None:
            options.highlighted = target

    def action_close(self) -> None:
        self._close()
        self.focus()

    @on(events.Click, "#feeling-word")
    def _field_clicked(self) -> None:
        if not self.open:
            self._show_list(self.query_one("#feeling-word", Input).value, highlight=False)

    def on_descendant_blur(self) -> None:
        self.call_after_refresh(self._close_if_left)

    def _close_if_left(self) -> None:
        """Leaving the picker (Tab onwards, a click elsewhere) closes the list."""
        if self.is_attached and not any(widget.has_focus for widget in self.query("*")):
            self._close()

    def _take(self, word: str) -> None:
        self.value = word
        self.query_one("#feeling-word", Input).action_end()

    @on(Input.Submitted, "#feeling-word")
    def _entered(self, event: Input.Submitted) -> None:
        """Enter takes the word highlighted; with the list closed, it is the form's Enter."""
        option = self.query_one(OptionList).highlighted_option
        if self.open and option is not None and option.id and option.id != self._value:
            event.stop()
            self._take(option.id)

    @on(OptionList.OptionSelected, "#feeling-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        """A click on a word, or Enter with the keyboard in the list."""
        event.stop()
        if event.option.id:
            self._take(event.option.id)
            self.focus()
