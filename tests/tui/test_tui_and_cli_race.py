"""The TUI and the command line writing to one file at the same moment lose nothing.

Slow (CI runs it): the CLI adds 300 celebrations from another process while
the partner at the keyboard logs 25 through the TUI's dialog.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.store.couple import CoupleStore
from app.tui.screens.celebrate_dialog import CelebrateDialog
from tests.support.tui import WIDE, screen_text

ROOT = Path(__file__).resolve().parents[2]
CLI_WRITES = 300
TUI_WRITES = 25

CLI_LOOP = """
import sys
from app.cli import main

for i in range(int(sys.argv[2])):
    status = main(["--db", sys.argv[1], "--as", "Sam", "celebrate", f"cli-{i}"])
    if status != 0:
        sys.exit(status)
"""


@pytest.mark.slow
async def test_the_tui_and_the_cli_writing_at_once_keep_every_celebration(
    store: CoupleStore, db_path: Path, make_app, tmp_path: Path
) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KINTSUGI_LOCAL": str(tmp_path / "sam-local.json")}
    cli = subprocess.Popen(
        [sys.executable, "-c", CLI_LOOP, str(db_path), str(CLI_WRITES)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        for i in range(TUI_WRITES):
            await pilot.press("c")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, CelebrateDialog)
            dialog.query_one("#celebrate-title").value = f"tui-{i}"
            await pilot.click("#celebrate-save")
            await pilot.pause()
            assert not isinstance(app.screen, CelebrateDialog), screen_text(app)
        _, errors = cli.communicate(timeout=600)
        assert cli.returncode == 0, errors
        app.reload()
        await pilot.press("l")
        await pilot.pause()
        assert f"{CLI_WRITES + TUI_WRITES} celebrations" in screen_text(app)
    data = json.loads(db_path.read_text(encoding="utf-8"))
    titles = {raw["fields"]["title"] for raw in data["celebration"].values()}
    expected = {f"cli-{i}" for i in range(CLI_WRITES)} | {f"tui-{i}" for i in range(TUI_WRITES)}
    assert titles == expected
