"""The app's stylesheet keeps its parses while the theme stays, and parses again when it changes.

What is compared is the rules themselves against Textual's own ``Stylesheet`` built from the
same sources and variables: the app must look exactly as it would without the cache.
"""

from __future__ import annotations

import pytest
import textual.css.stylesheet as textual_stylesheet
from textual.cache import LRUCache
from textual.color import Color
from textual.css.stylesheet import Stylesheet
from textual.widgets import Header

from app.store.couple import CoupleStore
from app.tui.screens import STYLES
from app.tui.textual_patches import ThemeKeyedStylesheet

SECTIONS = ("3", "l", "a", "d", "4", "k", "escape")


@pytest.fixture(autouse=True)
def own_parses(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each App here keeps its own parses, as the couple's one App does (the other tests share
    them across Apps: tests/conftest.py)."""
    monkeypatch.setattr(ThemeKeyedStylesheet, "shared_parses", None)


def described(rules) -> list[tuple]:
    """Each rule as its selectors and what it sets (its CSS text is not available for every rule)."""
    return [
        (repr(rule.selector_set), repr(rule.styles.get_rules()), rule.is_default_rules, rule.tie_breaker)
        for rule in rules
    ]


def textuals_own(app) -> list[tuple]:
    """The rules Textual's own stylesheet parses from the app's sources and variables."""
    fresh = Stylesheet(variables=app.stylesheet._variables)
    for read_from, source in app.stylesheet.source.items():
        fresh.add_source(
            source.content,
            read_from=read_from,
            is_default_css=source.is_defaults,
            tie_breaker=source.tie_breaker,
            scope=source.scope,
        )
    return described(fresh.rules)


def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """Each source Textual's parser is asked to parse from now on, as its cache would name it."""
    parsed: list[tuple] = []
    original = textual_stylesheet.parse

    def counted(scope, css, read_from, **kwargs):
        parsed.append((scope, css, read_from, kwargs.get("is_default_rules"), kwargs.get("tie_breaker")))
        return original(scope, css, read_from, **kwargs)

    monkeypatch.setattr(textual_stylesheet, "parse", counted)
    return parsed


Visit = tuple[list[tuple], list[tuple], list[tuple]]


async def visit_sections(app, monkeypatch: pytest.MonkeyPatch) -> Visit:
    """Open the sections a couple uses, once the app is warmed up (``KintsugiApp.warm_up``, whose
    parses would otherwise fall among the visits as the box allows); what was parsed meanwhile,
    the rules, and Textual's own rules."""
    async with app.run_test(size=(120, 40)) as pilot:
        while not app.warm:
            await pilot.pause()
        with monkeypatch.context() as patch:
            parsed = count_parses(patch)
            for key in SECTIONS:
                await pilot.press(key)
                await pilot.pause()
        return parsed, described(app.stylesheet.rules), textuals_own(app)


async def test_visiting_every_section_parses_each_source_once_and_the_rules_are_textuals(
    store: CoupleStore, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(store)
    assert isinstance(app.stylesheet, ThemeKeyedStylesheet)
    parsed, rules, textuals = await visit_sections(app, monkeypatch)
    assert parsed  # the check-in dialog (k) brought styles of its own
    assert len(set(parsed)) == len(parsed)  # none parsed twice
    assert rules == textuals

    # The same visits with Textual's own stylesheet parse every source again and again.
    plain = make_app(store)
    plain.stylesheet = Stylesheet(variables=plain.get_css_variables())
    plain_parsed, plain_rules, _ = await visit_sections(plain, monkeypatch)
    assert len(plain_parsed) > 2 * len(parsed)  # (84 against 35 when this was written)
    assert plain_rules == rules


async def test_a_new_theme_parses_again_and_the_screen_takes_its_colours(
    store: CoupleStore, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        header = app.screen.query_one(Header)
        before = header.styles.background
        parsed = count_parses(monkeypatch)
        app.theme = "textual-light"
        await pilot.pause()
        assert len(parsed) >= len(app.stylesheet.source) - 1  # everything, with the new variables
        assert header.styles.background != before
        assert header.styles.background == Color.parse(app.get_css_variables()["panel"])
        assert described(app.stylesheet.rules) == textuals_own(app)


async def test_once_the_dashboard_is_up_the_sections_opened_most_have_their_styles(
    store: CoupleStore, make_app
) -> None:
    app = make_app(store)
    names = ("celebrate_dialog.tcss", "step.tcss", "log.tcss", "agreements.tcss")
    wanted = [STYLES / name for name in names]
    async with app.run_test(size=(120, 40)) as pilot:
        assert not any(app.stylesheet.has_source(str(path)) for path in wanted)
        await pilot.pause()
        await pilot.pause()
        assert app.current_mode == "dashboard"
        assert all(app.stylesheet.has_source(str(path)) for path in wanted)
        await pilot.press("3")
        await pilot.pause()
        assert app.current_mode == "steps"
        assert app.screen.query_one("#status-panel").styles.width.value == 38  # step.tcss applies


async def test_once_warmed_up_the_dialog_and_the_sections_bring_no_styles_to_parse(
    store: CoupleStore, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The widgets' own styles are parsed ahead, as Textual parses them when the first is mounted:
    showing the celebrate dialog and the sections opened most parses nothing, and the rules in
    force are Textual's own."""
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        while not app.warm:
            await pilot.pause()
        with monkeypatch.context() as patch:
            parsed = count_parses(patch)
            for key in ("c", "escape", "3", "l", "a", "d"):
                await pilot.press(key)
                await pilot.pause()
        assert parsed == []
        assert described(app.stylesheet.rules) == textuals_own(app)


async def test_apps_sharing_parses_parse_nothing_twice_and_keep_textuals_rules(
    store: CoupleStore, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the tests run them: a second App in the process parses nothing the first parsed, and
    its rules are still Textual's own; a new theme is parsed again, in full."""
    monkeypatch.setattr(ThemeKeyedStylesheet, "shared_parses", LRUCache(4))
    first_parsed, first_rules, textuals = await visit_sections(make_app(store), monkeypatch)
    assert first_parsed
    assert first_rules == textuals

    second_parsed, second_rules, textuals = await visit_sections(make_app(store), monkeypatch)
    assert second_parsed == []
    assert second_rules == textuals == first_rules

    light = make_app(store)
    async with light.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        parsed = count_parses(monkeypatch)
        light.theme = "textual-light"
        await pilot.pause()
        assert len(parsed) >= len(light.stylesheet.source) - 1
        assert described(light.stylesheet.rules) == textuals_own(light)
