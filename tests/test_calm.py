"""The calm-down screen's rules (app/domain/calm.py): repair phrases."""

from __future__ import annotations

from app.domain.calm import RepairPhrase, repair_phrases_or_defaults


def test_repair_phrase_defaults_only_while_the_couple_has_none() -> None:
    defaults = ["Can we start over?"]
    assert repair_phrases_or_defaults([], defaults) == ([], defaults)
    own = RepairPhrase(id="p", author="a", created="1", text="Time out, I love you")
    assert repair_phrases_or_defaults([own], defaults) == ([own], [])
