"""Export from the TUI: the palette's "Export as Markdown/JSON" writes the same as `kintsugi export`."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Input, Static

from app.content import Content
from app.domain.models import Celebration
from app.export import export_markdown
from app.store.couple import CoupleStore
from app.tui.screens.export import ExportDialog
from tests.support.app import notified
from tests.support.today import TODAY
from tests.support.tui import SMALL


def written_to(app) -> str:
    """The line under the file name saying where the export will go (whole, however it wraps)."""
    return str(app.screen.query_one("#export-full", Static).render())


async def test_the_palette_exports_markdown_to_a_file(
    store: CoupleStore, content: Content, tmp_path: Path, make_app
) -> None:
    alex = store.partner_named("Alex")
    store.add_celebration(alex.id, "First walk", day=TODAY)
    store.add_entry(Celebration, alex.id, private=True, title="PRIVATE-walk-alone", day=TODAY)
    app = make_app(store, today=TODAY)
    target = tmp_path / "keepsake.md"
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Export as Markdown", "enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        path = dialog.query_one("#export-path", Input)
        assert path.value == "kintsugi-2026-05-17.md"  # in the folder Kintsugi was started in
        path.value = str(target)  # a whole path goes where it says
        await pilot.pause()
        assert written_to(app) == f"It will be written to {target}"
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)
        plain = "It is plain text, meant to be read: keep it where only the two of you look."
        assert f"Written to {target}. {plain}" in [n.message for n in notified(app)]
    written = target.read_text(encoding="utf-8")
    assert written == export_markdown(store, content, TODAY)
    assert "First walk" in written and "PRIVATE-walk-alone" not in written


async def test_json_follows_the_format_and_a_folder_is_refused(
    store: CoupleStore, make_app, tmp_path: Path
) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        app.action_export()
        await pilot.pause()
        dialog = app.screen
        await pilot.click("#export-json")
        await pilot.pause()
        path = dialog.query_one("#export-path", Input)
        assert path.value.endswith("kintsugi-2026-05-17.json")
        path.value = str(tmp_path)
        await pilot.pause()  # the line saying where it goes takes its new length: the button moves
        await pilot.click("#export-save")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)  # opened again, saying why
        assert "is a folder" in str(app.screen.query_one("#export-problem").render())
        path = app.screen.query_one("#export-path", Input)
        assert path.value == str(tmp_path)
        path.value = str(tmp_path / "all.json")
        path.focus()
        await pilot.press("enter")  # the button is still glowing from the last press: enter saves too
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)
    document = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert [p["name"] for p in document["records"]["partner"]] == ["Alex", "Sam"]


async def test_the_export_goes_here_or_to_the_documents_folder_and_says_where_first(
    store: CoupleStore, make_app, tmp_path: Path, monkeypatch
) -> None:
    here = tmp_path / "started-here"
    here.mkdir()
    monkeypatch.chdir(here)
    documents = Path.home() / "Documents"
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await pilot.pause()
        app.action_export()
        await pilot.pause()
        assert written_to(app) == f"It will be written to {here / 'kintsugi-2026-05-17.md'}"
        await pilot.click("#export-documents")
        await pilot.pause()
        assert written_to(app) == f"It will be written to {documents / 'kintsugi-2026-05-17.md'}"
        await pilot.press("ctrl+s")
        await pilot.pause()
        written = documents / "kintsugi-2026-05-17.md"
        plain = "It is plain text, meant to be read: keep it where only the two of you look."
        assert f"Written to {written}. {plain}" in [n.message for n in notified(app)]
    assert (documents / "kintsugi-2026-05-17.md").exists() and not list(here.iterdir())


async def test_the_json_of_a_sealed_notebook_is_sealed_and_says_so(
    db_path: Path, make_app, tmp_path: Path
) -> None:
    store = CoupleStore(db_path)
    store.init("Alex", "Sam", sealed=True)
    store.add_celebration(store.partners[0].id, "Our Marzipan walk", day=TODAY)
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await pilot.pause()
        app.action_export("json")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(tmp_path / "us.json")
        await pilot.press("ctrl+s")
        await pilot.pause()
        said = [n.message for n in notified(app)]
        assert said == [
            f"Written to {tmp_path / 'us.json'}. It is sealed like your notebook: only your machines open it."
        ]
    assert "Marzipan" not in (tmp_path / "us.json").read_text(encoding="utf-8")


async def test_the_json_of_a_plain_notebook_says_only_where(
    store: CoupleStore, make_app, tmp_path: Path
) -> None:
    app = make_app(store, today=TODAY)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await pilot.pause()
        app.action_export("json")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(tmp_path / "us.json")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [n.message for n in notified(app)] == [f"Written to {tmp_path / 'us.json'}."]
