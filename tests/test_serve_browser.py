"""End to end in a real headless Chromium: the link, the dashboard, ``c``, a celebration in the file.

Chromium opens what ``kintsugi serve`` hands the default browser (``$BROWSER``
here records it), the page that leads to the tokened link. It is driven over its
DevTools protocol (a WebSocket on 127.0.0.1, through aiohttp, which serving
already needs): no driver, nothing else to install. Without Chromium the test is
skipped and says why; ``.ci/run`` installs it where apt can. With
``KINTSUGI_SCREENSHOT=docs/serve-dashboard.png`` the test saves what the browser
showed of the dashboard there (the README's picture).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from app.demo import make_demo_couple
from app.store.local import LocalState
from tests.support.serve import eventually, linux_only, serving

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
WINDOW = (1280, 800)
TITLE = "Dinner without phones"
SCREENSHOT = "KINTSUGI_SCREENSHOT"

pytestmark = [
    linux_only,
    pytest.mark.skipif(
        CHROMIUM is None, reason="no Chromium here: `apt-get install chromium` to run the browser test"
    ),
]

# Added to the page before its own script runs: what its WebSocket is opened with and receives,
# since xterm.js draws the app on a canvas, where no text can be read back.
LISTEN = """
window.kintsugiSeen = {url: "", text: ""};
const Original = window.WebSocket;
window.WebSocket = function (url, protocols) {
  const ws = new Original(url, protocols);
  const decoder = new TextDecoder();
  window.kintsugiSeen.url = url;
  ws.addEventListener("message", (event) => {
    if (typeof event.data !== "string") {
      window.kintsugiSeen.text += decoder.decode(event.data, {stream: true});
    }
  });
  return ws;
};
window.WebSocket.prototype = Original.prototype;
"""


class DevTools:
    """One page of Chromium, over the DevTools protocol: a command, its answer; events kept in order."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.sent = 0
        self.events: list[dict[str, Any]] = []

    async def __call__(self, method: str, **params: Any) -> dict[str, Any]:
        self.sent += 1
        await self.ws.send_json({"id": self.sent, "method": method, "params": params})
        while True:
            answer = json.loads((await self.ws.receive(timeout=60)).data)
            if "method" in answer:
                self.events.append(answer)
            elif answer.get("id") == self.sent:
                if "error" in answer:
                    raise AssertionError(f"{method}: {answer['error']}")
                return answer["result"]

    async def evaluate(self, expression: str) -> Any:
        return (await self("Runtime.evaluate", expression=expression, returnByValue=True))["result"].get(
            "value"
        )

    async def press(self, key: str, code: str, keycode: int, text: str) -> None:
        await self(
            "Input.dispatchKeyEvent",
            type="keyDown",
            key=key,
            code=code,
            windowsVirtualKeyCode=keycode,
            text=text,
        )
        await self("Input.dispatchKeyEvent", type="keyUp", key=key, code=code, windowsVirtualKeyCode=keycode)

    async def write(self, words: str) -> None:
        for char in words:
            code = f"Key{char.upper()}" if char.isalpha() else "Space" if char == " " else ""
            await self.press(char, code, ord(char.upper()), char)


@pytest.fixture
def chromium(tmp_path: Path):
    """A headless Chromium of its own (own profile, nothing fetched from outside); its DevTools port."""
    profile = tmp_path / "chromium"
    process = subprocess.Popen(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
            f"--user-data-dir={profile}",
            f"--window-size={WINDOW[0]},{WINDOW[1]}",
            "--remote-debugging-port=0",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        active = profile / "DevToolsActivePort"
        yield process, active
    finally:
        with contextlib.suppress(ProcessLookupError):  # it may be gone already (a crash under load)
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


async def test_the_dashboard_in_a_real_browser(chromium, db_path: Path, tmp_path: Path) -> None:
    process, active = chromium
    make_demo_couple(db_path, LocalState(), dt.date.today())
    handed = tmp_path / "handed.txt"  # what `kintsugi serve` asks the default browser to open
    browser_command = tmp_path / "browser.sh"
    browser_command.write_text(f'#!/bin/sh\nprintf %s "$1" > {handed}\n', encoding="utf-8")
    browser_command.chmod(0o700)
    with serving(cwd=tmp_path, env={**os.environ, "BROWSER": str(browser_command)}) as served:
        await eventually(lambda: active.exists() and len(active.read_text().split()) == 2, "Chromium's port")
        port = active.read_text().split()[0]
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{port}/json/list") as response:
                [page] = [target for target in await response.json() if target["type"] == "page"]
            async with session.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                browser = DevTools(ws)
                await browser("Network.enable")
                await browser("Page.enable")  # without it, the script below is not added
                await browser("Page.addScriptToEvaluateOnNewDocument", source=LISTEN)
                await browser("Emulation.setFocusEmulationEnabled", enabled=True)
                await eventually(lambda: handed.exists() and handed.read_text() != "", "the page to open")
                await browser("Page.navigate", url=handed.read_text(encoding="utf-8"))

                async def shown(*words: str) -> bool:
                    seen = await browser.evaluate("window.kintsugiSeen && window.kintsugiSeen.text") or ""
                    return all(word in seen for word in words)

                await eventually(lambda: shown("Alex", "Sam", "Writing as Alex"), "the dashboard's names")
                assert await browser.evaluate("location.href") == served.url
                assert await browser.evaluate("document.body.classList.contains('-first-byte')")
                opened = await browser.evaluate("window.kintsugiSeen.url")
                columns, rows = (int(part.split("=")[1]) for part in opened.split("?")[1].split("&"))
                assert columns > 100 and rows > 30, opened  # fitted to the window, not 80 x 24
                await settled(browser)
                if os.environ.get(SCREENSHOT):
                    shot = await browser("Page.captureScreenshot", format="png")
                    Path(os.environ[SCREENSHOT]).write_bytes(base64.b64decode(shot["data"]))

                await browser.evaluate("document.querySelector('.xterm-helper-textarea').focus()")
                await browser.press("c", "KeyC", 67, "c")
                await eventually(lambda: shown("Log a celebration"), "the celebrate dialog")
                await browser.write(TITLE)
                await browser.press("Enter", "Enter", 13, "\r")
                await eventually(
                    lambda: TITLE in db_path.read_text(encoding="utf-8"), "the celebration in the file"
                )

                await browser("Runtime.evaluate", expression="0")  # the events so far, read
                asked = {
                    event["params"]["requestId"]: event["params"]["request"]["url"]
                    for event in browser.events
                    if event["method"] == "Network.requestWillBeSent"
                }
                blocked = {
                    event["params"]["requestId"]: event["params"].get("blockedReason")
                    for event in browser.events
                    if event["method"] == "Network.loadingFailed"
                }
                elsewhere = {  # every server asked but ours (the page handed to the browser is a file)
                    url: blocked.get(rid)
                    for rid, url in asked.items()
                    if not url.startswith((served.origin, "file:"))
                }
                # textual-serve's page asks for a font from Google: the policy stops it in the browser
                assert elsewhere == {"https://fonts.googleapis.com/css?family=Roboto%20Mono": "csp"}
                await browser("Browser.close")
        process.wait(timeout=60)


async def settled(browser: DevTools) -> None:
    """Until the app has sent nothing new for a second: the dashboard drawn in full."""
    seen = [-1]

    async def quiet() -> bool:
        now = await browser.evaluate("window.kintsugiSeen.text.length")
        if now == seen[-1]:
            return True
        seen.append(now)
        await asyncio.sleep(1.0)
        return False

    await eventually(quiet, "the app to finish drawing")
