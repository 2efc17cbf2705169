"""A real ``kintsugi serve`` on 127.0.0.1 for a test, and what it takes to read it.

The server runs in a session of its own, as from a terminal, and is stopped
the way a terminal's Ctrl+C stops it: SIGINT to its whole process group. Its
process tree is read from /proc, so these tests are for Linux.
"""

from __future__ import annotations

import asyncio
import codecs
import inspect
import json
import os
import re
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest

ROOT = Path(__file__).resolve().parents[2]  # the checkout: tests/support/serve.py is two folders down
PATIENCE = 60.0  # seconds: a bound on waiting for a condition, never an assertion about speed
URL = re.compile(r"http://127\.0\.0\.1:(\d+)/\?token=([A-Za-z0-9_-]+)")

linux_only = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="reads the process tree in /proc"
)


def wait_until(condition: Callable[[], bool], what: str, patience: float = PATIENCE) -> None:
    deadline = time.monotonic() + patience
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting, after {patience:.0f} s, for {what}")
        time.sleep(0.05)


def running(pid: int) -> bool:
    """True while ``pid`` is a process that has not ended (a zombie has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (children, their children ...), from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


@dataclass
class Served:
    process: subprocess.Popen[str]
    port: int
    token: str
    lines: list[str] = field(default_factory=list)  # what it said on stdout
    errors: str = ""  # and on stderr, once it has ended
    seen: set[int] = field(default_factory=set)  # every process ever seen below the server

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.origin}/?token={self.token}"

    @property
    def cookie(self) -> dict[str, str]:
        return {"Cookie": f"kintsugi-{self.port}={self.token}"}

    def tabs(self) -> set[int]:
        """The app processes running under the server now (and remembered, to check they end)."""
        now = {pid for pid in descendants(self.process.pid) if running(pid)}
        self.seen |= now
        return now

    def ctrl_c(self) -> int:
        """What Ctrl+C in its terminal does: SIGINT to the whole process group; the exit status."""
        self.tabs()
        os.killpg(self.process.pid, signal.SIGINT)
        return self.finish()

    def finish(self) -> int:
        """Wait for the server to end (killing it if it will not); its exit status."""
        try:
            self.process.wait(timeout=PATIENCE)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            raise AssertionError(
                f"`kintsugi serve` still running {PATIENCE:.0f} s after being stopped"
            ) from None
        finally:
            rest, errors = self.process.communicate()
            self.lines += rest.splitlines()
            self.errors += errors
        return self.process.returncode

    def gone(self) -> bool:
        return not running(self.process.pid) and not any(running(pid) for pid in self.seen)


def read_line(process: subprocess.Popen[str], patience: float = PATIENCE) -> str:
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout=patience):
            raise AssertionError(f"no line from `kintsugi serve` in {patience:.0f} s")
    return process.stdout.readline()


@contextmanager
def serving(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Iterator[Served]:
    """``kintsugi serve --no-browser ARGS`` running in ``cwd``; stopped by Ctrl+C at the end if still up.

    Leaving checks that the server and every app process it started are gone.
    """
    process = subprocess.Popen(
        [sys.executable, "-P", "-m", "app", "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        env=env or os.environ.copy(),
        start_new_session=True,  # its own process group, as a terminal gives a command
    )
    try:
        first = read_line(process)
        found = URL.search(first)
        if found is None:
            process.kill()
            raise AssertionError(f"no address in {first!r}; stderr: {process.communicate()[1]!r}")
        served = Served(process, int(found[1]), found[2], [first.rstrip("\n")])
        yield served
        if process.poll() is None:
            assert served.ctrl_c() == 0, served.errors
        wait_until(served.gone, "the server and every app it started to end")
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


async def eventually(
    condition: Callable[[], bool | Awaitable[bool]], what: str, patience: float = PATIENCE
) -> None:
    """``wait_until`` for async tests (the event loop goes on); ``condition`` may be a coroutine."""
    deadline = time.monotonic() + patience
    while not await _holds(condition):
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting, after {patience:.0f} s, for {what}")
        await asyncio.sleep(0.05)


async def _holds(condition: Callable[[], bool | Awaitable[bool]]) -> bool:
    answer = condition()
    return await answer if inspect.isawaitable(answer) else answer


class Tab:
    """A browser tab's WebSocket, read all along as a browser would, so its app is never held up.

    ``text`` is what the app has sent it so far, escape sequences and all.
    """

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.text = ""
        self._decode = codecs.getincrementaldecoder("utf-8")("replace").decode
        self.reading = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:  # until the server closes it
            if message.type == aiohttp.WSMsgType.BINARY:
                self.text += self._decode(message.data)

    async def shows(self, *words: str) -> None:
        await eventually(lambda: all(word in self.text for word in words), f"the tab to show {words!r}")

    async def type(self, keys: str) -> None:
        await self.ws.send_str(json.dumps(["stdin", keys]))

    async def closed_by_the_server(self) -> bool:
        await asyncio.wait_for(self.reading, PATIENCE)
        return self.ws.closed


async def open_tab(session: aiohttp.ClientSession, served: Served, origin: str) -> Tab:
    """The WebSocket a browser tab opens, from ``origin``, with the page's cookie."""
    ws = await session.ws_connect(
        f"{served.origin}/ws?width=120&height=40", headers={**served.cookie, "Origin": origin}
    )
    return Tab(ws)
