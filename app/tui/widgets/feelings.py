"""Name a feeling precisely: pick a word from the content's feelings list, or type your own.

Usage (any screen or practice; words come from content/ui.toml [feelings] and
[feeling_picker])::

    yield FeelingPicker(value="hopeful", id="feeling")

    @on(FeelingPicker.Changed, "#feeling")
    def _felt(self, event: FeelingPicker.Changed) -> None:
        event.value  # the word ("" when none is picked)

``picker.value`` reads or sets the word (setting it posts ``Changed``, as an
Input does); a word that is not on the list is shown in the "your own word"
field. The picker is a Select listing the words
family by family (pleasant, tender, hard) plus "Another word…", which opens a
small Input. ``compact=True`` draws both without borders, one line high.
The picker never writes anywhere: the screen that holds it saves the word.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Select

from app.tui.widgets.safe import kept, safe_str

if TYPE_CHECKING:
    from app.content import Content

OWN_WORD = "\x00own"
"""The Select's value for "Another word…" (never a feeling word itself)."""
WORD_WIDTH = 14


class FeelingPicker(Widget):
    """A feeling word, picked from the list by family or typed (see the module docstring)."""

    DEFAULT_CSS = """
    FeelingPicker {
        height: auto;
        width: 1fr;
    }
    FeelingPicker > Horizontal {
        height: auto;
    }
    FeelingPicker Select {
        width: 1fr;
        max-width: 34;
    }
    FeelingPicker Input {
        display: none;
        width: 1fr;
        margin-left: 1;
    }
    FeelingPicker.-own Input {
        display: block;
    }
    """

    class Changed(Message):
        """The word changed (``value`` is "" when none is picked)."""

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
    def words(self) -> tuple[str, ...]:
        """Every word on the list, family by family."""
        return tuple(word for family in self.content.feelings.values() for word in family)

    def options(self) -> list[tuple[Text, str]]:
        """The Select's options: each word with its family beside it, then "Another word…"."""
        labels: Mapping[str, Any] = self.content.value("feeling_picker.families")
        found: list[tuple[Text, str]] = []
        families: Mapping[str, Sequence[str]] = self.content.feelings
        for family, words in families.items():
            for word in words:
                prompt = Text(word.ljust(WORD_WIDTH))
                prompt.append(str(labels.get(family, family)), style="dim italic")
                found.append((prompt, word))
        found.append((Text(self.content.text("feeling_picker.own"), style="italic"), OWN_WORD))
        return found

    def compose(self) -> ComposeResult:
        text = self.content.text
        listed = self._value in self.words
        with Horizontal():
            yield Select(
                self.options(),
                prompt=text("feeling_picker.prompt"),
                value=self._value if listed else (OWN_WORD if self._value else Select.NULL),
                compact=self._compact,
                id="feeling-word",
            )
            yield Input(
                "" if listed else safe_str(self._value),
                placeholder=text("feeling_picker.own_placeholder"),
                max_length=60,
                compact=self._compact,
                id="feeling-own",
            )
        self.set_class(bool(self._value) and not listed, "-own")

    @property
    def value(self) -> str:
        return self._value

    @value.setter
    def value(self, word: str) -> None:
        """Show ``word`` (on the list, or as your own word); posts ``Changed`` like an Input would."""
        word = word.strip()
        if not self.is_mounted:
            self._value = word
            return
        self._set(word)
        select = self.query_one("#feeling-word", Select)
        own = self.query_one("#feeling-own", Input)
        with self.prevent(Select.Changed, Input.Changed):
            if word in self.words:
                select.value, own.value = word, ""
            elif word:
                select.value, own.value = OWN_WORD, safe_str(word)
            else:
                select.clear()
                own.value = ""
        self.set_class(bool(word) and word not in self.words, "-own")

    def focus(self, scroll_visible: bool = True) -> FeelingPicker:
        self.query_one("#feeling-word", Select).focus(scroll_visible)
        return self

    @on(Select.Changed, "#feeling-word")
    def _picked(self, event: Select.Changed) -> None:
        event.stop()
        own = self.query_one("#feeling-own", Input)
        if event.value == OWN_WORD:
            self.add_class("-own")
            own.focus()
            self._set(kept(own.value, self._value))
        else:
            self.remove_class("-own")
            self._set("" if event.value is Select.NULL else str(event.value))

    @on(Input.Changed, "#feeling-own")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self._set(kept(event.value, self._value))

    def _set(self, word: str) -> None:
        word = word.strip()
        if word != self._value:
            self._value = word
            self.post_message(self.Changed(self, word))
