"""A choice among a few, drawn by one widget: what is chosen, in its box, and the list it opens
beneath itself. The keys are Textual's ``Select``'s: enter, space, up or down open the list; up,
down, home, end and the pages move in it; enter chooses; escape closes it; a letter jumps to the
first option holding what was typed; a click opens or closes it.

Why not ``Select``: it is six widgets (Select, SelectCurrent and its three Statics, and the list),
four of them laid out and drawn each time the screen holding it is shown; the celebrate dialog held
two, a third of the widgets drawn as it opens (bench/HISTORY.md, 2026-12-08). A ``Choice`` is one
widget drawn, and its list, hidden until opened.
"""

from __future__ import annotations

import time
from collections.abc import Hashable, Iterable
from dataclasses import replace
from typing import Generic, TypeVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import var
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from app.tui.textual_patches import rewrite_bindings

Value = TypeVar("Value", bound=Hashable)

SEARCH_RESET_S = 0.7
"""A letter typed this long after the one before starts a new search (as ``Select``'s list)."""


class ChoiceList(OptionList):
    """The list a ``Choice`` opens: escape closes it, leaving the choice as it was, and so does the
    focus going elsewhere; a letter typed jumps to the first option holding the letters typed in the
    last moment (``SEARCH_RESET_S``), the one holding them earliest in its words."""

    BINDINGS = [Binding("escape", "close", show=False)]
    ALLOW_SELECT = False

    class Closed(Message):
        """The list is to close, nothing chosen (``lost_focus``: the focus went elsewhere)."""

        def __init__(self, lost_focus: bool) -> None:
            super().__init__()
            self.lost_focus = lost_focus

    def __init__(self, close_words: str = "") -> None:
        super().__init__()
        self._typed = ""
        self._typed_at = 0.0
        if close_words:  # the footer's words for escape while the list is open
            rewrite_bindings(
                self,
                lambda binding: (
                    replace(binding, description=close_words, show=True)
                    if binding.action == "close"
                    else binding
                ),
            )

    def action_close(self) -> None:
        self.post_message(self.Closed(lost_focus=False))

    def _on_blur(self, event: events.Blur) -> None:
        self.post_message(self.Closed(lost_focus=True))

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        return character is not None and character.isprintable()

    def _on_key(self, event: events.Key) -> None:
        if event.character is None or not event.is_printable:
            return
        event.stop()
        event.prevent_default()
        now = time.monotonic()
        self._typed = (self._typed if now - self._typed_at < SEARCH_RESET_S else "") + event.character
        self._typed_at = now
        found = self.first_holding(self._typed)
        if found is not None:
            self.highlighted = found
            self.scroll_to_highlight()

    def first_holding(self, typed: str) -> int | None:
        """The option whose words hold ``typed`` earliest (the first such), or None."""
        typed = typed.lower()
        places = [
            (place, index)
            for index, option in enumerate(self.options)
            if (place := str(option.prompt).lower().find(typed)) != -1
        ]
        return min(places)[1] if places else None

    @on(OptionList.OptionHighlighted)
    def _keep_to_itself(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()


class Choice(Generic[Value], Widget, can_focus=True):
    """One of ``options`` (each its words and its value), or none (``None``) when ``prompt`` is
    given: then the list begins with the prompt, dimmed, and the box shows it while nothing is
    chosen. ``value`` is what is chosen; ``expanded`` is whether the list is open. Posts
    ``Choice.Changed`` when the value changes."""

    DEFAULT_CSS = """
    Choice {
        width: 1fr;
        height: auto;
        padding: 0 1;
        border: tall $border-blurred;
        background: $surface;
        color: $foreground;
        pointer: pointer;

        &:focus {
            border: tall $border;
            background-tint: $foreground 5%;
        }
        .choice--placeholder, .choice--arrow {
            color: $foreground 50%;
        }
        & > ChoiceList {
            display: none;
            overlay: screen;
            constrain: none inside;
            height: auto;
            max-height: 12;
            border: tall $border-blurred;
            background: $surface;
            color: $foreground;
            &:focus {
                background-tint: $foreground 5%;
            }
            & > .option-list--option {
                padding: 0 1;
            }
        }
        &.-expanded > ChoiceList {
            display: block;
        }
    }
    """
    COMPONENT_CLASSES = {"choice--placeholder", "choice--arrow"}
    BINDINGS = [Binding("enter,down,space,up", "open", show=False)]
    ALLOW_SELECT = False

    expanded: var[bool] = var(False, init=False)
    """True while the list is open."""
    value: var[Value | None] = var[Value | None](None, init=False)
    """What is chosen (None: nothing, when the prompt allows it)."""

    class Changed(Message):
        """The value changed."""

        def __init__(self, choice: Choice[Value], value: Value | None) -> None:
            super().__init__()
            self.choice = choice
            self.value = value

        @property
        def control(self) -> Choice[Value]:
            return self.choice

    def __init__(
        self,
        options: Iterable[tuple[str, Value]],
        *,
        prompt: str | None = None,
        value: Value | None = None,
        close_words: str = "",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """``prompt`` None: one of ``options`` is always chosen (the first, if ``value`` is None).
        ``close_words``: the footer's words for escape while the list is open. Words are shown as
        they are, never read as markup."""
        super().__init__(id=id, classes=classes)
        self._options: list[tuple[Text, Value | None]] = [
            *([(Text(prompt, style="dim"), None)] if prompt is not None else []),
            *((Text(words), value) for words, value in options),
        ]
        self._list = ChoiceList(close_words)
        self._open_at_press = False
        first = value if value is not None or prompt is not None else self._options[0][1]
        self.set_reactive(Choice.value, self.validate_value(first))

    @property
    def values(self) -> list[Value | None]:
        """Every value it offers, in the list's order (None first: the prompt)."""
        return [value for _, value in self._options]

    def validate_value(self, value: Value | None) -> Value | None:
        if value not in self.values:
            raise ValueError(f"not one of the choices: {value!r}")
        return value

    def watch_value(self, value: Value | None) -> None:
        self.refresh()
        self.post_message(self.Changed(self, value))

    def compose(self) -> ComposeResult:
        self._list.add_options(Option(words) for words, _ in self._options)
        yield self._list

    # -- what it shows --------------------------------------------------------------------------

    def render(self) -> Text:
        chosen = self.values.index(self.value)
        width = max(self.content_size.width - 2, 1)
        shown = self._options[chosen][0].copy()
        if self.value is None:
            shown.stylize(self.get_component_rich_style("choice--placeholder"))
        shown.truncate(width, overflow="ellipsis", pad=True)
        shown.no_wrap = True
        shown.append(" " + ("▲" if self.expanded else "▼"), self.get_component_rich_style("choice--arrow"))
        return shown

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 1

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max(words.cell_len for words, _ in self._options) + 2

    # -- opening and choosing -------------------------------------------------------------------

    def action_open(self) -> None:
        self.expanded = True

    def watch_expanded(self, expanded: bool) -> None:
        self.set_class(expanded, "-expanded")
        self.refresh()
        if expanded:  # beneath the box, as wide as it
            gutter = self.styles.gutter
            self._list.styles.width = self.outer_size.width
            self._list.styles.offset = (-gutter.left, self.content_size.height + gutter.bottom)
            self._list.highlighted = self.values.index(self.value)
            self._list.focus(scroll_visible=False)
            self._list.scroll_to_highlight()

    def _on_mouse_down(self, event: events.MouseDown) -> None:
        # Pressed on the box while the list is open, the focus leaves the list, which closes it
        # before the click comes: the click is to leave it closed.
        self._open_at_press = self.expanded

    def _on_click(self, event: events.Click) -> None:
        if event.widget is self:  # on the box, not on the list it opened
            event.stop()
            self.expanded = not self._open_at_press

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.value = self._options[event.option_index][1]
        self.expanded = False
        self.focus()

    @on(ChoiceList.Closed)
    def _closed(self, event: ChoiceList.Closed) -> None:
        event.stop()
        self.expanded = False
        if not event.lost_focus:
            self.focus()
