"""``kintsugi serve`` against a real server on 127.0.0.1: the token, the Origin check, the tabs' apps.

Every test leaves with the server and every app process it started gone
(``serving`` checks it on the way out); those that stop it themselves check
the exit status and the lines said.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import stat
import sys
from pathlib import Path

import aiohttp
import pytest
from textual_serve.server import Server

from app import serve
from app.cli import main
from app.store.couple import CoupleStore
from tests.support.serve import eventually, linux_only, open_tab, running, serving, wait_until

TITLE = "We danced in the kitchen"


@pytest.fixture
def cwd(tmp_path: Path) -> Path:
    """A folder to start the server in, holding an ``app`` package of its own that must never run."""
    folder = tmp_path / "elsewhere"
    (folder / "app").mkdir(parents=True)
    for name in ("__init__.py", "__main__.py", "browser_tab.py"):
        (folder / "app" / name).write_text("raise SystemExit('not Kintsugi')\n", encoding="utf-8")
    return folder


def test_the_private_hook_is_still_there() -> None:
    """GuardedServer adds the token and Origin checks in textual-serve's private ``_make_app``.

    If this fails, textual-serve changed: read its server.py again before moving the pin.
    """
    from importlib.metadata import version

    assert version("textual-serve") == "1.1.3", "textual-serve moved: app/serve.py hooks its private API"
    assert "_make_app" in vars(Server), "textual-serve no longer builds its aiohttp app in Server._make_app"
    assert "_make_app" in vars(serve.GuardedServer)


@linux_only
async def test_without_the_token_every_route_is_403(store: CoupleStore, cwd: Path) -> None:
    with serving("--no-browser", cwd=cwd) as served:
        async with aiohttp.ClientSession() as session:
            for path in ("/", "/static/js/textual.js", "/static/", "/download/anything", "/ws", "/nowhere"):
                async with session.get(served.origin + path) as response:
                    assert response.status == 403, path
                    assert "set-cookie" not in response.headers
            async with session.get(
                f"{served.origin}/ws", headers={"Origin": served.origin, "Upgrade": "websocket"}
            ) as response:
                assert response.status == 403
        assert not served.tabs()


@linux_only
async def test_a_wrong_token_is_403(store: CoupleStore, cwd: Path) -> None:
    with serving("--no-browser", cwd=cwd) as served:
        wrong = [served.token[:-1], served.token + "x", served.token.swapcase(), "", "%C3%A9"]
        async with aiohttp.ClientSession() as session:
            for token in wrong:
                async with session.get(f"{served.origin}/?token={token}") as response:
                    assert response.status == 403, token
            for token in wrong:
                cookie = {"Cookie": f"kintsugi-{served.port}={token}"}
                async with session.get(f"{served.origin}/static/js/textual.js", headers=cookie) as response:
                    assert response.status == 403, token
            other_port = {"Cookie": f"kintsugi-{served.port + 1}={served.token}"}
            async with session.get(f"{served.origin}/", headers=other_port) as response:
                assert response.status == 403


@linux_only
async def test_the_right_token_gives_the_page_and_a_cookie_for_the_rest(
    store: CoupleStore, cwd: Path
) -> None:
    with serving("--no-browser", cwd=cwd) as served:
        async with aiohttp.ClientSession() as session:
            async with session.get(served.url) as response:
                assert response.status == 200
                page = await response.text()
                cookie = response.headers["Set-Cookie"]
                policy = response.headers["Content-Security-Policy"]
                assert response.headers["Referrer-Policy"] == "no-referrer"
            assert f'data-session-websocket-url="ws://127.0.0.1:{served.port}/ws"' in page
            assert served.token not in page
            assert cookie.startswith(f"kintsugi-{served.port}={served.token};")
            assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
            assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
            assert "fonts.googleapis.com" in page  # what the policy keeps the page from fetching
            for path in (
                "/",
                "/static/js/textual.js",
                "/static/css/xterm.css",
            ):  # a reload, and the page's files
                async with session.get(served.origin + path, headers=served.cookie) as response:
                    assert response.status == 200, path


@linux_only
async def test_a_websocket_from_another_origin_is_refused(store: CoupleStore, cwd: Path) -> None:
    with serving("--no-browser", cwd=cwd) as served:
        async with aiohttp.ClientSession() as session:
            for origin in ("https://evil.example", f"http://127.0.0.1:{served.port + 1}", "null"):
                with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                    await open_tab(session, served, origin)
                assert refused.value.status == 403, origin
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:  # no Origin at all
                await session.ws_connect(f"{served.origin}/ws", headers=served.cookie)
            assert refused.value.status == 403
        assert not served.tabs()  # no app was started for any of them


@linux_only
async def test_a_tab_from_the_page_runs_the_app_for_this_partner(
    store: CoupleStore, db_path: Path, cwd: Path, other_machine
) -> None:
    """The page's own origin gets the app: this couple's file, keys that write, the partner's change live."""
    with serving("--no-browser", cwd=cwd) as served:
        async with aiohttp.ClientSession() as session:
            tab = await open_tab(session, served, served.origin)
            await tab.shows("Alex", "Sam", "Writing as Alex")
            [app] = served.tabs()
            assert Path(f"/proc/{app}/cmdline").read_bytes().split(b"\0")[:5] == [
                sys.executable.encode(),
                b"-P",
                b"-m",
                b"app.browser_tab",
                b"--db",
            ]
            await tab.type("c")
            await tab.shows("Log a celebration")
            await tab.type(TITLE + "\r")
            await eventually(
                lambda: TITLE in db_path.read_text(encoding="utf-8"), "the celebration in the file"
            )
            sam = other_machine(db_path, "sam")
            sam.add_celebration(sam.partners[1].id, "Cabin booked")
            await tab.shows("Cabin booked")
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


@linux_only
async def test_ctrl_c_ends_the_server_and_every_tab(store: CoupleStore, cwd: Path) -> None:
    with serving("--no-browser", cwd=cwd) as served:
        async with aiohttp.ClientSession() as session:
            tabs = [await open_tab(session, served, served.origin) for _ in range(2)]
            for tab in tabs:
                await tab.shows("Alex")
            assert len(served.tabs()) == 2
            assert await asyncio.to_thread(served.ctrl_c) == 0
            for tab in tabs:
                assert await tab.closed_by_the_server()
        await eventually(served.gone, "the tabs' processes to end")
        assert served.lines[-1] == "Stopped; every tab's app has closed."
        assert served.errors == ""


@linux_only
async def test_sigterm_to_the_server_alone_ends_every_tab(store: CoupleStore, cwd: Path) -> None:
    with serving("--no-browser", cwd=cwd) as served:
        async with aiohttp.ClientSession() as session:
            tab = await open_tab(session, served, served.origin)
            await tab.shows("Alex")
            assert len(served.tabs()) == 1
            served.process.send_signal(signal.SIGTERM)  # the tab's app is not signalled: the server closes it
            assert await asyncio.to_thread(served.finish) == 0
            assert await tab.closed_by_the_server()


@linux_only
async def test_a_tab_ends_when_its_server_is_killed(store: CoupleStore, cwd: Path) -> None:
    with serving("--no-browser", cwd=cwd) as served:
        async with aiohttp.ClientSession() as session:
            tab = await open_tab(session, served, served.origin)
            await tab.shows("Alex")
            [app] = served.tabs()
            served.process.send_signal(signal.SIGKILL)  # no chance to close anything
            assert await asyncio.to_thread(served.finish) == -signal.SIGKILL
            await eventually(lambda: not running(app), "the app left without its server to quit")


@linux_only
def test_the_browser_is_handed_a_private_page_that_leads_to_the_link(
    store: CoupleStore, cwd: Path, tmp_path: Path
) -> None:
    """The default browser ($BROWSER here) gets a 0600 file, not the tokened link: argv is public."""
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\nprintf %s "$1" > {opened}\ncp "${{1#file://}}" {opened}.html\n')
    browser.chmod(0o700)
    with serving(cwd=cwd, env={**os.environ, "BROWSER": str(browser)}) as served:
        wait_until(lambda: Path(f"{opened}.html").exists(), "the browser to be handed the page")
        given = opened.read_text(encoding="utf-8")
        assert given.startswith("file:///") and served.token not in given
        page = Path(given.removeprefix("file://"))
        assert (
            stat.S_IMODE(page.stat().st_mode) == 0o600 and stat.S_IMODE(page.parent.stat().st_mode) == 0o700
        )
        assert f'content="0; url={served.url}"' in Path(f"{opened}.html").read_text(encoding="utf-8")
    assert not page.parent.exists()


# -- refusals, without a server -------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--host", "192.168.1.20"], "192.168.1.20 can be reached from other machines"),
        (["--host", "0.0.0.0", "--unencrypted-over-the-network"], "not 0.0.0.0"),
        (["--host", "my-laptop"], "an address is written like 127.0.0.1"),
        (["--host", "::1"], "an address is written like 127.0.0.1"),
        (["--port", "70000"], "a port is a number from 0 to 65535"),
    ],
)
def test_serve_refuses_in_one_line(store: CoupleStore, argv: list[str], says: str, capsys) -> None:
    assert main(["serve", "--no-browser", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kintsugi: ") and err.count("\n") == 1
    assert says in err


def test_a_port_in_use_is_one_line(store: CoupleStore, capsys) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        assert main(["serve", "--no-browser", "--port", str(taken.getsockname()[1])]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kintsugi: ") and err.count("\n") == 1 and "in use" in err


def test_serve_without_textual_serve_says_how_to_get_it(store: CoupleStore, monkeypatch, capsys) -> None:
    import app

    monkeypatch.delattr(app, "serve")
    monkeypatch.delitem(sys.modules, "app.serve")
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    monkeypatch.setitem(sys.modules, "textual_serve", None)
    monkeypatch.setitem(sys.modules, "aiohttp", None)
    assert main(["serve", "--no-browser"]) == 2
    how = f"{sys.executable} -m pip install 'kintsugi[web]'"
    assert capsys.readouterr().err == f"kintsugi: serving to a browser needs textual-serve: {how}\n"


def test_serve_needs_the_file_and_to_know_who_is_here(db_path: Path, capsys) -> None:
    assert main(["serve", "--no-browser"]) == 2
    assert "does not exist yet" in capsys.readouterr().err
    CoupleStore(db_path).init("Alex", "Sam")
    Path(os.environ["KINTSUGI_LOCAL"]).unlink()
    assert main(["serve", "--no-browser"]) == 2
    assert "pass --as NAME" in capsys.readouterr().err
