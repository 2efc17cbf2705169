"""Step 5: small commitments, kept day by day with one key, counted without punishing a missed day."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from app.content import Content
from app.domain.practices.trust import Commitment, CommitmentKept
from app.store.couple import CoupleStore
from app.tui.screens.confirm import Confirm
from app.tui.screens.practice_form import PracticeForm
from tests.support.files import raw
from tests.support.practices import TODAY, days_ago, fill_trust
from tests.support.tui import WIDE, fill_form, screen_text


async def test_a_commitment_is_made_changed_and_deleted(
    store: CoupleStore, db_path: Path, content: Content, make_app
) -> None:
    alex, sam = store.partners
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("5", "p", "n")
        await pilot.pause()
        assert isinstance(app.screen, PracticeForm)
        fill_form(app, partner=sam.id, what="Walk together", often="weekly:6")
        await pilot.press("ctrl+s")
        await pilot.pause()
        [(commitment_id, record)] = raw(db_path, Commitment.KIND).items()
        assert record["author"] == alex.id
        fields = record["fields"]
        assert (fields["partner"], fields["what"], fields["frequency"], fields["weekday"]) == (
            sam.id,
            "Walk together",
            "weekly",
            6,
        )
        assert fields["since"] == TODAY.isoformat()
        shown = screen_text(app)
        assert "Sam keeps this · every Sunday" in shown
        assert content.text("practice_trust.just_begun") in shown

        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#form-often").value == "weekly:6"
        fill_form(app, often="times:3")
        await pilot.press("ctrl+s")
        await pilot.pause()
        fields = raw(db_path, Commitment.KIND)[commitment_id]["fields"]
        assert (fields["frequency"], fields["times"], fields["since"]) == (
            "times_a_week",
            3,
            TODAY.isoformat(),
        )
        assert "3 times a week" in screen_text(app)

        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("escape")  # kept after all
        await pilot.pause()
        assert raw(db_path, Commitment.KIND)[commitment_id]["fields"]["deleted"] is False
        await pilot.press("x")
        await pilot.pause()
        await pilot.click("#confirm-yes")
        await pilot.pause()
        assert raw(db_path, Commitment.KIND)[commitment_id]["fields"]["deleted"] is True


async def test_space_marks_today_kept_and_again_unmarks_it(
    store: CoupleStore, db_path: Path, content: Content, make_app
) -> None:
    alex, _ = store.partners
    promise = store.create(Commitment, alex.id, partner=alex.id, what="Text when late", since=days_ago(3))
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("5", "p")
        await pilot.pause()
        assert isinstance(app.focused, OptionList)
        await pilot.press("space")
        await pilot.pause()
        record_id = store.kept_id(promise.id, TODAY)
        kept = raw(db_path, CommitmentKept.KIND)
        assert list(kept) == [record_id]
        fields = kept[record_id]["fields"]
        assert (fields["commitment_id"], fields["day"], fields["deleted"]) == (
            promise.id,
            TODAY.isoformat(),
            False,
        )
        shown = screen_text(app)
        assert "kept 1 of the last 4 days" in shown and content.text("practice_trust.kept_today") in shown

        await pilot.press("space")  # a slip of the finger: un-marked, a tombstone
        await pilot.pause()
        assert raw(db_path, CommitmentKept.KIND)[record_id]["fields"]["deleted"] is True
        shown = screen_text(app)
        assert "kept 0 of the last 3 days" in shown  # today is still open: not counted against anyone
        assert content.text("practice_trust.kept_today") not in shown

        await pilot.press("y")  # yesterday slipped by unmarked
        await pilot.pause()
        fields = raw(db_path, CommitmentKept.KIND)[store.kept_id(promise.id, days_ago(1))]["fields"]
        assert fields["day"] == days_ago(1).isoformat() and fields["deleted"] is False


async def test_a_gap_is_shown_gently_and_nothing_resets(
    store: CoupleStore, content: Content, make_app
) -> None:
    alex, sam = store.partners
    promise = store.create(Commitment, alex.id, partner=sam.id, what="Goodnight text", since=days_ago(40))
    for offset in range(10, 28):  # kept for 18 days, then a gap of nine
        store.toggle_kept(promise.id, days_ago(offset), sam.id)
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("5", "p")
        await pilot.pause()
        shown = screen_text(app)
        assert "kept 18 of the last 27 days" in shown
        assert content.text("practice_trust.resume", kept=18) in shown
        assert "streak" not in shown.lower()
        row = "●" * 7
        assert row in shown  # the kept weeks, mark by mark
        await pilot.press("space")
        await pilot.pause()
        shown = screen_text(app)
        assert "kept 19 of the last 28 days" in shown  # picked up again: everything kept still counts
        assert content.text("practice_trust.resume", kept=19) not in shown


async def test_the_kept_button_and_the_palette_mark_a_day_too(
    store: CoupleStore, db_path: Path, make_app
) -> None:
    alex, _ = store.partners
    promise = store.create(Commitment, alex.id, partner=alex.id, what="Text when late", since=days_ago(3))
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("5", "p")
        await pilot.pause()
        await pilot.click("#kept-yesterday")
        await pilot.pause()
        assert (
            raw(db_path, CommitmentKept.KIND)[store.kept_id(promise.id, days_ago(1))]["fields"]["deleted"]
            is False
        )
        commands = {title: callback for title, callback, _ in app.screen.practice_commands()}
        commands["Kept today: Text when late"]()
        await pilot.pause()
        assert (
            raw(db_path, CommitmentKept.KIND)[store.kept_id(promise.id, TODAY)]["fields"]["deleted"] is False
        )


def test_practice_tab(store: CoupleStore, make_app, snap_compare) -> None:
    """The practice tab as drawn at 100x40: look at its SVG in __snapshots__/ before --snapshot-update."""
    fill_trust(store)
    assert snap_compare(make_app(store, today=TODAY), press=["5", "p"], terminal_size=(100, 40))
