"""What is new since one last looked (app/domain/news.py)."""

from __future__ import annotations

from app.domain.news import news_since
from tests.support.records import ALEX, SAM, TODAY, agreement, celebration, stamp


def test_news_is_what_the_partner_added_or_changed_after_the_stamp() -> None:
    since = stamp(TODAY, 5)
    before = celebration("Before").model_copy(update={"author": SAM, "created": stamp(TODAY, 1)})
    added = celebration("Added").model_copy(
        update={"author": SAM, "created": stamp(TODAY, 6), "updated": stamp(TODAY, 6)}
    )
    mine = celebration("Mine").model_copy(update={"created": stamp(TODAY, 7), "updated": stamp(TODAY, 7)})
    signed = agreement("Rest", (ALEX, SAM)).model_copy(
        update={"created": stamp(TODAY, 2), "updated": stamp(TODAY, 8), "edited_by": SAM}
    )
    found = news_since([before, added, mine, signed], since, SAM)
    assert [(n.record.id, n.added, n.kind) for n in found] == [
        (signed.id, False, "agreement"),
        (added.id, True, "celebration"),
    ]
    assert news_since([before, added, mine, signed], stamp(TODAY, 9), SAM) == []
