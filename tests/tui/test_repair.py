"""Forgiveness: a repair conversation, each partner's half written apart and kept in one record."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from app.domain.repair import Repair
from app.store.couple import CoupleStore
from app.tui.screens.repair import RepairForm, RepairScreen
from tests.support.tui import WIDE, screen_text

TODAY = dt.date(2026, 11, 21)


async def open_repairs(app, pilot) -> None:
    await pilot.pause()
    app.action_repair()
    await pilot.pause()
    assert isinstance(app.screen, RepairScreen)


def repair_records(db_path: Path) -> dict[str, dict]:
    return json.loads(db_path.read_text(encoding="utf-8")).get("repair", {})


async def test_a_repair_is_started_and_each_half_written_on_its_own_machine(
    store: CoupleStore, db_path: Path, make_app, other_machine
) -> None:
    alex, sam = store.partners
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await open_repairs(app, pilot)
        assert "No repair conversations yet" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, RepairForm)
        await pilot.press(*"Holidays")
        await pilot.press("tab", "down", "enter")  # the first feeling word on the list
        await pilot.pause()
        await pilot.click("#part-view")
        await pilot.press(*"Left out")
        await pilot.click("#part-apology")
        await pilot.press(*"Sorry")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RepairScreen)
        [raw] = repair_records(db_path).values()
        assert raw["author"] == alex.id
        fields = raw["fields"]
        assert fields["about"] == "Holidays"
        assert fields["day"] == TODAY.isoformat()
        assert fields[f"view.{alex.id}"] == "Left out"
        assert fields[f"apology.{alex.id}"] == "Sorry"
        assert fields[f"feelings.{alex.id}"] == app.content.moods[0]
        shown = screen_text(app)
        assert "Left out" in shown and "Sam hasn't written their half yet" in shown

    sams = other_machine(db_path)
    app = make_app(sams, sam.id, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await open_repairs(app, pilot)
        assert "Left out" in screen_text(app)  # Alex's half, read on Sam's machine
        await pilot.press("e")
        await pilot.pause()
        assert "Sorry" in screen_text(app)  # the apology Sam is answering
        await pilot.click("#part-view")
        await pilot.press(*"We agreed")
        await pilot.click("#part-response")
        await pilot.press("down", "enter")  # I accept it
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    [raw] = repair_records(db_path).values()
    fields = raw["fields"]
    assert fields[f"view.{alex.id}"] == "Left out"
    assert fields[f"view.{sam.id}"] == "We agreed"
    assert fields[f"response.{sam.id}"] == "accepted"
    assert raw["author"] == alex.id and fields["edited_by"] == sam.id
    store.refresh()  # Alex's machine takes in what Sam wrote
    [repair] = store.records(Repair)
    assert repair.half(sam.id)["response"] == "accepted"
    assert repair.half(alex.id)["view"] == "Left out"


async def test_at_one_keyboard_each_writes_their_own_half(
    store: CoupleStore, db_path: Path, make_app
) -> None:
    alex, sam = store.partners
    store.save_half(alex.id, {"view": "I felt rushed"}, about="Leaving late", day=TODAY)
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await open_repairs(app, pilot)
        await pilot.press("w")
        await pilot.pause()
        shown = screen_text(app)
        assert "Alex's half" in shown and "I felt rushed" in shown
        assert "Sam hasn't written" not in shown and "Your half" in shown
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#part-next_time").focus()  # below the fold: as tabbing down to it would
        await pilot.pause()
        await pilot.press(*"Pack early", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RepairScreen)
    [repair] = store.records(Repair)
    assert repair.view == {alex.id: "I felt rushed"}
    assert repair.next_time == {sam.id: "Pack early"}


async def test_a_repair_is_deleted_after_asking(store: CoupleStore, db_path: Path, make_app) -> None:
    alex, _ = store.partners
    store.save_half(alex.id, {"view": "words"}, about="Dinner that went cold", day=TODAY)
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await open_repairs(app, pilot)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("enter")  # the dialog starts on "No": a stray Enter keeps it
        await pilot.pause()
        assert store.records(Repair)
        await pilot.press("x")
        await pilot.pause()
        await pilot.click("#confirm-yes")
        await pilot.pause()
        assert "No repair conversations yet" in screen_text(app)
    [raw] = repair_records(db_path).values()
    assert raw["fields"]["deleted"] is True


async def test_the_palette_opens_repair_conversations(store: CoupleStore, make_app) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Repair conversation")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RepairScreen)


async def test_step_7s_practice_leads_to_repair_conversations(store: CoupleStore, make_app) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("7", "p")
        await pilot.pause()
        assert "guided repair conversation" in screen_text(app)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RepairScreen)
