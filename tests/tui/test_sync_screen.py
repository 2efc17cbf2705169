"""The "Our file" screen: words both partners wrote apart, and merging a copy by hand."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from textual.widgets import Input

from app.domain.models import Agreement, CheckIn
from app.store.couple import CoupleStore
from app.store.local import LocalState
from app.store.sync import sync_with
from app.tui.screens.checkin import CheckInDialog
from tests.support.app import notified
from tests.support.tui import SMALL, WIDE, screen_text, words_within


def sams_copy(store: CoupleStore, tmp_path: Path) -> tuple[Path, CoupleStore]:
    copy = tmp_path / "sams" / "couple.json"
    copy.parent.mkdir()
    shutil.copy(store.path, copy)
    return copy, CoupleStore(copy, LocalState(tmp_path / "sam.json"))


async def test_restore_the_words_the_partner_wrote(
    store: CoupleStore, db_path: Path, make_app, tmp_path
) -> None:
    alex, sam = store.partners
    agreement = store.add_agreement(alex.id, "We talk on Sundays")
    copy, sams = sams_copy(store, tmp_path)
    sams.update(Agreement, agreement.id, sam.id, text="We talk on [b]Sunday[/b] mornings")
    store.update(Agreement, agreement.id, alex.id, text="We talk on Sunday evenings")
    sync_with(store, copy)
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("f")
        await pilot.pause()
        shown = screen_text(app)
        assert "We talk on Sunday evenings" in shown and "We talk on [b]Sunday[/b] mornings" in shown
        await pilot.press("r")
        await pilot.pause()
        assert "Nothing is waiting here" in screen_text(app)
    fields = json.loads(db_path.read_text())["agreement"][agreement.id]["fields"]
    assert fields["text"] == "We talk on [b]Sunday[/b] mornings"


async def test_merge_a_copy_by_path(store: CoupleStore, db_path: Path, make_app, tmp_path) -> None:
    copy, sams = sams_copy(store, tmp_path)
    sams.add_celebration(store.partners[1].id, "Sam fixed the bike")
    app = make_app(store)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.press("f")
        await pilot.pause()
        await pilot.click("#merge-path")
        await pilot.press(*str(copy), "enter")
        await pilot.pause()
        assert any("1 new celebration" in str(n.message) for n in notified(app))
    titles = [r["fields"]["title"] for r in json.loads(db_path.read_text())["celebration"].values()]
    assert titles == ["Sam fixed the bike"]


async def test_the_first_tab_reaches_the_path_field_and_what_is_typed_stays_in_it(
    store: CoupleStore, db_path: Path, make_app, other_machine
) -> None:
    """A path holds letters that are keys elsewhere (w switches the writer, k checks in): typed
    after the first Tab, they all go into the field, and it keeps them when the file changes."""
    alex, sam = store.partners
    app = make_app(store)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("f")
        await pilot.pause()
        field = app.screen.query_one("#merge-path", Input)
        assert app.focused is None  # nothing waits to be restored: no field takes keys unasked
        await pilot.press("tab")
        await pilot.press(*"/home/work/kit/couple")
        await pilot.pause()
        assert app.focused is field and field.value == "/home/work/kit/couple"
        assert app.acting == alex.id and app.current_mode == "sync"
        assert not isinstance(app.screen, CheckInDialog)
        other_machine(db_path).add_celebration(sam.id, "Meanwhile, on Sam's machine")
        app.take_in_changes()  # the partner's change comes in while Alex types
        await pilot.pause()
        await pilot.press(*".json")
        assert app.focused is field and field.value == "/home/work/kit/couple.json"


async def test_copies_left_where_they_are_are_listed_with_why_and_what_to_do(
    store: CoupleStore, db_path: Path, make_app, tmp_path
) -> None:
    """Not a couple's file, or another couple's: left alone, told once, and listed on "Our file"."""
    torn = db_path.with_name("couple (Sam's conflicted copy 2026-11-21).json")
    torn.write_text('{"partner": {', encoding="utf-8")
    strangers = CoupleStore(tmp_path / "them" / "couple.json", LocalState(tmp_path / "them.json"))
    strangers.init("Robin", "Kim")
    shutil.copy(strangers.path, db_path.with_name("couple 2.json"))
    app = make_app(store)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.press("f")
        await pilot.pause()
        app.take_in_changes()  # what the file watcher calls
        await pilot.pause()
        told = [str(n.message) for n in notified(app)]
        assert sum("Our file (f) says what to do." in line for line in told) == 2
        app.clear_notifications()  # the toasts cover the lower part of the page
        await pilot.pause()
        shown = words_within(app, app.screen.query_one("#left-copies"))
        assert "Copies left where they are" in screen_text(app)
        assert f"{torn.name} was left as it is: it is not valid JSON" in shown
        assert "What to do: open it to see what it holds." in shown
        assert "couple 2.json is another couple's file; it was left as it is." in shown
        assert "What to do: it belongs with another notebook, so nothing was merged from it." in shown
        app.take_in_changes()  # the next change in the folder: not told again
        await pilot.pause()
        assert not notified(app)
        assert torn.exists()  # left where it is
        await pilot.resize_terminal(*SMALL)
        await pilot.pause()
        page = app.screen.query_one("#sync-page")
        await pilot.press("end")  # nothing is focused: the page's keys scroll it all the same
        await pilot.pause()
        assert page.scroll_y == page.max_scroll_y > 0


async def test_words_written_on_both_sides_say_whose_record_and_what_kind(
    store: CoupleStore, make_app, tmp_path
) -> None:
    alex, sam = store.partners
    checkin = store.check_in(alex.id, 3, note="tired")
    walk = store.add_celebration(alex.id, "A walk")
    store.react(walk.id, sam.id, "lovely")
    copy, sams = sams_copy(store, tmp_path)
    sams.update(CheckIn, checkin.id, alex.id, note="tired but fine")  # Alex on Sam's laptop, say
    sams.react(walk.id, sam.id, "so lovely")
    store.update(CheckIn, checkin.id, alex.id, note="tired and sore")
    store.react(walk.id, sam.id, "the best")
    sync_with(store, copy)
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("f")
        await pilot.pause()
        shown = screen_text(app)
        assert "Alex's check-in, its note" in shown
        assert "Alex's celebration, Sam's reaction" in shown
        assert "Checkin" not in shown and sam.id not in shown
