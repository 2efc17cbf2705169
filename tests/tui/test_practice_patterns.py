"""Step 7: the pattern log (shared), and each partner's boundaries and time for myself (both can see)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from app.content import Content
from app.domain.practices.patterns import Boundary, Pattern, SpaceWish
from app.store.couple import CoupleStore
from app.tui.screens.practice_form import PracticeForm
from tests.support.files import raw
from tests.support.practices import TODAY, fill_patterns
from tests.support.tui import WIDE, fill_form, screen_text


async def test_a_pattern_is_mapped_changed_and_deleted(store: CoupleStore, db_path: Path, make_app) -> None:
    alex, sam = store.partners
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("7", "p", "n")
        await pilot.pause()
        assert isinstance(app.screen, PracticeForm)
        fill_form(
            app,
            trigger="Plans change late",
            old_reaction="I go quiet",
            cost="A cold evening",
            new_response="Say I need ten minutes",
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        [(pattern_id, record)] = raw(db_path, Pattern.KIND).items()
        assert record["author"] == alex.id
        assert (
            record["fields"]
            | {
                "trigger": "Plans change late",
                "old_reaction": "I go quiet",
                "cost": "A cold evening",
                "new_response": "Say I need ten minutes",
            }
            == record["fields"]
        )
        assert "New way: Say I need ten minutes" in screen_text(app)

        await pilot.press("w")  # the log is shared: Sam may change it too
        await pilot.pause()
        app.screen.query_one("#patterns-list", OptionList).focus()
        await pilot.press("e")
        await pilot.pause()
        fill_form(app, new_response="Hold hands, then talk")
        await pilot.press("ctrl+s")
        await pilot.pause()
        fields = raw(db_path, Pattern.KIND)[pattern_id]["fields"]
        assert fields["new_response"] == "Hold hands, then talk" and fields["edited_by"] == sam.id
        assert "by Alex · edited by Sam" in screen_text(app)

        await pilot.press("x")
        await pilot.pause()
        await pilot.click("#confirm-yes")
        await pilot.pause()
        assert raw(db_path, Pattern.KIND)[pattern_id]["fields"]["deleted"] is True


async def test_each_partner_keeps_their_own_boundaries_and_sees_the_others(
    store: CoupleStore, db_path: Path, content: Content, make_app
) -> None:
    alex, sam = store.partners
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.press("7", "p")
        await pilot.pause()
        await pilot.click("#boundaries-add")
        await pilot.pause()
        fill_form(app, text="An hour to myself after work", why="I listen better after")
        await pilot.press("ctrl+s")
        await pilot.pause()
        [(boundary_id, record)] = raw(db_path, Boundary.KIND).items()
        assert record["author"] == alex.id and record["fields"]["why"] == "I listen better after"

        await pilot.press("w")
        await pilot.pause()
        shown = screen_text(app)
        assert "Alex's" in shown and "An hour to myself after work" in shown
        app.screen.query_one("#boundaries-list", OptionList).focus()
        await pilot.press("x")  # not Sam's to delete
        await pilot.pause()
        assert content.text("practice_form.not_yours", name="Alex") in screen_text(app)
        assert raw(db_path, Boundary.KIND)[boundary_id]["fields"]["deleted"] is False

        await pilot.press("n")
        await pilot.pause()
        fill_form(app, text="No reading my messages")
        await pilot.press("enter")
        await pilot.pause()
        authors = {r["fields"]["text"]: r["author"] for r in raw(db_path, Boundary.KIND).values()}
        assert authors == {"An hour to myself after work": alex.id, "No reading my messages": sam.id}
        shown = screen_text(app)
        assert shown.index("Yours") < shown.index("No reading my messages") < shown.index("Alex's")


async def test_time_for_myself_is_added_seen_and_deleted(store: CoupleStore, db_path: Path, make_app) -> None:
    alex, sam = store.partners
    store.create(SpaceWish, sam.id, what="A long walk with a podcast", how_often="Sunday mornings")
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("7", "p")
        await pilot.pause()
        assert "Sam's" in screen_text(app) and "Sunday mornings" in screen_text(app)
        await pilot.click("#space-add")
        await pilot.pause()
        fill_form(app, what="Climbing with friends", how_often="once a week")
        await pilot.press("enter")
        await pilot.pause()
        mine = next(r for r in raw(db_path, SpaceWish.KIND).items() if r[1]["author"] == alex.id)
        assert (
            mine[1]["fields"] | {"what": "Climbing with friends", "how_often": "once a week"}
            == mine[1]["fields"]
        )
        app.screen.query_one("#space-list", OptionList).focus()
        await pilot.pause()
        assert "Climbing with friends" in str(
            app.screen.query_one("#space-list", OptionList).highlighted_option.prompt
        )
        await pilot.press("x")
        await pilot.pause()
        await pilot.click("#confirm-yes")
        await pilot.pause()
        assert raw(db_path, SpaceWish.KIND)[mine[0]]["fields"]["deleted"] is True
        assert "Climbing with friends" not in screen_text(app)


def test_practice_tab(store: CoupleStore, make_app, snap_compare) -> None:
    """The practice tab as drawn at 100x40: look at its SVG in __snapshots__/ before --snapshot-update."""
    fill_patterns(store)
    assert snap_compare(make_app(store, today=TODAY), press=["7", "p"], terminal_size=(100, 40))
