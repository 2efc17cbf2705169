"""Words to compare aloud or write on paper: a machine's six, the recovery code's twelve."""

from __future__ import annotations

from rich.text import Text

from app.domain.machines import words_for
from app.domain.wordlist import WORDS

WORD_LIST = list(WORDS)
WORDS_A_LINE = 3  # a machine's six words on two lines: read out three at a time


def machine_words(sign_key: str, box_key: str) -> list[str]:
    """The six words naming a machine's keys, the same on every screen that shows them."""
    return words_for(sign_key, box_key, WORD_LIST)


def word_lines(words: list[str], per_line: int, *, numbered: bool = False) -> Text:
    """Words in bold, ``per_line`` a line, spaced to be read one by one (numbered, for a code)."""
    width = max(len(word) for word in words)
    lines = Text(justify="center")
    for index, word in enumerate(words):
        if index:
            lines.append("\n" if index % per_line == 0 else "   ")
        if numbered:
            lines.append(f"{index + 1:>2}. ", "dim")
        lines.append(word.ljust(width) if numbered else word, "bold")
    return lines
