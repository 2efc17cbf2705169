"""What is new in the store (app/store/news.py): what this machine last saw, kept in its own file and
never in the couple's, and the partner's news after another machine wrote."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from app.store.couple import CoupleStore
from app.store.local import LocalState

TODAY = dt.date.today()


def test_last_seen_is_kept_per_file_and_never_goes_back(store: CoupleStore, db_path: Path) -> None:
    assert store.last_seen() is None
    first = store.newest_stamp() or ""
    store.mark_seen(first)
    store.add_celebration(store.partner_named("Alex").id, "Walk", day=TODAY)
    second = store.newest_stamp() or ""
    assert second > first
    store.mark_seen(second)
    store.mark_seen(first)  # an older stamp does not move it back
    assert CoupleStore(db_path, LocalState(store.local.path)).last_seen() == second
    assert second not in json.dumps(json.loads(db_path.read_text()).get("_meta"))


def test_the_newest_stamp_takes_in_what_another_machine_wrote(
    store: CoupleStore, db_path: Path, other_machine
) -> None:
    before = store.newest_stamp() or ""
    there = other_machine(db_path)
    there.add_celebration(store.partner_named("Sam").id, "Cooked together", day=TODAY)
    assert store.newest_stamp() == there.newest_stamp() > before  # no refresh() first: it reads the file


def test_news_from_the_partner_after_another_machine_wrote(
    store: CoupleStore, db_path: Path, other_machine
) -> None:
    alex, sam = store.partner_named("Alex"), store.partner_named("Sam")
    walk = store.add_celebration(alex.id, "Walk", day=TODAY)
    since = store.newest_stamp() or ""
    there = other_machine(db_path)
    there.add_celebration(sam.id, "Cooked together", day=TODAY)
    there.react(walk.id, sam.id, "lovely")
    there.check_in(sam.id, 4, day=TODAY)
    store.refresh()
    found = store.news_from(sam.id, since)
    assert [(type(n.record).__name__, n.added) for n in found] == [
        ("CheckIn", True),
        ("Celebration", False),
        ("Celebration", True),
    ]
    assert store.news_from(alex.id, since) == []
    assert store.news_from(sam.id, store.newest_stamp() or "") == []
