"""Step 1's rules (app/domain/practices/wounds.py): the partner's shared wounds not yet seen."""

from __future__ import annotations

from app.domain.practices.wounds import Wound, unseen_shared


def test_unseen_shared_wounds_are_the_partners_not_yet_shown() -> None:
    wounds = [
        Wound(id="w1", author="sam", created="2", what="feeling left out"),
        Wound(id="w2", author="alex", created="1", what="mine"),
        Wound(id="w3", author="sam", created="1", what="old words"),
    ]
    assert [w.id for w in unseen_shared(wounds, "alex", shown=[])] == ["w3", "w1"]
    assert [w.id for w in unseen_shared(wounds, "alex", shown=["w3"])] == ["w1"]
    assert unseen_shared(wounds, "sam", shown=[]) == [wounds[1]]
