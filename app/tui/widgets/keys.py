"""The words shown beside each key in the Footer come from content/ui.toml ([keys]); what a screen
does is declared once (``Action``): its key, its footer entry and its palette entry; a line of keys
beyond the footer wraps between its entries (``KeyList``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import partial

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from app.content import Content
from app.tui.textual_patches import rewrite_bindings


def describe_keys(node: DOMNode, content: Content) -> None:
    """Give every binding of ``node`` that has an ``id`` its description from ``[keys]``.

    Bindings are declared in ``BINDINGS`` as usual, with ``id="name"`` and no
    description; this fills in ``content.text("keys.name")`` and shows them in
    the Footer. Bindings without an id are left as they are (hidden ones).
    Textual has no public way to do this (``rewrite_bindings``).
    """

    def described(binding: Binding) -> Binding:
        if not binding.id:
            return binding
        return replace(binding, description=content.text(f"keys.{binding.id}"), show=True)

    rewrite_bindings(node, described)


Command = tuple[str, Callable[[], object], str]
"""A palette entry: its title, what it does, and its help line."""


@dataclass(frozen=True)
class Action:
    """Something a screen does, declared once: its key, the footer's word for it, and its palette
    entry (the content keys of its title and help line). ``call`` is the action as Textual runs it
    (``move_list(-1)``); the screen's ``check_action`` of its name says when it can be done, and the
    footer and the palette both follow it.

    ``words`` is the id of its footer entry (``[keys].<words>``); without it the key works but is
    not in the footer. ``more_keys`` do the same, unshown (``delete`` beside ``x``).
    """

    call: str
    key: str
    title: str
    help: str
    words: str = ""
    more_keys: tuple[str, ...] = ()
    key_display: str | None = None

    @property
    def name(self) -> str:
        """What ``check_action`` is asked: ``move_list`` of ``move_list(-1)``."""
        return self.call.partition("(")[0]

    def bindings(self, namespace: str = "") -> list[Binding]:
        """Its bindings, for ``BINDINGS`` (``namespace="screen."`` on a widget that the screen acts for)."""
        action = namespace + self.call
        if self.words:
            first = Binding(self.key, action, id=self.words, key_display=self.key_display)
        else:
            first = Binding(self.key, action, show=False)
        return [first, *(Binding(key, action, show=False) for key in self.more_keys)]

    def command(self, screen: Screen[object], text: Callable[..., str], **names: str) -> Command:
        """Its palette entry on ``screen``, its words filled in with ``names``."""
        return text(self.title, **names), partial(screen.run_action, self.call), text(self.help, **names)


def bindings(actions: Iterable[Action], namespace: str = "") -> list[Binding]:
    """The bindings of these actions, for ``BINDINGS``."""
    return [binding for action in actions for binding in action.bindings(namespace)]


def commands(
    screen: Screen[object], actions: Iterable[Action], text: Callable[..., str], **names: str
) -> list[Command]:
    """The palette entries of those actions that ``screen`` can do now (its ``check_action``)."""
    return [
        action.command(screen, text, **names) for action in actions if screen.check_action(action.name, ())
    ]


@dataclass(frozen=True)
class KeyList:
    """Keys and what they open, "a agreements · l celebration log · …", wrapped between entries,
    never inside one (unless one alone is wider than the line): a renderable for a Static."""

    words: str
    separator: str = " · "

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        entries = self.words.split(self.separator)
        lines, line = [], entries[0]
        for entry in entries[1:]:
            if cell_len(line + self.separator + entry) <= options.max_width:
                line += self.separator + entry
            else:
                lines.append(line + self.separator.rstrip())
                line = entry
        yield Text("\n".join([*lines, line]))
