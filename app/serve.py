"""``kintsugi serve``: the app in this machine's browser, for the partner who never opens a terminal.

textual-serve (pinned exactly in pyproject) relays a Textual app to a browser:
each tab gets a WebSocket and its own app process, the command it is given.
It has no authentication and no Origin check, so any web page open in the
same browser could drive an app it serves. ``GuardedServer`` adds them:

- a token (``secrets.token_urlsafe``) in the address printed and opened, and
  a cookie holding it once a page was loaded with it, so the page's own
  stylesheet, script and WebSocket, and a reload, pass; every route asks for
  one or the other (``hmac.compare_digest``), else 403. The cookie is
  ``HttpOnly`` and ``SameSite=Strict``: a link or request from another site
  never carries it.
- a request naming another Origin is refused, and a WebSocket handshake must
  name the served page's own: a page served on this host from another port is
  the same site to the cookie, not the same origin.
- a Content-Security-Policy on every response, so the page fetches nothing
  from anywhere but this server (textual-serve's page asks Google for a font),
  and sends no Referer.
- the browser is handed a 0600 page that leads to the link, not the link:
  every user of the machine can read a program's command line.

The one private hook is textual-serve's app factory ``Server._make_app``: the
middleware and the response hook are added to the aiohttp application it
builds (tests/test_serve.py fails loudly if it changes); ``on_startup`` and
``on_shutdown`` are its hooks for subclasses. The server binds its socket
itself, so the port (a free one unless asked) and the page's origin are known
before anything is served. Ctrl+C (SIGINT) or SIGTERM closes every tab's
WebSocket, which tells its app to quit, and waits (``SHUTDOWN_TIMEOUT`` at
most) for each app to finish.
"""

from __future__ import annotations

import asyncio
import hmac
import html
import logging
import os
import secrets
import shlex
import signal
import socket
import sys
import tempfile
import webbrowser
from collections.abc import Awaitable, Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from weakref import WeakSet

from aiohttp import WSCloseCode, web
from textual_serve.server import Server

TOKEN = "token"
TITLE = "Kintsugi"
FORBIDDEN = "Kintsugi: this address needs the link `kintsugi serve` printed (and opened) for you."
SHUTDOWN_TIMEOUT = 10.0  # seconds the apps have to quit once their tabs are closed


def served_command(db: Path, acting: str | None) -> str:
    """The shell command each tab runs: this interpreter, this couple's file, this partner.

    ``exec`` leaves no shell between the server and the app; ``-P`` keeps the
    current folder off ``sys.path``, so a folder holding its own ``app``
    package cannot stand in for Kintsugi; ``app.browser_tab`` is ``python -m
    app`` that also ends when the server is gone.
    """
    words = [sys.executable, "-P", "-m", "app.browser_tab", "--db", str(db.absolute())]
    if acting is not None:
        words += ["--as", acting]
    return "exec " + shlex.join(words)


class GuardedServer(Server):
    """textual-serve's Server, every route behind the token and WebSockets behind their Origin."""

    def __init__(self, command: str, host: str, port: int, token: str) -> None:
        origin = f"http://{host}:{port}"
        super().__init__(command, host=host, port=port, title=TITLE, public_url=origin)
        self.origin = origin
        self.token = token
        self.cookie = f"kintsugi-{port}"  # cookies ignore ports: one name a server
        self.sessions: WeakSet[web.WebSocketResponse] = WeakSet()
        self.tabs: set[asyncio.Future[None]] = set()  # done as each tab's app ends

    @property
    def url(self) -> str:
        return f"{self.origin}/?{TOKEN}={self.token}"

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()  # textual-serve's private factory: its routes, unguarded
        app.middlewares.append(self._guard)
        app.on_response_prepare.append(self._prepare)
        return app

    def _holds_token(self, presented: str | None) -> bool:
        if presented is None:
            return False
        return hmac.compare_digest(presented.encode("utf-8", "surrogatepass"), self.token.encode())

    @web.middleware
    async def _guard(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        from_link = self._holds_token(request.query.get(TOKEN))
        if not (from_link or self._holds_token(request.cookies.get(self.cookie))):
            raise web.HTTPForbidden(text=FORBIDDEN)
        origin = request.headers.get("Origin")
        handshake = request.headers.get("Upgrade", "").lower() == "websocket"
        if (origin is not None or handshake) and origin != self.origin:
            raise web.HTTPForbidden(text=FORBIDDEN)
        if handshake:
            return await self._tab(request, handler)
        response = await handler(request)
        if from_link and not response.prepared:
            response.set_cookie(self.cookie, self.token, httponly=True, samesite="Strict")
        return response

    async def _tab(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        """A tab's WebSocket: textual-serve's handler returns once the tab's app has ended."""
        ended = asyncio.get_running_loop().create_future()
        self.tabs.add(ended)
        try:
            return await handler(request)
        finally:
            ended.set_result(None)
            self.tabs.discard(ended)

    async def _prepare(self, request: web.Request, response: web.StreamResponse) -> None:
        """Every response: nothing fetched from elsewhere, no Referer, never framed; tabs noted."""
        ws = f"ws://{self.host}:{self.port}"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data:; connect-src 'self' {ws}; frame-ancestors 'none'; "
            "base-uri 'none'; form-action 'none'"
        )
        response.headers["Referrer-Policy"] = "no-referrer"
        if isinstance(response, web.WebSocketResponse):
            self.sessions.add(response)

    async def on_startup(self, app: web.Application) -> None:
        """textual-serve prints a banner here; ``serve`` says its own lines."""

    async def on_shutdown(self, app: web.Application) -> None:
        """Close every tab, which tells its app to quit, and wait for the apps to end.

        aiohttp cancels the handlers still running after this, and a cancelled
        handler stops waiting for its app: the wait has to be here.
        """
        await asyncio.gather(
            *(ws.close(code=WSCloseCode.GOING_AWAY) for ws in list(self.sessions)),
            return_exceptions=True,
        )
        if self.tabs:
            await asyncio.wait(self.tabs, timeout=SHUTDOWN_TIMEOUT)


def listening_socket(host: str, port: int) -> socket.socket:
    """Bound and listening now, so the port (``0``: a free one) is known before serving."""
    return socket.create_server((host, port))


@contextmanager
def redirect_page(url: str) -> Iterator[Path]:
    """A page that sends the browser on to ``url``: readable by this user alone, removed afterwards.

    The browser is handed this page's path, not the link: any user of the
    machine can read a program's command line (``ps``), and the link holds
    the token.
    """
    with tempfile.TemporaryDirectory(prefix="kintsugi-serve-") as folder:  # 0700
        page = Path(folder) / "open.html"
        with os.fdopen(os.open(page, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
            out.write(f'<!DOCTYPE html><meta http-equiv="refresh" content="0; url={html.escape(url)}">\n')
        yield page


class OneLine(logging.Formatter):
    """What aiohttp and textual-serve log (a malformed request, say): one line, never a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        return f"kintsugi: {record.getMessage()}"


def serve(command: str, sock: socket.socket, *, open_browser: bool, announce: Callable[[str], None]) -> None:
    """Serve ``command`` on ``sock`` until Ctrl+C or SIGTERM; every tab's app has ended on return.

    ``announce`` is given the tokened address once the server answers.
    """
    handler = logging.StreamHandler()
    handler.setFormatter(OneLine())
    logging.basicConfig(level=logging.WARNING, handlers=[handler])
    asyncio.run(_serve(command, sock, open_browser=open_browser, announce=announce))


async def _serve(
    command: str, sock: socket.socket, *, open_browser: bool, announce: Callable[[str], None]
) -> None:
    host, port = sock.getsockname()[:2]
    server = GuardedServer(command, host, port, secrets.token_urlsafe(32))
    runner = web.AppRunner(await server._make_app(), access_log=None)
    await runner.setup()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await web.SockSite(runner, sock).start()
        announce(server.url)
        with ExitStack() as opened:
            if open_browser:
                page = opened.enter_context(redirect_page(server.url))
                await asyncio.to_thread(webbrowser.open, page.as_uri())
            await stop.wait()
    finally:
        await runner.cleanup()
