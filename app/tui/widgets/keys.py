"""The words shown beside each key in the Footer come from content/ui.toml ([keys]); a line of
keys beyond the footer wraps between its entries (``KeyList``)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text
from textual.binding import Binding
from textual.dom import DOMNode

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
