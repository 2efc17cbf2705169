"""``reporting()``: the one way the TUI calls the store and tells what went wrong."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.content import load_content
from app.store.storage import StoreError
from app.tui.base import ReportsStoreErrors


class Told(ReportsStoreErrors):
    """Something that notifies, as the App, a screen and a widget do: it keeps what it was told,
    in the words of its app's content."""

    def __init__(self) -> None:
        self.told: list[tuple[str, str, bool]] = []
        self.app = SimpleNamespace(content=load_content())  # type: ignore[assignment]

    def notify(self, message: str, *, severity: str = "information", markup: bool = True) -> None:
        self.told.append((message, severity, markup))


def test_a_store_error_is_told_word_for_word_and_never_as_markup() -> None:
    node = Told()
    sentence = "There is no partner called '[bold]Kim[/]' here (try Alex or Sam)."  # never read as markup
    with node.reporting() as attempt:
        raise StoreError("unknown_partner", case="name", name="[bold]Kim[/]", names=["Alex", "Sam"])
    assert attempt.failed and attempt.words == sentence == str(attempt.error)
    assert node.told == [(sentence, "error", False)]


def test_nothing_is_told_when_the_calls_succeed() -> None:
    node = Told()
    with node.reporting() as attempt:
        value = 42
    assert not attempt.failed and attempt.error is None and value == 42
    assert node.told == []


def test_a_warning_is_told_as_one() -> None:
    node = Told()
    with node.reporting(severity="warning") as attempt:
        raise StoreError("partner_cannot_open", name="Sam")
    assert attempt.failed
    assert node.told == [(attempt.words, "warning", False)]
    assert attempt.words.startswith("Sam's Kintsugi could not open a sealed file yet")


def test_any_other_error_goes_on_up_untold() -> None:
    node = Told()
    with pytest.raises(ValueError), node.reporting():
        raise ValueError("a bug, not the file")
    assert node.told == []
