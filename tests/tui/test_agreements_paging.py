"""A long list of agreements shows a page at a time: the keys and the mouse still reach every one."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.store.couple import CoupleStore
from app.tui.screens.agreements import AgreementsScreen
from app.tui.widgets import agreement_ledger
from app.tui.widgets.agreement_ledger import PAGE
from tests.support.files import records
from tests.support.tui import WIDE, screen_text


def shown_rows(app) -> str:
    """What the agreements list holds now, row by row (the wording and status of each)."""
    picker = app.screen.query_one("#agreement-list")
    return "\n".join(str(option.prompt) for option in picker.options)


def chosen(app) -> str:
    """The wording the detail pane shows: the agreement chosen."""
    return str(app.screen.query_one("#detail-text").render())


def where(app, words: str) -> tuple[int, int]:
    """The cell of the screen where these words begin."""
    for y, line in enumerate(screen_text(app).splitlines()):
        if (x := line.find(words)) >= 0:
            return x, y
    raise AssertionError(f"{words!r} is not on the screen:\n{screen_text(app)}")


def propose_many(store: CoupleStore, count: int) -> None:
    alex, _ = store.partners
    for number in range(1, count + 1):
        store.add_agreement(alex.id, f"Agreement number {number:03}")


def signed_by(db_path: Path, partner_id: str) -> list[str]:
    """The wordings that partner's signature stands on in the file."""
    signature = f"signature.{partner_id}"
    return [fields["text"] for fields in records(db_path, "agreement") if fields.get(signature)]


async def open_agreements(pilot) -> None:
    await pilot.press("a")
    await pilot.pause()
    assert isinstance(pilot.app.screen, AgreementsScreen)


async def test_a_long_list_shows_a_page_and_the_keys_reach_the_agreements_beyond_it(
    store: CoupleStore, db_path: Path, make_app
) -> None:
    alex, _ = store.partners
    last = PAGE + 5
    propose_many(store, last)
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await open_agreements(pilot)
        rows = shown_rows(app)
        assert "Agreement number 001" in rows and f"Agreement number {PAGE:03}" in rows
        assert f"Agreement number {PAGE + 1:03}" not in rows
        assert rows.endswith("▾ 5 more: click or move onto this line to show the next 5")
        assert chosen(app) == "Agreement number 001"
        await pilot.press("end")  # onto the last row: the next page comes, its first one chosen
        await pilot.pause()
        rows = shown_rows(app)
        assert f"Agreement number {last:03}" in rows and "more:" not in rows
        assert chosen(app) == f"Agreement number {PAGE + 1:03}"
        await pilot.press("end")
        await pilot.pause()
        assert chosen(app) == f"Agreement number {last:03}"
        await pilot.press("s")
        await pilot.pause()
        assert "signed by Alex" in shown_rows(app).splitlines()[-1]
    assert signed_by(db_path, alex.id) == [f"Agreement number {last:03}"]


async def test_the_mouse_shows_the_next_page_and_chooses_an_agreement_on_it(
    store: CoupleStore, db_path: Path, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(agreement_ledger, "PAGE", 3)  # a short page, so the row that shows more is in sight
    alex, _ = store.partners
    propose_many(store, 5)
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await open_agreements(pilot)
        assert "Agreement number 004" not in screen_text(app)
        assert await pilot.click(offset=where(app, "▾ 2 more: click"))
        await pilot.pause()
        assert "Agreement number 005" in shown_rows(app) and "more:" not in shown_rows(app)
        assert chosen(app) == "Agreement number 004"
        assert await pilot.click(offset=where(app, "Agreement number 005"))
        await pilot.pause()
        assert chosen(app) == "Agreement number 005"
        await pilot.press("s")
        await pilot.pause()
    assert signed_by(db_path, alex.id) == ["Agreement number 005"]


async def test_a_new_agreement_far_down_the_list_is_shown_with_its_page_and_the_earlier_ones_reached(
    store: CoupleStore, db_path: Path, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(agreement_ledger, "PAGE", 3)
    alex, _ = store.partners
    propose_many(store, 8)
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await open_agreements(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Tea at 5", "ctrl+s")
        await pilot.pause()
        rows = shown_rows(app).splitlines()
        assert rows[0] == "▴ 6 earlier: click or move onto this line to show the 3 before"
        assert "Agreement number 007" in rows[1] and "Tea at 5" in shown_rows(app)
        assert chosen(app) == "Tea at 5"
        await pilot.press("home")  # onto the first row: the page before comes, its last one chosen
        await pilot.pause()
        assert chosen(app) == "Agreement number 006"
        assert shown_rows(app).startswith("▴ 3 earlier")
        await pilot.press("home", "home")
        await pilot.pause()
        assert "earlier:" not in shown_rows(app)
        assert chosen(app) == "Agreement number 001"
        await pilot.press("s")
        await pilot.pause()
    assert signed_by(db_path, alex.id) == ["Agreement number 001"]
    assert "Tea at 5" in [fields["text"] for fields in records(db_path, "agreement")]
