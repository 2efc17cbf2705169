"""The agreements screen: propose, sign as each partner at one keyboard, change, revisit, retire, delete."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from textual.widgets import Input, Select, TextArea

from app.domain.models import wording_key
from app.store.couple import CoupleStore
from app.tui.screens.agreement_dialogs import AgreementForm, ListNameForm
from app.tui.screens.agreements import AgreementsScreen
from app.tui.screens.confirm import Confirm
from app.tui.screens.dashboard import DashboardScreen
from tests.support.app import notified
from tests.support.files import raw, records
from tests.support.tui import SMALL, WIDE, news_shown, screen_text, words_within


def shown_rows(app) -> str:
    """What the agreements list shows (the wording and status of each row)."""
    picker = app.screen.query_one("#agreement-list")
    return "\n".join(str(option.prompt) for option in picker.options)


def chosen_wording(app) -> str:
    """The wording the detail shows: the agreement chosen."""
    return str(app.screen.query_one("#detail-text").render())


async def open_agreements(pilot) -> AgreementsScreen:
    await pilot.press("a")
    await pilot.pause()
    assert isinstance(pilot.app.screen, AgreementsScreen)
    return pilot.app.screen


async def test_propose_then_both_sign_at_one_keyboard(store: CoupleStore, db_path: Path, make_app) -> None:
    alex, sam = store.partners
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await open_agreements(pilot)
        assert "Signing as Alex" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, AgreementForm)
        assert "Proposing as Alex" in screen_text(app)
        await pilot.press(*"Tea at 5", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, AgreementsScreen)
        assert "○ proposed" in shown_rows(app) and "no signatures yet" in shown_rows(app)
        await pilot.press("s")
        await pilot.pause()
        assert "signed by Alex" in shown_rows(app)
        await pilot.press("w")
        await pilot.pause()
        assert "Signing as Sam" in screen_text(app)
        assert "Sign as Sam" in screen_text(app)  # the button names who signs
        await pilot.press("s")
        await pilot.pause()
        shown = screen_text(app)
        assert "✓ agreed" in shown
        # Sam signed at Alex's machine: "together at Alex's keyboard", never as Sam's own
        assert "Alex signed this wording" in shown and "Sam signed this wording" not in shown
        assert "Sam signed together at Alex's keyboard" in shown
        assert "Sam can confirm it later on Sam's own machine, with one key." in shown
        (fields,) = records(db_path, "agreement")
        assert fields[f"signature.{alex.id}"] == fields[f"signature.{sam.id}"] == wording_key("Tea at 5")
        await pilot.press("u")  # Sam takes her signature back
        await pilot.pause()
        assert "signed by Alex" in shown_rows(app) and "✓ agreed" not in shown_rows(app)
    (fields,) = records(db_path, "agreement")
    assert fields["text"] == "Tea at 5"
    assert fields[f"signature.{alex.id}"] == wording_key("Tea at 5") and fields[f"signature.{sam.id}"] is None
    (home,) = records(db_path, "agreement_list")
    assert home["name"] == "Our agreements" and fields["list_id"] in {
        list_id for list_id in json.loads(db_path.read_text())["agreement_list"]
    }


async def test_changing_the_wording_shows_changed_and_keeps_the_old_text(
    store: CoupleStore, db_path: Path, make_app
) -> None:
    alex, sam = store.partners
    agreement = store.add_agreement(alex.id, "We pause when voices rise", list_name="How we argue")
    store.sign(agreement.id, alex.id)
    store.sign(agreement.id, sam.id)
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await open_agreements(pilot)
        assert "✓ agreed" in shown_rows(app)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, AgreementForm)
        assert form.query_one("#agreement-text", TextArea).text == "We pause when voices rise"
        form.query_one("#agreement-text", TextArea).text = "We pause, and come back within the hour"
        await pilot.press("ctrl+s")
        await pilot.pause()
        shown = screen_text(app)
        assert "≠ changed since Alex and Sam signed" in shown
        assert "Alex signed an earlier wording: changed since Alex signed" in shown
        assert "Earlier wordings" in shown
        history = app.screen.query_one("#detail-history")
        assert "We pause when voices rise" in str(history.render())
        assert "Sign as Alex" in shown  # both must sign the new wording
    stored = raw(db_path, "agreement")[agreement.id]
    assert stored["fields"]["text"] == "We pause, and come back within the hour"
    assert [entry["value"] for entry in stored["history"]["text"].values()] == ["We pause when voices rise"]


async def test_revisit_with_a_note_then_clear_it(store: CoupleStore, db_path: Path, make_app) -> None:
    alex, sam = store.partners
    agreement = store.add_agreement(sam.id, "Phones away at dinner")
    store.sign(agreement.id, alex.id)
    store.sign(agreement.id, sam.id)
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await open_agreements(pilot)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("enter")  # an empty note is not saved
        await pilot.pause()
        assert "what would you like to look at again?" in screen_text(app)
        await pilot.press(*"weekends", "enter")
        await pilot.pause()
        shown = screen_text(app)
        assert "↺ to revisit" in shown and "Let's revisit: weekends" in shown
        assert records(db_path, "agreement")[0]["revisit"] == "weekends"
        await pilot.press("r")
        await pilot.pause()
        await pilot.click("#clear")
        await pilot.pause()
        assert "to revisit" not in shown_rows(app) and "✓ agreed" in shown_rows(app)
    assert records(db_path, "agreement")[0]["revisit"] == ""


async def test_retire_and_bring_back(store: CoupleStore, db_path: Path, make_app) -> None:
    agreement = store.add_agreement(store.partners[0].id, "Sunday morning is ours")
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await open_agreements(pilot)
        await pilot.press("t")
        await pilot.pause()
        assert "– retired" in shown_rows(app)
        assert raw(db_path, "agreement")[agreement.id]["fields"]["retired"] is True
        assert "s Sign" not in screen_text(app)  # a retired agreement is not signed
        await pilot.press("t")
        await pilot.pause()
        assert "○ proposed" in shown_rows(app)
    assert raw(db_path, "agreement")[agreement.id]["fields"]["retired"] is False


async def test_retiring_an_agreement_both_signed_asks_and_sam_is_told_who_retired_it(
    store: CoupleStore, db_path: Path, make_app, other_machine
) -> None:
    alex, sam = store.partners
    agreement = store.add_agreement(alex.id, "Sunday morning is ours")
    store.sign(agreement.id, alex.id)
    store.sign(agreement.id, sam.id)
    sams = other_machine(db_path, "sam")
    sams.set_me(sam.id)
    sams.mark_seen(sams.newest_stamp() or "")  # Sam's dashboard has seen everything so far
    app = make_app(store)
    async with app.run_test(size=SMALL) as pilot:
        await open_agreements(pilot)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        shown = words_within(app, app.screen.query_one("#confirm-card"))
        assert "Retire this agreement you both signed?" in shown
        assert "Sam will see that you retired it" in shown
        await pilot.press("enter")  # Cancel has the focus: nothing changes
        await pilot.pause()
        assert raw(db_path, "agreement")[agreement.id]["fields"]["retired"] is False
        await pilot.press("t")
        await pilot.pause()
        await pilot.click("#confirm-yes")
        await pilot.pause()
        assert "– retired" in shown_rows(app)
    assert raw(db_path, "agreement")[agreement.id]["fields"]["retired"] is True
    sams_app = make_app(CoupleStore(db_path, sams.local))
    async with sams_app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert news_shown(sams_app) == "• Alex retired an agreement you both signed: Sunday morning is ours"


async def test_deleting_an_agreement_both_signed_says_so_and_sam_is_told_who_deleted_it(
    store: CoupleStore, db_path: Path, make_app, other_machine
) -> None:
    alex, sam = store.partners
    agreement = store.add_agreement(alex.id, "No phones at dinner")
    store.sign(agreement.id, alex.id)
    store.sign(agreement.id, sam.id)
    sams = other_machine(db_path, "sam")
    sams.set_me(sam.id)
    sams.mark_seen(sams.newest_stamp() or "")
    app = make_app(store)
    async with app.run_test(size=SMALL) as pilot:
        await open_agreements(pilot)
        await pilot.press("x")
        await pilot.pause()
        assert "Sam will see that you deleted it" in words_within(app, app.screen.query_one("#confirm-card"))
        await pilot.click("#confirm-yes")
        await pilot.pause()
    assert raw(db_path, "agreement")[agreement.id]["fields"]["deleted"] is True
    sams_app = make_app(CoupleStore(db_path, sams.local))
    async with sams_app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert news_shown(sams_app) == "• Alex deleted an agreement you both signed: No phones at dinner"


async def test_delete_asks_first_and_leaves_a_tombstone(store: CoupleStore, db_path: Path, make_app) -> None:
    agreement = store.add_agreement(store.partners[0].id, "Whoever cooks doesn't wash up")
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await open_agreements(pilot)
        await pilot.press("x")
        await pilot.pause()
        assert "Delete this agreement?" in screen_text(app)
        await pilot.press("escape")  # changed their mind
        await pilot.pause()
        assert "Whoever cooks" in shown_rows(app)
        await pilot.press("x")
        await pilot.pause()
        await pilot.click("#confirm-yes")
        await pilot.pause()
        assert "Whoever cooks" not in screen_text(app)
        assert "Nothing on this list yet" in screen_text(app)
    stored = raw(db_path, "agreement")[agreement.id]
    assert stored["fields"]["deleted"] is True and stored["fields"]["text"] == "Whoever cooks doesn't wash up"


async def test_changes_from_the_partners_machine_show_and_unseen_words_are_not_signed(
    store: CoupleStore, db_path: Path, other_machine, make_app
) -> None:
    alex, sam = store.partners
    agreement = store.add_agreement(alex.id, "Tea at five")
    app = make_app(store)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await open_agreements(pilot)
        # The watcher is stopped so that Sam's edit below is certainly not on screen yet:
        # that gap (a sync landing while Alex reads) is what this test is about.
        app.workers.cancel_group(app, "watch")
        sams_laptop = other_machine(db_path, "sam")
        sams_laptop.sign(agreement.id, sam.id)
        assert app.reload()  # what the file watcher calls
        await pilot.pause()
        assert "signed by Sam" in shown_rows(app)
        sams_laptop.edit_agreement(agreement.id, sam.id, text="Tea at six")
        await pilot.press("s")  # Alex is still reading "Tea at five"
        await pilot.pause()
        assert not store.agreement(agreement.id).signed_by(alex.id)
        assert "Tea at six" in shown_rows(app)
        assert "Read it again before you sign" in " ".join(str(n.message) for n in notified(app))
        await pilot.press("s")  # now the new words are on screen
        await pilot.pause()
    assert store.agreement(agreement.id).signatures[alex.id] == wording_key("Tea at six")


async def test_moving_back_to_the_list_and_the_agreement_chosen_before_shows_them_again(
    store: CoupleStore, make_app
) -> None:
    alex, _ = store.partners
    store.add_agreement(alex.id, "Tea at five", list_name="Home")
    store.add_agreement(alex.id, "Walk on Sundays", list_name="Home")
    store.add_agreement(alex.id, "A budget each month", list_name="Money")
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_agreements(pilot)
        assert chosen_wording(app) == "Tea at five"
        await pilot.press("down")
        await pilot.pause()
        assert chosen_wording(app) == "Walk on Sundays"
        await pilot.press("up")  # back to the one chosen before
        await pilot.pause()
        assert chosen_wording(app) == "Tea at five"
        screen.query_one("#lists").focus()
        await pilot.press("down")
        await pilot.pause()
        assert chosen_wording(app) == "A budget each month"
        await pilot.press("up")  # back to the list chosen before
        await pilot.pause()
        assert chosen_wording(app) == "Tea at five"


async def test_filters_show_what_awaits_the_partner_writing_now(store: CoupleStore, make_app) -> None:
    alex, sam = store.partners
    mine = store.add_agreement(sam.id, "Sam signed, Alex to sign")
    store.sign(mine.id, sam.id)
    theirs = store.add_agreement(alex.id, "Alex signed, Sam to sign")
    store.sign(theirs.id, alex.id)
    both = store.add_agreement(alex.id, "Both signed")
    store.sign(both.id, alex.id)
    store.sign(both.id, sam.id)
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_agreements(pilot)
        assert "1 awaiting your signature" in screen_text(app)
        screen.query_one("#filter", Select).value = "awaiting"
        await pilot.pause()
        assert "Sam signed, Alex to sign" in shown_rows(app)
        assert "Alex signed, Sam to sign" not in shown_rows(app) and "Both signed" not in shown_rows(app)
        await pilot.press("w")  # now Sam is at the keyboard: what awaits Sam
        await pilot.pause()
        assert "Alex signed, Sam to sign" in shown_rows(app)
        assert "Sam signed, Alex to sign" not in shown_rows(app)
        screen.query_one("#filter", Select).value = "agreed"
        await pilot.pause()
        assert shown_rows(app).splitlines()[0] == "Both signed"
        screen.query_one("#filter", Select).value = "all"
        await pilot.press("slash", *"sam to")
        await pilot.pause()
        assert "Alex signed, Sam to sign" in shown_rows(app) and "Both signed" not in shown_rows(app)


async def test_lists_are_created_renamed_reordered_and_archived(
    store: CoupleStore, db_path: Path, make_app
) -> None:
    alex, _ = store.partners
    for name in ("Home", "Money"):
        store.agreement_list_named(name, alex.id)

    def names_in_order() -> list[str]:
        lists = records(db_path, "agreement_list")
        return [lst["name"] for lst in sorted(lists, key=lambda lst: lst["position"])]

    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_agreements(pilot)
        screen.query_one("#lists").focus()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ListNameForm)
        await pilot.press(*"Us", "enter")
        await pilot.pause()
        assert names_in_order() == ["Home", "Money", "Us"]
        await pilot.press("left_square_bracket")  # the new list is chosen: move it up
        await pilot.pause()
        assert names_in_order() == ["Home", "Us", "Money"]
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one("#list-name", Input).value = "Money"  # taken: refused, the form stays
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ListNameForm)
        app.screen.query_one("#list-name", Input).value = "Just us"
        await pilot.press("enter")
        await pilot.pause()
        assert names_in_order() == ["Home", "Just us", "Money"]
        await pilot.press("x")  # archive: out of sight until asked for
        await pilot.pause()
        assert "Just us" not in screen_text(app)
        await pilot.press("h")
        await pilot.pause()
        assert "Just us  (archived)" in screen_text(app)
    (archived,) = [lst for lst in records(db_path, "agreement_list") if lst["archived"]]
    assert archived["name"] == "Just us"


async def test_a_refused_save_keeps_what_was_typed(store: CoupleStore, db_path: Path, make_app) -> None:
    app = make_app(store)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await open_agreements(pilot)
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#agreement-review", Input).value = "next week"
        app.screen.query_one("#agreement-text", TextArea).text = "x" * 200_001  # longer than the file allows
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "YYYY-MM-DD" in screen_text(app)  # the date is checked first, in the form
        app.screen.query_one("#agreement-review", Input).value = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, AgreementForm)  # opened again with the words still in it
        assert form.query_one("#agreement-text", TextArea).text == "x" * 200_001
        assert "was not saved" in " ".join(str(n.message) for n in notified(app))
    assert records(db_path, "agreement") == []


async def test_text_from_the_file_shows_literally(db_path: Path, make_app) -> None:
    store = CoupleStore(db_path)
    alex, sam = store.init("Alex", "[red]Sam[/red]")
    hostile = "[@click=app.quit]boom \x1b[2J"
    agreement = store.add_agreement(alex.id, hostile, list_name="[b]Home", why="[i]why\x07")
    store.sign(agreement.id, sam.id)
    store.set_revisit(agreement.id, "[blink]later", alex.id)
    store.edit_agreement(agreement.id, alex.id, text=hostile + " [/]", why="[i]why\x07")
    store.sign(agreement.id, alex.id)
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await open_agreements(pilot)
        shown = screen_text(app)
        assert "\x1b" not in shown and "\x07" not in shown
        assert "[@click=app.quit]boom \\x1b[2J [/]" in shown
        assert "[b]Home" in shown and "[i]why\\x07" in shown and "[blink]later" in shown
        assert "changed since [red]Sam[/red] signed" in shown
        await pilot.click("#agreement-detail", offset=(5, 2))  # where a link would be
        await pilot.pause()
        assert app.is_running
        await pilot.press("e")  # the form shows the escapes too, and saving it unchanged changes nothing
        await pilot.pause()
        shown = screen_text(app)
        assert "\x1b" not in shown and "boom \\x1b[2J [/]" in shown and "[i]why\\x07" in shown
        await pilot.press("ctrl+s")
        await pilot.pause()
    kept = store.agreement(agreement.id)
    assert (kept.text, kept.why) == (hostile + " [/]", "[i]why\x07")
    assert kept.signed_by(alex.id)


async def test_agreements_read_well_at_80x24(store: CoupleStore, make_app) -> None:
    alex, _ = store.partners
    for number in range(6):
        store.add_agreement(alex.id, f"Agreement number {number} with a good many words to wrap around")
    app = make_app(store)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_agreements(pilot)
        shown = screen_text(app)
        assert "Signing as Alex" in shown and "n Propose" in shown
        detail = screen.query_one("#agreement-detail")
        assert detail.region.height >= 6 and detail.region.bottom <= screen.region.bottom - 1


async def test_the_dashboard_shows_agreements_due_for_review(store: CoupleStore, make_app) -> None:
    alex, sam = store.partners
    agreement = store.add_agreement(alex.id, "Money talk each month")
    store.edit_agreement(
        agreement.id, alex.id, text="Money talk each month", review_on=dt.date.today() - dt.timedelta(days=1)
    )
    store.sign(agreement.id, alex.id)
    store.sign(agreement.id, sam.id)
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert "1 due for review" in screen_text(app)


async def test_the_palette_signs_as_the_partner_writing_now(store: CoupleStore, make_app) -> None:
    alex, sam = store.partners
    agreement = store.add_agreement(alex.id, "Tea at five")
    app = make_app(store, acting=sam.id)
    async with app.run_test(size=WIDE) as pilot:
        await open_agreements(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Sign as Sam")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert store.agreement(agreement.id).signed_by(sam.id)
        assert not store.agreement(agreement.id).signed_by(alex.id)
