"""Text from the couple's file, made safe to show.

Whatever a partner typed is data: it is never read as Rich or Textual markup
(``[red]`` shows ``[red]``), and terminal control characters (escape, bell,
bidi overrides...) are shown as visible escapes instead of being sent to the
terminal. Every place that shows text from the file goes through here.
"""

from __future__ import annotations

import re

from rich.text import Text

# C0 controls except tab and newline, DEL, C1 controls, and the bidi embeddings,
# overrides and isolates that can make text display in a different order.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_ESCAPE_STYLE = "dim reverse"


def _visible(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _prepared(value: object, one_line: bool) -> str:
    text = str(value).replace("\t", "    ")
    if one_line:
        text = " ".join(text.split("\n"))
    return text


def safe_str(value: object, *, one_line: bool = True) -> str:
    """``value`` as plain text with control characters written out (``\\x1b``).

    For places that take a plain string and never parse markup (the Header's
    sub-title, a ``notify(..., markup=False)``).
    """
    return _CONTROL.sub(lambda match: _visible(match.group()), _prepared(value, one_line))


def safe_text(value: object, style: str = "", *, one_line: bool = False) -> Text:
    """``value`` as a Rich Text: never parsed as markup, control characters shown dimmed."""
    source = _prepared(value, one_line)
    text = Text(style=style)
    position = 0
    for match in _CONTROL.finditer(source):
        text.append(source[position : match.start()])
        text.append(_visible(match.group()), _ESCAPE_STYLE)
        position = match.end()
    text.append(source[position:])
    return text
