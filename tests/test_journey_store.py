"""The journey's store functions: celebrations from suggestions, reactions, meetings, and what this
machine has seen (kept in its own file, never in the couple's)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from app.domain.meeting import Meeting
from app.domain.models import AgreementStatus, Celebration, StepStatus
from app.domain.practices.trust import Commitment
from app.store import lazy
from app.store.celebrations import REACTION_MAX
from app.store.couple import CoupleStore
from app.store.local import LocalState
from app.store.storage import StoreError

TODAY = dt.date.today()


def fields(db_path: Path, kind: str) -> list[dict]:
    data = json.loads(db_path.read_text(encoding="utf-8"))
    return [raw["fields"] for raw in data.get(kind, {}).values() if not raw["fields"]["deleted"]]


def test_a_celebration_logged_from_a_suggestion_keeps_its_key(store: CoupleStore, db_path: Path) -> None:
    alex = store.partner_named("Alex")
    logged = store.add_celebration(alex.id, "Step 1, integrated", step=1, size="milestone", suggestion="k/1")
    assert logged.from_suggestion == "k/1"
    [saved] = fields(db_path, "celebration")
    assert saved["from_suggestion"] == "k/1" and saved["size"] == "milestone" and saved["step"] == 1
    with pytest.raises(StoreError):
        store.add_celebration("nobody", "x")


def test_reactions_are_one_short_text_per_partner(store: CoupleStore, db_path: Path, other_machine) -> None:
    alex, sam = store.partner_named("Alex"), store.partner_named("Sam")
    walk = store.add_celebration(alex.id, "Walk", day=TODAY)
    there = other_machine(db_path)
    there.react(walk.id, sam.id, "  so   glad  ")
    store.react(walk.id, alex.id, "me too")  # written apart from Sam's: both are kept
    store.refresh()
    assert store.get(Celebration, walk.id).reactions == {sam.id: "so glad", alex.id: "me too"}
    [saved] = fields(db_path, "celebration")
    assert saved[f"reaction.{sam.id}"] == "so glad"
    store.react(walk.id, sam.id, "")  # empty takes it away
    assert store.get(Celebration, walk.id).reactions == {alex.id: "me too"}
    with pytest.raises(StoreError, match="at most"):
        store.react(walk.id, alex.id, "x" * (REACTION_MAX + 1))
    with pytest.raises(StoreError):
        store.react("no-such-id", alex.id, "hi")
    assert store.get(Celebration, walk.id).reactions == {alex.id: "me too"}


def test_a_meeting_is_one_record_and_its_agreement_is_proposed(store: CoupleStore, db_path: Path) -> None:
    alex, sam = store.partner_named("Alex"), store.partner_named("Sam")
    meeting = store.hold_meeting(
        alex.id,
        day=TODAY,
        appreciations={alex.id: "You made tea", sam.id: " You listened "},
        went_well="Sunday walk",
        issue="Screen time",
        issue_notes="Sam heard: I feel alone at dinner.",
        needs={alex.id: "Quiet mornings", sam.id: ""},
        agreement="Phones stay in the hall at dinner",
    )
    [saved] = fields(db_path, "meeting")
    assert saved[f"appreciation.{sam.id}"] == "You listened"
    assert saved[f"need.{alex.id}"] == "Quiet mornings" and f"need.{sam.id}" not in saved
    assert saved["went_well"] == "Sunday walk" and saved["issue"] == "Screen time"
    proposed = store.agreement(meeting.agreement_id)
    assert proposed.text == "Phones stay in the hall at dinner"
    assert proposed.status([alex.id, sam.id]) == AgreementStatus.PROPOSED
    assert store.meetings() == [meeting]


def test_an_empty_meeting_is_not_saved(store: CoupleStore, db_path: Path) -> None:
    alex = store.partner_named("Alex")
    with pytest.raises(StoreError, match="nothing written"):
        store.hold_meeting(alex.id, day=TODAY, appreciations={alex.id: "  "}, needs={})
    assert fields(db_path, "meeting") == [] and fields(db_path, "agreement") == []


def test_meetings_come_newest_first(store: CoupleStore) -> None:
    alex = store.partner_named("Alex")
    for days in (14, 0, 7):
        store.hold_meeting(
            alex.id,
            day=TODAY - dt.timedelta(days=days),
            appreciations={},
            needs={},
            went_well=str(days),
        )
    assert [m.went_well for m in store.meetings()] == ["0", "7", "14"]
    assert all(isinstance(m, Meeting) for m in store.meetings())
    again = CoupleStore(store.path)
    again.load()
    last = again.latest_meeting()  # the dashboard's: the newest alone read
    assert last is not None and last.went_well == "0"
    assert repr(again.raw_table("meeting")).endswith("1 parsed, 0 changed)")


def test_dismissed_suggestions_stay_on_this_machine(store: CoupleStore, db_path: Path, other_machine) -> None:
    sam = store.partner_named("Sam")
    store.set_progress(sam.id, 2, StepStatus.INTEGRATED)
    [offered] = store.open_suggestions(TODAY)
    store.dismiss_suggestion(offered.key)
    assert store.open_suggestions(TODAY) == []
    # Remembered in this machine's own file, across restarts ...
    again = CoupleStore(db_path, LocalState(store.local.path))
    assert again.dismissed_suggestions() == {offered.key}
    assert again.open_suggestions(TODAY) == []
    # ... and nowhere in the couple's file: the partner's machine still offers it.
    assert offered.key not in db_path.read_text(encoding="utf-8")
    assert [s.key for s in other_machine(db_path).open_suggestions(TODAY)] == [offered.key]


def test_a_logged_suggestion_is_gone_on_both_machines(
    store: CoupleStore, db_path: Path, other_machine
) -> None:
    alex, sam = store.partner_named("Alex"), store.partner_named("Sam")
    agreement = store.add_agreement(alex.id, "Rest on Sundays")
    store.sign(agreement.id, alex.id)
    there = other_machine(db_path)
    assert there.open_suggestions(TODAY) == []  # one signature is not an agreement yet
    there.sign(agreement.id, sam.id)
    store.refresh()
    [offered] = store.open_suggestions(TODAY)
    assert offered.subject == "Rest on Sundays"
    store.add_celebration(alex.id, "We agreed to rest on Sundays", suggestion=offered.key)
    there.refresh()
    assert store.open_suggestions(TODAY) == [] and there.open_suggestions(TODAY) == []


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


def test_a_commitment_kept_for_a_month_is_offered_once(store: CoupleStore) -> None:
    sam = store.partner_named("Sam")
    since = TODAY - dt.timedelta(days=40)
    promise = store.create(Commitment, sam.id, partner=sam.id, what="Walk after dinner", since=since)
    # Kept on most days, with a few missed: a month counts three days in four, not a streak.
    for offset in range(40):
        if offset % 7 != 3:
            store.toggle_kept(promise.id, since + dt.timedelta(days=offset), sam.id)
    [offered] = store.open_suggestions(TODAY)
    assert offered.reason == "commitment_month" and offered.partner == sam.id
    assert offered.subject == "Walk after dinner" and offered.step == 5
    assert since + dt.timedelta(days=27) <= offered.day < TODAY  # the day the month was reached
    store.add_celebration(sam.id, "A month of walks", suggestion=offered.key)
    assert store.open_suggestions(TODAY) == []


def test_a_commitment_kept_only_now_and_then_is_not_offered(store: CoupleStore) -> None:
    sam = store.partner_named("Sam")
    since = TODAY - dt.timedelta(days=40)
    promise = store.create(Commitment, sam.id, partner=sam.id, what="Walk after dinner", since=since)
    for offset in range(0, 40, 3):
        store.toggle_kept(promise.id, since + dt.timedelta(days=offset), sam.id)
    assert store.open_suggestions(TODAY) == []


def test_the_latest_celebrations_are_the_first_of_all_of_them_and_only_they_are_read(
    store: CoupleStore, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alex, sam = (p.id for p in store.partners)
    first = dt.date(2026, 3, 1)
    for n in range(40):  # days repeat, so some share a day and are ordered by when they were logged
        store.add_celebration(alex if n % 3 else sam, f"Moment {n}", day=first + dt.timedelta(days=n % 7))
    gone = next(c for c in store.celebrations() if c.title == "Moment 6")
    store.delete(Celebration, gone.id, alex)  # the newest day's first: a tombstone is passed over
    again = CoupleStore(db_path)
    again.load()
    built: list[str] = []
    real = Celebration.from_raw.__func__

    def counted(cls: type[Celebration], record_id: str, raw: dict) -> Celebration:
        built.append(record_id)
        return real(cls, record_id, raw)

    monkeypatch.setattr(Celebration, "from_raw", classmethod(counted))
    parsed: list[object] = []
    real_loads = lazy.json.loads
    monkeypatch.setattr(
        lazy.json, "loads", lambda text, *a, **k: parsed.append(text) or real_loads(text, *a, **k)
    )
    latest = again.latest_celebrations(5)
    assert len(built) == 5  # five read as models, not forty
    assert len(parsed) == 6  # and parsed: the tombstone passed over, and the five
    assert latest == again.celebrations()[:5]
    assert "Moment 6" not in [c.title for c in latest]
    assert again.latest_celebrations(100) == again.celebrations()


def test_the_latest_celebrations_of_a_file_where_one_stores_its_day_otherwise(
    store: CoupleStore, db_path: Path
) -> None:
    alex = store.partners[0].id
    for n in range(12):
        store.add_celebration(alex, f"Moment {n}", day=dt.date(2026, 3, 1) + dt.timedelta(days=n))
    text = db_path.read_text()
    db_path.write_text(text.replace('"day": "2026-03-04"', '"day": 1900022400', 1))  # a number: 2030-03-18
    again = CoupleStore(db_path)
    again.load()
    latest = again.latest_celebrations(3)
    assert [c.title for c in latest] == ["Moment 3", "Moment 11", "Moment 10"]
    assert latest == again.celebrations()[:3]


def test_the_celebrations_logged_from_suggestions_are_found_reading_only_them(
    store: CoupleStore, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alex = store.partners[0].id
    for n in range(30):
        store.add_celebration(alex, f"Moment {n}")
    store.add_celebration(alex, "Step 1, integrated", suggestion='step-integrated/"quoted"/1')
    store.add_celebration(alex, "Agreed", suggestion="agreement-agreed/x")
    again = CoupleStore(db_path)
    again.load()
    built: list[str] = []
    real = Celebration.from_raw.__func__

    def counted(cls: type[Celebration], record_id: str, raw: dict) -> Celebration:
        built.append(record_id)
        return real(cls, record_id, raw)

    monkeypatch.setattr(Celebration, "from_raw", classmethod(counted))
    taken = again.from_suggestions()
    assert {c.from_suggestion for c in taken} == {'step-integrated/"quoted"/1', "agreement-agreed/x"}
    assert len(built) == 2  # of 32
    assert sorted(c.id for c in taken) == sorted(c.id for c in again.celebrations() if c.from_suggestion)
