"""Coming back to a section: its footer and its styles are kept when nothing they show changed,
and follow when something did (FooterOnceAFrame and KeepsItsStyles in app/tui/textual_patches.py)."""

from __future__ import annotations

import pytest
from textual.color import Color
from textual.widgets._footer import FooterKey
from textual.widgets._header import HeaderTitle

from app.store.couple import CoupleStore
from app.tui.screens.dashboard import DashboardScreen
from app.tui.screens.step import StepScreen
from tests.support.tui import count_styling, looks_as_restyled

SIZE = (120, 40)


def footer_words(app) -> list[str]:
    return [key.description for key in app.screen.query(FooterKey)]


async def test_the_footer_shows_each_screens_keys(store: CoupleStore, make_app, content) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        home, practice = content.text("keys.dashboard"), content.text("keys.toggle_practice")
        assert content.text("keys.help") in footer_words(app)
        assert home not in footer_words(app)  # already home
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, StepScreen)
        assert home in footer_words(app) and practice in footer_words(app)
        await pilot.press("d")
        await pilot.pause()
        assert home not in footer_words(app) and practice not in footer_words(app)


async def test_keys_that_come_with_the_focus_are_shown(store: CoupleStore, make_app, content) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        new = content.text("keys.practice.new")
        assert new not in footer_words(app)
        await pilot.press("p")  # the practice tab: its list takes the focus, and brings its keys
        await pilot.pause()
        assert new in footer_words(app)
        await pilot.press("p")  # back to the words
        await pilot.pause()
        assert new not in footer_words(app)


async def test_coming_back_to_a_section_keeps_its_footer_and_its_styles(
    store: CoupleStore, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key in ("3", "d", "4", "d", "5"):  # every section's styles have been loaded
            await pilot.press(key)
            await pilot.pause()
        dashboard = app.get_screen_stack("dashboard")[0]
        assert isinstance(dashboard, DashboardScreen)
        keys = list(dashboard.query(FooterKey))
        styled = count_styling(app, monkeypatch)
        await pilot.press("d")
        await pilot.pause()
        assert app.screen is dashboard
        assert styled == []  # Textual alone restyles every widget of the screen here
        assert list(dashboard.query(FooterKey)) == keys  # the very same keys, not rebuilt
        assert await looks_as_restyled(app, pilot)
        assert styled  # the forced restyle did restyle


async def test_a_theme_chosen_in_another_section_shows_on_coming_back(store: CoupleStore, make_app) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        dashboard = app.get_screen_stack("dashboard")[0]
        before = dashboard.styles.background
        app.theme = "textual-light"
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert app.screen is dashboard
        assert dashboard.styles.background != before
        assert dashboard.styles.background == Color.parse(app.current_theme.background)


async def test_a_change_to_the_whole_app_while_away_shows_on_coming_back(
    store: CoupleStore, make_app
) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dashboard = app.screen
        title = dashboard.query_one(HeaderTitle)
        assert title.styles.text_opacity == 1.0
        await pilot.press("3")
        await pilot.pause()
        app.app_focus = False  # the terminal lost the focus: Textual fades the header's title
        await pilot.pause()
        app.switch_mode("dashboard")  # (a click on a link, say)
        await pilot.pause()
        assert app.screen is dashboard
        assert title.styles.text_opacity == 0.5  # restyled for the app as it is now


async def test_a_section_shown_the_first_time_looks_as_a_full_restyle_makes_it(
    store: CoupleStore, make_app
) -> None:
    # its widgets are styled as they mount, so its first showing skips the restyle too
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key in ("l", "a", "3"):
            await pilot.press(key)
            await pilot.pause()
            assert await looks_as_restyled(app, pilot), key


async def test_a_sections_first_showing_leaves_the_screen_it_leaves_alone(
    store: CoupleStore, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()  # the step screen's styles are loaded once the dashboard is up
        dashboard = app.screen
        styled = count_styling(app, monkeypatch)
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, StepScreen)
        # Textual refreshes every style on a mode's first showing, restyling the dashboard
        assert not [node for node in styled if node is dashboard or dashboard in node.ancestors]
        assert styled  # the step screen's own widgets were styled


async def test_a_section_out_of_sight_reads_a_change_once_it_is_shown_again(
    store: CoupleStore, make_app
) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, StepScreen)
        app.store.add_celebration(app.acting, "We walked by the river")
        app.revision += 1  # as a save or the partner's change arriving does
        await pilot.pause()
        celebrations = dashboard.query_one("#celebrations")
        assert "We walked by the river" not in str(celebrations.render())  # away: not read yet
        await pilot.press("d")
        await pilot.pause()
        assert app.screen is dashboard
        assert "We walked by the river" in str(celebrations.render())


async def test_a_dialog_opened_and_closed_leaves_the_footer_beneath_it_as_it_is(
    store: CoupleStore, make_app, content
) -> None:
    # Under the dialog its title box has the focus, which hides "!" (a "!" typed there is text):
    # the dashboard's footer, covered by the dialog's own, is not rebuilt for that, nor again
    # for "!" coming back once the dialog is closed.
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        keys = list(dashboard.query(FooterKey))
        assert "!" in [key.key_display for key in keys]
        await pilot.press("c")
        await pilot.pause()
        assert app.screen is not dashboard
        assert "!" not in [key.key_display for key in app.screen.query(FooterKey)]  # typing
        assert list(dashboard.query(FooterKey)) == keys  # beneath: not rebuilt
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is dashboard
        assert list(dashboard.query(FooterKey)) == keys  # the very same keys, "!" among them
        assert "!" in [key.key_display for key in dashboard.query(FooterKey)]


async def test_keys_that_changed_under_a_dialog_are_shown_once_it_is_closed(
    store: CoupleStore, make_app, content
) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dashboard = app.screen
        switch = content.text("keys.switch")
        assert switch in footer_words(app)
        await pilot.press("c")
        await pilot.pause()
        allowed = app.check_action

        def no_switching(action: str, parameters: tuple[object, ...]) -> bool | None:
            return action != "switch_writer" and allowed(action, parameters)

        app.check_action = no_switching
        app.refresh_bindings()  # "w" no longer does anything, while the dialog is open
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is dashboard
        assert switch not in footer_words(app)
