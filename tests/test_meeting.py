"""The weekly talk (app/domain/meeting.py)."""

from __future__ import annotations

from app.domain.meeting import Meeting
from tests.support.records import ALEX, TODAY


def test_a_meeting_with_nothing_written_is_empty() -> None:
    empty = Meeting(id="m", author=ALEX, created="", day=TODAY, appreciations={ALEX: "  "})
    assert empty.is_empty
    assert not empty.model_copy(update={"went_well": "We laughed"}).is_empty
    assert not empty.model_copy(update={"agreement_id": "a1"}).is_empty
