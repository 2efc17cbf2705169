"""Our machines on "Our file": who can read the notebook, letting a machine in, sealing, where a change
was typed; and the dashboard telling of a machine waiting."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.machines import words_for
from app.domain.wordlist import WORDS
from app.store.couple import CoupleStore
from app.store.joining import ask_to_join, is_let_in, recover
from app.tui.screens.dashboard import DashboardScreen
from app.tui.screens.let_in import LetInDialog
from app.tui.screens.recovery_code import RecoveryCodeScreen
from app.tui.screens.sync import SyncScreen
from tests.support.app import notified
from tests.support.machines import let_in
from tests.support.tui import WIDE, screen_text, words_within


def words_of(store: CoupleStore) -> str:
    return " ".join(words_for(store.keyring.sign_key, store.keyring.box_key, list(WORDS)))


@pytest.fixture
def alex(db_path: Path) -> CoupleStore:
    store = CoupleStore(db_path)
    store.init("Alex", "Sam", sealed=True)
    return store


def told(app) -> list[str]:
    return [str(n.message) for n in notified(app)]


async def open_our_file(pilot) -> str:
    """Our file (f), its page's words (however they wrap), toasts out of the way."""
    await pilot.press("f")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SyncScreen)
    pilot.app.clear_notifications()
    await pilot.pause()
    return words_within(pilot.app, pilot.app.screen.query_one("#sync-page"))


async def test_a_waiting_machine_is_told_once_and_let_in_from_our_file(
    alex: CoupleStore, db_path: Path, other_machine, make_app
) -> None:
    sams = other_machine(db_path, "sam")
    ask_to_join(sams)  # what Sam's app did on its join screen
    app = make_app(alex)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert told(app) == ["A machine asks to join: compare its words on Our file (f)."]
        app.take_in_changes()  # the next change to the file: not told again
        await pilot.pause()
        assert len(told(app)) == 1, told(app)
        shown = await open_our_file(pilot)
        assert "Sealed: only the machines you let in can read your notebook." in shown
        assert f"This machine, Alex's: {words_of(alex)}" in shown
        assert f"A machine asking to join: {words_of(sams)}" in shown
        assert not is_let_in(sams)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, LetInDialog)
        dialog = words_within(app, app.screen.query_one(".sealing-card"))
        assert "Let it in only when the words on its own screen are these very words" in dialog
        assert words_of(sams) == words_within(app, app.screen.query_one(".words"))
        await pilot.press("enter")  # "Not now" has the focus: a stray Enter lets nothing in
        await pilot.pause()
        assert isinstance(app.screen, SyncScreen) and not is_let_in(sams)
        await pilot.press("i")
        await pilot.pause()
        await pilot.click("#let-in-1")  # "It is Sam's"
        await pilot.pause()
        assert "Sam's machine is let in: it opens your notebook now." in told(app)
        shown = words_within(app, app.screen.query_one("#sync-page"))
        assert f"Sam's machine: {words_of(sams)}" in shown
        assert "Waiting to be let in" not in shown and "i Let in" not in screen_text(app)
    assert is_let_in(sams)
    sams.load()
    assert sams.this_machine().partner == alex.partner_named("Sam").id


async def test_a_machine_that_says_whose_it_is_is_told_and_listed_so(
    store: CoupleStore, db_path: Path, other_machine, make_app
) -> None:
    """A plain notebook Sam opened on her own laptop: Alex's app has not compared its words yet."""
    sams = other_machine(db_path, "sam")
    sams.set_me(store.partner_named("Sam").id)
    app = make_app(store)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.pause()
        assert told(app) == [
            "A machine that says it is Sam's asks to be let in: compare its words on Our file (f)."
        ]
        shown = await open_our_file(pilot)
        assert "Plain: anyone with the file can read your notebook. Press s to seal it" in shown
        assert f"A machine that says it is Sam's: {words_of(sams)}" in shown


async def test_where_the_newest_change_was_typed(
    alex: CoupleStore, db_path: Path, other_machine, make_app
) -> None:
    sams = other_machine(db_path, "sam")
    let_in(alex, sams)
    sam = sams.partner_named("Sam").id
    sams.add_celebration(sam, "From Sam's own laptop")
    alex.refresh()
    app = make_app(alex)
    async with app.run_test(size=WIDE) as pilot:
        shown = await open_our_file(pilot)
        assert "The newest change is Sam's, typed at Sam's own machine, from" in shown
        alex.add_celebration(sam, "Written as Sam, at Alex's keyboard")
        app.take_in_changes()
        await pilot.pause()
        shown = words_within(app, app.screen.query_one("#sync-page"))
        assert "The newest change is Sam's, typed at this machine, from" in shown
    app = make_app(sams)
    async with app.run_test(size=WIDE) as pilot:
        shown = await open_our_file(pilot)
        assert "The newest change is Sam's, typed at Alex's keyboard, from" in shown


async def test_a_plain_notebook_is_sealed_from_our_file_and_its_code_shown_once(
    store: CoupleStore, db_path: Path, other_machine, make_app
) -> None:
    sams = other_machine(db_path, "sam")
    sams.set_me(store.partner_named("Sam").id)
    store.add_celebration(store.partners[0].id, "Our Gingerbread walk")
    app = make_app(store)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await open_our_file(pilot)
        await pilot.press("s")  # Sam's machine has not been let in: it could not open a sealed file
        await pilot.pause()
        assert any("Sam's Kintsugi could not open a sealed file yet" in line for line in told(app))
        assert not store.sealed and not isinstance(app.screen, RecoveryCodeScreen)
        await pilot.press("i")
        await pilot.pause()
        await pilot.click("#let-in-1")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, RecoveryCodeScreen)
        code = " ".join(words_within(app, app.screen.query_one("#recovery-words")).split())
        words = [word for word in code.split() if not word.rstrip(".").isdigit()]
        await pilot.click("#recovery-written")
        await pilot.pause()
        shown = words_within(app, app.screen.query_one("#sync-page"))
        assert "Sealed: only the machines you let in can read your notebook." in shown
        assert "s Seal" not in screen_text(app)
    assert store.sealed and "Gingerbread" not in db_path.read_text()
    sams.refresh()
    assert [c.title for c in sams.celebrations()] == ["Our Gingerbread walk"]  # Sam's machine opens it
    lost = other_machine(db_path, "new-laptop")
    recover(lost, " ".join(words), "Alex")
    assert [c.title for c in lost.celebrations()] == ["Our Gingerbread walk"]
