"""First run (no file yet) and a second machine (a file but no identity here)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from textual.widgets import Button, Input

from app.store.couple import CoupleStore
from app.store.joining import recover
from app.store.storage import StoreError
from app.tui import screens
from app.tui.screens.celebrate_dialog import CelebrateDialog
from app.tui.screens.dashboard import DashboardScreen
from app.tui.screens.identify import IdentifyScreen
from app.tui.screens.onboarding import OnboardingScreen
from app.tui.screens.recovery_code import RecoveryCodeScreen
from tests.support.app import notified
from tests.support.tui import WIDE, screen_text, words_within


async def test_onboarding_creates_the_couple_and_opens_the_dashboard(db_path: Path, make_app) -> None:
    store = CoupleStore(db_path)
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, OnboardingScreen)
        assert app.focused is app.screen.query_one("#me-name", Input)
        await pilot.press(*"Alex", "enter")  # enter moves on to the partner's name
        await pilot.press(*"Sam", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RecoveryCodeScreen)  # the new notebook is sealed: its code, once
        await pilot.press("enter")  # "I've written them down"
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        shown = screen_text(app)
        assert "Alex" in shown and "Sam" in shown
        assert "Writing as Alex" in shown
    assert '"Alex"' not in db_path.read_text()
    assert sorted(p.name for p in CoupleStore(db_path).partners) == ["Alex", "Sam"]  # this machine opens it
    assert store.me is not None and store.me.name == "Alex"


async def test_a_new_notebook_is_sealed_and_its_recovery_code_is_shown_once(
    db_path: Path, make_app, other_machine
) -> None:
    """The twelve words on the screen open the notebook on a machine never let in; nothing keeps them."""
    store = CoupleStore(db_path)
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press(*"Alex", "enter", *"Sam", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RecoveryCodeScreen)
        shown = words_within(app, app.screen.query_one(".sealing-card"))
        assert "Write them on paper" in shown and "Kintsugi keeps them nowhere" in shown
        words = re.findall(r"\b\d+\. +([a-z]+)", words_within(app, app.screen.query_one("#recovery-words")))
        assert len(words) == 12
        assert store.recovery_code is None  # held by the screen alone
        await pilot.press("escape", "q")  # nothing but its button sends it away
        await pilot.pause()
        assert isinstance(app.screen, RecoveryCodeScreen)
        await pilot.click("#recovery-written")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
    assert store.sealed and '"Sam"' not in db_path.read_text()  # as a JSON string: base64 may hold "Sam"
    code = " ".join(words)
    assert code not in db_path.read_text() and code not in Path(os.environ["KINTSUGI_LOCAL"]).read_text()
    lost_everything = other_machine(db_path, "new-laptop")
    recover(lost_everything, code, "Alex")
    assert [p.name for p in lost_everything.partners] == ["Alex", "Sam"]


async def test_onboarding_says_what_is_missing_and_writes_nothing(db_path: Path, make_app) -> None:
    app = make_app(CoupleStore(db_path))
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.click("#begin")
        shown = screen_text(app)
        assert "Please write your name." in shown
        assert "Please write your partner's name." in shown
        await pilot.click("#me-name")
        await pilot.press(*"Alex")
        await pilot.click("#partner-name")
        await pilot.press(*"alex")
        await pilot.click("#begin")
        assert "need different names" in screen_text(app)
        assert isinstance(app.screen, OnboardingScreen)
    assert not db_path.exists()


async def test_enter_on_an_empty_first_name_says_so_and_stays(db_path: Path, make_app) -> None:
    app = make_app(CoupleStore(db_path))
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        name = app.screen.query_one("#me-name", Input)
        assert app.focused is name  # not moved on to the partner's name
        assert "Please write your name." in screen_text(app)
        await pilot.press(*"Alex")
        await pilot.pause()
        assert "Please write your name." not in screen_text(app)
        await pilot.press("enter")
        assert app.focused is app.screen.query_one("#partner-name", Input)


async def test_keys_typed_into_a_name_stay_in_the_name(db_path: Path, make_app) -> None:
    """1-9, d, w, q and ? are app keys, but a focused Input gets printable keys first."""
    app = make_app(CoupleStore(db_path))
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press(*"Dw?q 19")
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, OnboardingScreen)
        assert app.screen.query_one("#me-name", Input).value == "Dw?q 19"


async def test_a_failed_save_keeps_the_form_as_typed(db_path: Path, make_app, monkeypatch) -> None:
    store = CoupleStore(db_path)

    def refuse(me: str, partner: str, **_: object) -> None:
        raise StoreError("folder_readonly", case="lock", path=db_path.parent)

    monkeypatch.setattr(store, "init", refuse)
    app = make_app(store)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press(*"Alex", "enter", *"Sam", "enter")
        await pilot.pause()
        assert isinstance(app.screen, OnboardingScreen)
        assert app.screen.query_one("#me-name", Input).value == "Alex"
        assert app.screen.query_one("#partner-name", Input).value == "Sam"
        messages = [n.message for n in notified(app)]
        assert f"{db_path.parent} cannot be written to." in messages
        assert "cannot be written to" in screen_text(app)


async def test_second_machine_asks_who_is_here(
    store: CoupleStore, db_path: Path, other_machine, make_app
) -> None:
    sam = store.partner_named("Sam")
    there = other_machine(db_path)
    assert there.me is None
    app = make_app(there)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, IdentifyScreen)
        assert "Which of you is at this machine?" in screen_text(app)
        labels = [str(button.label) for button in app.screen.query(Button)]
        assert labels == ["Alex", "Sam"]
        await pilot.click("#partner-1")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert "Writing as Sam" in screen_text(app)
    assert there.me is not None and there.me.id == sam.id
    assert other_machine(db_path).me.id == sam.id  # remembered in that machine's own file
    assert store.me.name == "Alex"  # and not in the shared file


async def test_acting_given_skips_the_question(
    store: CoupleStore, db_path: Path, other_machine, make_app
) -> None:
    sam = store.partner_named("Sam")
    app = make_app(other_machine(db_path), acting=sam.id)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert "Writing as Sam" in screen_text(app)


def test_starting_imports_the_dashboard_and_no_other_screen() -> None:
    code = "import sys, app.tui.app; print(*sorted(m for m in sys.modules if m.startswith('app.tui.')))"
    repo = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=repo, check=True)
    loaded = set(done.stdout.split())
    assert "app.tui.screens.dashboard" in loaded
    assert not loaded & {"app.tui.screens.step", "app.tui.screens.agreements", "app.tui.practices"}
    assert "app.tui.screens.celebrate_dialog" not in loaded  # imported once the dashboard is up


async def test_a_screen_is_imported_the_first_time_it_is_shown(store: CoupleStore, make_app) -> None:
    never = screens.Deferred("no_such_screen", "NoSuchScreen")  # importing it would fail
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, never)
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, screens.StepScreen)
        assert not isinstance(app.screen, screens.AgreementsScreen)


async def test_a_record_that_cannot_be_read_is_told_soon_after_the_app_opens(
    store: CoupleStore, db_path: Path, make_app
) -> None:
    import datetime as dt

    alex = store.partners[0].id
    today = dt.date.today()
    for n in range(5):
        store.check_in(alex, 4, day=today - dt.timedelta(days=n))
    store.check_in(alex, 2, day=today - dt.timedelta(days=200), note="long ago")
    text = db_path.read_text()
    db_path.write_text(text.replace('"long ago"', '"long \x01ago"'))  # damaged, where nothing shows it
    damaged = db_path.read_bytes()
    store = CoupleStore(db_path)
    store.load()  # opens: the damaged check-in has not been read
    app = make_app(store, alex)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        told = ""
        for _ in range(100):
            await pilot.pause(0.05)
            told = " ".join(str(n.message) for n in notified(app))
            if "not valid JSON" in told:
                break
        assert "is not valid JSON" in told and "kintsugi check --restore" in told
        assert "Alex" in screen_text(app)  # the dashboard is up, showing what reads
    assert db_path.read_bytes() == damaged


async def test_the_celebrate_dialog_opens_centred_over_the_dashboard_on_the_first_run(
    db_path: Path, make_app
) -> None:
    """A new couple's first ``c``, right after the recovery code: the dialog in the middle of the
    screen with the dashboard dimmed behind it, as on every later run (it once opened in the
    top-left corner over an empty screen, its screen's own styles never loaded)."""
    app = make_app(CoupleStore(db_path))
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press(*"Alex", "enter", *"Sam", "enter")
        await pilot.pause()
        await pilot.press("enter")  # "I've written them down"
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CelebrateDialog)
        card = app.screen.query_one("#celebrate-title").parent
        assert card is not None and card.region.x > 0 and card.region.y > 0
        assert "The nine steps" in screen_text(app)  # the dashboard behind it
