"""Step 2's rules (app/domain/practices/origins.py): the timeline in the order things happened."""

from __future__ import annotations

from app.domain.practices.origins import Origin, OriginKind, sortable_year, timeline_order


def _origin(when: str, kind: OriginKind, created: str, year: int | None = None) -> Origin:
    return Origin(id=created, author="a", created=created, kind=kind, when=when, year=year, happened=when)


def test_timeline_is_in_time_order() -> None:
    origins = [
        _origin("last spring", OriginKind.LIFE_EVENT, "1"),
        _origin("2015, when we moved", OriginKind.LIFE_EVENT, "2"),
        _origin("age 14", OriginKind.CHILDHOOD, "3"),
        _origin("university", OriginKind.PAST_RELATIONSHIP, "4", year=2009),
        _origin("age 9", OriginKind.CHILDHOOD, "5"),
        _origin("when I was small", OriginKind.CHILDHOOD, "6"),
    ]
    order = [o.when for o in timeline_order(origins)]
    assert order == [
        "age 9",
        "age 14",
        "when I was small",
        "university",
        "2015, when we moved",
        "last spring",
    ]
    assert sortable_year(origins[1]) == 2015
    assert sortable_year(origins[0]) is None
