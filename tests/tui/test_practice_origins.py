"""Step 2: the timeline of experiences in time order; triggers and their stories. Private until shared."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from app.domain.practices.origins import Origin, Trigger
from app.store.couple import CoupleStore
from app.tui.screens.confirm import Confirm
from app.tui.screens.feelings_form import FeelingsForm
from tests.support.files import local_private, raw
from tests.support.practices import TODAY, fill_origins
from tests.support.tui import SMALL, WIDE, fill_form, open_practice, screen_text, share_after_asking

pytestmark = pytest.mark.usefixtures("still_clocks")


async def test_an_experience_goes_on_the_timeline_privately_then_is_shared_changed_and_deleted(
    store: CoupleStore, db_path: Path, make_app
) -> None:
    alex, _ = store.partners
    store.add_entry(Origin, alex.id, private=True, kind="life_event", when="2015", happened="We moved abroad")
    store.add_entry(Origin, alex.id, private=True, kind="childhood", when="age 14", happened="A new school")
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await open_practice(pilot, 2)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FeelingsForm)
        fill_form(
            app,
            kind="childhood",
            when="age 9",
            happened="Dad left",
            mark="I keep my needs small",
            today="I apologise first",
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, FeelingsForm)

        assert "Dad left" not in db_path.read_text()
        [(origin_id, record)] = [
            (i, r) for i, r in local_private(Origin.KIND).items() if r["fields"]["happened"] == "Dad left"
        ]
        assert record["author"] == alex.id
        assert record["fields"] | {"kind": "childhood", "when": "age 9", "year": None} == record["fields"]
        shown = screen_text(app)
        # Time order: age 9, age 14 (childhood, by age), then 2015.
        assert shown.index("Dad left") < shown.index("A new school") < shown.index("We moved abroad")
        assert "I keep my needs small" in shown and "I apologise first" in shown

        list_ = app.screen.query_one("#timeline-list", OptionList)
        list_.highlighted = next(i for i, option in enumerate(list_.options) if option.id == origin_id)
        await share_after_asking(pilot)
        assert raw(db_path, Origin.KIND)[origin_id]["fields"]["happened"] == "Dad left"
        assert origin_id not in local_private(Origin.KIND)

        await pilot.press("e")
        await pilot.pause()
        fill_form(app, year="1998")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert raw(db_path, Origin.KIND)[origin_id]["fields"]["year"] == 1998

        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.click("#confirm-yes")
        await pilot.pause()
        assert raw(db_path, Origin.KIND)[origin_id]["fields"]["deleted"] is True
        assert "Dad left" not in screen_text(app)


async def test_a_year_out_of_range_keeps_the_form_open(store: CoupleStore, make_app) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await open_practice(pilot, 2)
        await pilot.press("n")
        await pilot.pause()
        fill_form(app, when="long ago", year="1066", happened="Something old")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FeelingsForm)
        assert app.screen.query_one("#practice-form-problem", Static).display
        assert app.screen.typed()["happened"] == "Something old"
        fill_form(app, year="")  # an empty year is fine: it is optional
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, FeelingsForm)
    [record] = local_private(Origin.KIND).values()
    assert record["fields"]["year"] is None and record["fields"]["when"] == "long ago"


async def test_a_trigger_with_its_story_is_added_with_the_mouse_and_shared(
    store: CoupleStore, db_path: Path, make_app
) -> None:
    alex, _ = store.partners
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await open_practice(pilot, 2)
        assert app.screen.query_one("#triggers-empty", Static).display
        await pilot.click("#triggers-add")
        await pilot.pause()
        assert isinstance(app.screen, FeelingsForm)
        fill_form(app, trigger="A door closed hard", story="Silence for days", helps="Say you'll be back")
        await pilot.click("#form-save")
        await pilot.pause()
        [(trigger_id, record)] = local_private(Trigger.KIND).items()
        assert record["author"] == alex.id and record["fields"]["story"] == "Silence for days"
        assert "A door closed hard" not in db_path.read_text()
        assert "Say you'll be back" in screen_text(app)
        app.screen.query_one("#triggers-list", OptionList).focus()
        await share_after_asking(pilot)
        assert raw(db_path, Trigger.KIND)[trigger_id]["fields"]["helps"] == "Say you'll be back"


def test_practice_tab(store: CoupleStore, make_app, snap_compare) -> None:
    """The practice tab as drawn at 100x40: look at its SVG in __snapshots__/ before --snapshot-update."""
    fill_origins(store)
    assert snap_compare(make_app(store, today=TODAY), press=["2", "p"], terminal_size=(100, 40))
