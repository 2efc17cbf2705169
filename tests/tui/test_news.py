""" "New from Sam since you last looked": what the partner wrote from another machine or process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from textual.widgets import Static

from app.domain.models import StepStatus
from app.store.couple import CoupleStore
from app.store.local import LocalState
from tests.support.today import TODAY
from tests.support.tui import SMALL, WIDE, news_shown, screen_text

HEADING = "New from Sam since you last looked"


async def test_news_from_another_machine_appears_after_reload(
    store: CoupleStore, db_path: Path, make_app, other_machine
) -> None:
    alex, sam = store.partner_named("Alex"), store.partner_named("Sam")
    walk = store.add_celebration(alex.id, "Walk by the river", day=TODAY)
    proposed = store.add_agreement(alex.id, "Rest on Sundays")
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert news_shown(app) == ""  # the first look: nothing is "new" yet
        there = other_machine(db_path)
        there.add_celebration(sam.id, "Cooked together", day=TODAY)
        there.react(walk.id, sam.id, "lovely")
        there.sign(proposed.id, sam.id)
        there.set_progress(sam.id, 3, StepStatus.PRACTISING)
        there.check_in(sam.id, 4, day=TODAY)
        assert app.reload()
        await pilot.pause()
        await pilot.pause()
        shown = news_shown(app)
        assert shown.split("\n") == [
            "• Sam checked in (Close)",
            "• Sam is now Practising on step 3: Communicate openly",
            "• Sam signed: Rest on Sundays",
            "• Sam reacted to a celebration: Walk by the river",
            "• Sam logged a celebration: Cooked together",
        ]
        assert HEADING in screen_text(app)
        await pilot.click("#news-heading-beside .news-seen")  # "Got it"
        await pilot.pause()
        assert news_shown(app) == "" and HEADING not in screen_text(app)


async def test_news_found_while_narrow_shows_beside_the_steps_once_wide(
    store: CoupleStore, db_path: Path, make_app, other_machine
) -> None:
    """The news beside the steps is made when the terminal first grows wide enough: filled in."""
    sam = store.partner_named("Sam")
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        other_machine(db_path).add_celebration(sam.id, "Cooked together", day=TODAY)
        assert app.reload()
        await pilot.pause()
        await pilot.pause()
        below = app.screen.query_one("#news-below", Static)
        assert str(below.render()) == "• Sam logged a celebration: Cooked together"
        await pilot.resize_terminal(*WIDE)
        await pilot.pause()
        await pilot.pause()
        assert news_shown(app) == "• Sam logged a celebration: Cooked together"
        assert HEADING in screen_text(app) and below.region.height == 0


async def test_news_waits_for_the_next_time_the_dashboard_opens(
    store: CoupleStore, db_path: Path, make_app, other_machine
) -> None:
    sam = store.partner_named("Sam")
    first = make_app(store, today=TODAY)
    async with first.run_test(size=WIDE) as pilot:
        await pilot.pause()
    seen = store.last_seen()
    assert seen == (store.newest_stamp() or "")
    other_machine(db_path).add_celebration(sam.id, "Said sorry first", day=TODAY)

    again = make_app(CoupleStore(db_path, LocalState(store.local.path)), today=TODAY)
    async with again.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert news_shown(again) == "• Sam logged a celebration: Said sorry first"
    third = make_app(CoupleStore(db_path, LocalState(store.local.path)), today=TODAY)
    async with third.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert news_shown(third) == ""  # shown once already: no longer new


async def test_news_written_by_another_process(store: CoupleStore, db_path: Path, make_app, tmp_path) -> None:
    """The partner's `kintsugi` run as a separate process, with its own local file."""
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        env = {**os.environ, "KINTSUGI_LOCAL": str(tmp_path / "sam-machine" / "local.json")}
        done = subprocess.run(
            [sys.executable, "-m", "app", "--db", str(db_path), "--as", "Sam", "celebrate", "[b]Danced\x07"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            cwd=Path(__file__).resolve().parents[2],
        )
        assert done.returncode == 0, done.stderr
        app.reload()
        await pilot.pause()
        await pilot.pause()
        assert news_shown(app) == "• Sam logged a celebration: [b]Danced\\x07"
    # Only the couple's file was shared: this machine's own file says it is Alex's.
    local = json.loads(store.local.path.read_text(encoding="utf-8"))
    assert local["files"][store.file_id]["me"] == store.partner_named("Alex").id


async def test_the_news_is_about_whoever_is_not_writing(
    store: CoupleStore, db_path: Path, make_app, other_machine
) -> None:
    alex = store.partner_named("Alex")
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        other_machine(db_path, "alex-laptop").add_celebration(alex.id, "Fixed the bike", day=TODAY)
        app.reload()
        await pilot.pause()
        assert news_shown(app) == ""  # Alex is writing: Alex's own changes are not news to Alex
        await pilot.press("w")
        await pilot.pause()
        await pilot.pause()
        assert news_shown(app) == "• Alex logged a celebration: Fixed the bike"
        assert "New from Alex since you last looked" in screen_text(app)
