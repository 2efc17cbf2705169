"""A machine not let into a sealed notebook: the app asks to join, waits, and opens once let in."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from app import cli
from app.domain.machines import words_for
from app.domain.wordlist import WORDS
from app.store.couple import CoupleStore
from app.tui.screens.dashboard import DashboardScreen
from app.tui.screens.identify import IdentifyScreen
from app.tui.screens.join import JoinScreen
from app.tui.screens.recovery import RecoveryDialog
from tests.support.tui import WIDE, screen_text, words_within


async def wait_for(pilot, condition, tries: int = 80) -> bool:
    """Let the app run until ``condition()`` holds (a bounded wait, not a timing assertion)."""
    for _ in range(tries):
        if condition():
            return True
        await pilot.pause(0.1)
    return condition()


@pytest.fixture
def alex(db_path: Path) -> CoupleStore:
    """Alex's machine, which made a sealed notebook for Alex and Sam."""
    store = CoupleStore(db_path)
    store.init("Alex", "Sam", sealed=True)
    store.add_celebration(store.partners[0].id, "Our first sealed walk")
    return store


def words_of(store: CoupleStore) -> str:
    return " ".join(words_for(store.keyring.sign_key, store.keyring.box_key, list(WORDS)))


async def test_a_machine_not_let_in_asks_to_join_and_opens_by_itself_once_let_in(
    alex: CoupleStore, db_path: Path, other_machine, make_app
) -> None:
    sams = other_machine(db_path, "sam")
    app = make_app(sams)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, JoinScreen)
        shown = words_within(app, app.screen.query_one(".sealing-card"))
        assert words_of(sams) in " ".join(words_within(app, app.screen.query_one("#join-words")).split())
        assert "press i there to let this one in" in shown
        assert "Our first sealed walk" not in screen_text(app)
        alex.refresh()  # the request is in the file: Alex's machine sees it waiting, with the same words
        (waiting,) = alex.waiting_machines()
        assert waiting.id == sams.keyring.machine_id and waiting.partner == ""
        await pilot.press("d", "1", "a")  # nothing of the notebook opens before it is let in
        await pilot.pause()
        assert isinstance(app.screen, JoinScreen)
        alex.vouch(waiting.id, alex.partner_named("Sam").id, alex.partners[0].id)
        assert await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))  # the file watcher
        assert await wait_for(pilot, lambda: "Our first sealed walk" in screen_text(app))
        assert "Writing as Sam" in screen_text(app)  # let in as Sam's: nobody asks again
        alex.add_celebration(alex.partners[0].id, "Alex, after Sam's laptop joined")
        assert await wait_for(pilot, lambda: "Alex, after Sam's laptop joined" in screen_text(app))
    assert sams.me is not None and sams.me.name == "Sam"
    assert other_machine(db_path, "sam").me.name == "Sam"  # remembered, and it opens from now on


async def test_let_in_by_a_machine_that_named_nobody_it_asks_who_is_here(
    alex: CoupleStore, db_path: Path, other_machine, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    sams = other_machine(db_path, "sam")
    app = make_app(sams)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        alex.refresh()
        (waiting,) = alex.waiting_machines()
        alex.vouch(waiting.id, alex.partner_named("Sam").id, alex.partners[0].id)
        monkeypatch.setattr(sams, "this_machine", lambda: None)  # its record says nothing of whose it is
        app.take_in_changes()
        await pilot.pause()
        assert isinstance(app.screen, IdentifyScreen)
        await pilot.click("#partner-1")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen) and "Writing as Sam" in screen_text(app)


def test_kintsugi_opens_the_app_on_a_sealed_file_it_cannot_open(
    alex: CoupleStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`kintsugi` with no command ends in the join screen, not in an error."""
    monkeypatch.setenv("KINTSUGI_LOCAL", str(tmp_path / "sam-machine" / "local.json"))
    launched: list[CoupleStore] = []
    monkeypatch.setattr(cli, "launch_tui", lambda store, acting=None: launched.append(store))
    assert cli.main([]) == 0
    assert capsys.readouterr().err == ""
    [store] = launched
    assert store.path == alex.path


async def test_every_machine_lost_the_recovery_code_opens_it_here(
    db_path: Path, other_machine, make_app
) -> None:
    first = CoupleStore(db_path)
    first.init("Alex", "Sam", sealed=True)
    code = first.recovery_code
    assert code is not None
    first.add_celebration(first.partners[0].id, "Kept through everything")
    fresh = other_machine(db_path, "new-laptop")
    app = make_app(fresh)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, JoinScreen)
        app.screen.query_one("#join-recovery").press()
        await pilot.pause()
        assert isinstance(app.screen, RecoveryDialog)
        await pilot.press(*"acorn " * 12, "enter")
        await pilot.pause()
        assert isinstance(app.screen, RecoveryDialog)
        assert "does not open this file" in words_within(app, app.screen.query_one("#recovery-problem"))
        app.screen.query_one("#recovery-code", Input).value = code.upper()  # however it is typed
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, IdentifyScreen)  # the code opened it: the names can be shown
        app.take_in_changes()  # a change to the file meanwhile waits for the choice
        await pilot.pause()
        assert isinstance(app.screen, IdentifyScreen)
        await pilot.click("#partner-0")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert "Kept through everything" in screen_text(app) and "Writing as Alex" in screen_text(app)
    again = other_machine(db_path, "new-laptop")  # no code needed from now on
    assert [c.title for c in again.celebrations()] == ["Kept through everything"]
    assert again.me is not None and again.me.name == "Alex"
