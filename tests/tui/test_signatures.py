"""How each signature stands on the agreements screen, and confirming one given together."""

from __future__ import annotations

from pathlib import Path

from app.domain.machines import Standing
from app.domain.models import Agreement, wording_key
from app.store.couple import CoupleStore
from app.tui.screens.agreements import AgreementsScreen
from tests.support.app import notified
from tests.support.machines import let_in
from tests.support.tui import WIDE, screen_text, words_within


async def detail(pilot) -> str:
    await pilot.pause()
    return words_within(pilot.app, pilot.app.screen.query_one("#agreement-detail"))


async def test_signed_together_at_alexs_keyboard_is_confirmed_from_sams_own_machine(
    store: CoupleStore, db_path: Path, other_machine, make_app
) -> None:
    sams = other_machine(db_path, "sam")
    let_in(store, sams)
    alex, sam = store.partners
    agreement = store.add_agreement(alex.id, "We take a pause when voices rise")
    store.sign(agreement.id, alex.id)
    store.sign(agreement.id, sam.id)  # "writing as Sam", at Alex's keyboard
    sams.refresh()
    app = make_app(sams)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.press("a")
        shown = await detail(pilot)
        assert isinstance(app.screen, AgreementsScreen)
        assert "Alex signed this wording" in shown and "Sam signed this wording" not in shown
        assert "Sam signed together at Alex's keyboard" in shown
        assert "Press s to confirm it from this machine, Sam's own." in shown
        assert "Confirm as Sam from this machine" in shown
        await pilot.press("w")  # Alex at Sam's machine: Sam's confirmation waits for Sam
        shown = await detail(pilot)
        assert "Sam can confirm it from this machine: w hands over to Sam, then s." in shown
        assert "Confirm as" not in shown and "s Sign" not in screen_text(app)
        await pilot.press("w", "s")
        shown = await detail(pilot)
        assert "Confirmed from this machine: Sam's own signature." in [str(n.message) for n in notified(app)]
        assert "Sam signed this wording" in shown and "together" not in shown
        assert "Confirm as" not in shown
    store.refresh()
    assert store.signature_view(store.agreement(agreement.id), sam.id).standing is Standing.OWN_MACHINE
    assert store.agreement(agreement.id).proofs[sam.id]["machine"] == sams.keyring.machine_id


async def test_signatures_that_are_not_the_signers_own_say_how_they_stand(
    store: CoupleStore, make_app
) -> None:
    alex, sam = store.partners
    agreement = store.add_agreement(alex.id, "We say sorry first")
    store.update(  # a signature from before machines signed, and one whose proof does not check out
        Agreement,
        agreement.id,
        alex.id,
        signatures={alex.id: wording_key(agreement.text), sam.id: wording_key(agreement.text)},
        proofs={sam.id: {"machine": store.keyring.machine_id, "sig": "not a signature"}},
    )
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("a")
        shown = await detail(pilot)
        assert "Alex signed before signatures were checked" in shown
        assert "Press s to confirm it from this machine, Alex's own." in shown
        assert "? Sam's signature does not check out: it was not made on a machine you let in" in shown
        assert "signed this wording" not in shown
        await pilot.press("s")  # Alex confirms from Alex's own machine
        shown = await detail(pilot)
        assert "Alex signed this wording" in shown
    assert store.signature_view(store.agreement(agreement.id), alex.id).standing is Standing.OWN_MACHINE
