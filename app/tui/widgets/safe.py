"""Text from the couple's file, made safe to show.

Whatever a partner typed is data: it is never read as Rich or Textual markup
(``[red]`` shows ``[red]``), and terminal control characters (escape, bell,
bidi overrides...) are shown as visible escapes instead of being sent to the
terminal. Every place that shows text from the file goes through here.
"""

from __future__ import annotations

from rich.text import Text

from app.domain.text import CONTROL, printable, written_out

_ESCAPE_STYLE = "dim reverse"


def _prepared(value: object, one_line: bool) -> str:
    text = str(value).replace("\t", "    ")
    if one_line:
        text = " ".join(text.split("\n"))
    return text


def safe_str(value: object, *, one_line: bool = True) -> str:
    """``value`` as plain text with control characters written out (``\\x1b``).

    For places that take a plain string and never parse markup (the Header's
    sub-title, a ``notify(..., markup=False)``, a form field's value: see ``kept``).
    """
    return printable(_prepared(value, one_line))


def kept(typed: str, stored: str, *, one_line: bool = True) -> str:
    """What a form field (an Input, a TextArea) holds after the form: the stored text itself
    if it was left as ``safe_str(stored, one_line=one_line)`` showed it.

    Those widgets send what they hold to the terminal as it is, so they are given
    the text from the file made safe; this turns it back into the stored words when
    nobody changed them (an agreement's wording keeps its signatures).
    """
    return stored if typed == safe_str(stored, one_line=one_line) else typed


def safe_markup(value: object) -> str:
    """``value`` for a place that reads Textual markup (the command palette's titles and help).

    Shows exactly as ``safe_str(value)``: every ``[`` is escaped, so even a tag cut
    short ("[link=h…") or a closing tag alone ("[/b]") is text, never a markup error.
    """
    return safe_str(value).replace("[", "\\[")


def safe_text(value: object, style: str = "", *, one_line: bool = False) -> Text:
    """``value`` as a Rich Text: never parsed as markup, control characters shown dimmed."""
    source = _prepared(value, one_line)
    text = Text(style=style)
    position = 0
    for match in CONTROL.finditer(source):
        text.append(source[position : match.start()])
        text.append(written_out(match.group()), _ESCAPE_STYLE)
        position = match.end()
    text.append(source[position:])
    return text
