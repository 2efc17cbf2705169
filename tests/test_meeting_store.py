"""The weekly talk in the store (app/store/meeting.py): one record, its agreement proposed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.domain.meeting import Meeting
from app.domain.models import AgreementStatus
from app.store.couple import CoupleStore
from app.store.storage import StoreError
from tests.support.files import records

TODAY = dt.date.today()


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
    [saved] = records(db_path, "meeting")
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
    assert records(db_path, "meeting") == [] and records(db_path, "agreement") == []


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
