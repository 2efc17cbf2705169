"""Words from the couple's file with their control characters written out.

One rule for every place that shows a partner's words, so none of them can
drive the terminal: the TUI (``app/tui/widgets/safe.py``, which also keeps
them from being read as markup), the command line and the export. An escape,
a bell or a bidi override shows as ``\\x1b``, ``\\x07``, ``\\u202e``.
"""

from __future__ import annotations

import re
import unicodedata

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
"""C0 controls but tab and newline, DEL, C1 controls, lone surrogates (unprintable in UTF-8),
and the marks, separators, embeddings, overrides and isolates that reorder or break lines."""

_CONTROL_OR_BREAK = re.compile(f"{CONTROL.pattern[:-1]}\t\n]")


def written_out(char: str) -> str:
    """One control character as the visible escape that names it."""
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object, *, one_line: bool = False) -> str:
    """``text`` with every control character written out; ``one_line`` writes out tabs and
    newlines too (a line of the command line's output stays one line)."""
    pattern = _CONTROL_OR_BREAK if one_line else CONTROL
    return pattern.sub(lambda match: written_out(match.group()), str(text))


def same_text(text: str) -> str:
    """``text`` in one Unicode form (NFC): "Café" typed on two keyboards is one word."""
    return unicodedata.normalize("NFC", text)


def name_key(name: str) -> str:
    """What two names are compared by: one form, spaces collapsed, case folded ("Zoë" is "ZOË")."""
    return same_text(same_text(" ".join(name.split())).casefold())
