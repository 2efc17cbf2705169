"""One rule writes out control characters for the TUI, the command line and the export."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.cli import printable as cli_printable
from app.domain.text import CONTROL, printable
from app.export import md_line
from app.tui.widgets.safe import safe_str, safe_text

HOSTILE = "a\x1b[2J\x1b]52;c;aGk=\x07b\u202ec\u2028d\u061ce\x00"


def test_escapes_bells_clipboard_writes_and_bidi_marks_are_written_out() -> None:
    shown = printable(HOSTILE)
    assert shown == "a\\x1b[2J\\x1b]52;c;aGk=\\x07b\\u202ec\\u2028d\\u061ce\\x00"
    assert not CONTROL.search(shown)


def test_every_bidi_isolate_is_written_out_everywhere() -> None:
    for code in range(0x2066, 0x206A):  # LRI, RLI, FSI, PDI: they reorder what follows them
        char = chr(code)
        for shown in (printable(char), safe_str(char), safe_text(char).plain, cli_printable(char)):
            assert shown == f"\\u{code:04x}"


def test_tabs_and_newlines_stay_unless_one_line_is_asked() -> None:
    assert printable("a\tb\nc") == "a\tb\nc"
    assert printable("a\tb\nc", one_line=True) == "a\\x09b\\x0ac"


@given(st.text())
def test_every_place_that_shows_words_leaves_no_control_character(words: str) -> None:
    for shown in (safe_str(words), safe_text(words).plain, cli_printable(words), md_line(words)):
        assert not CONTROL.search(shown)
    assert "\n" not in cli_printable(words) and "\n" not in safe_str(words)
