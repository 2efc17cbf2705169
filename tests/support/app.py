"""The app as every test builds it, and what it notified.

``build_app`` is what the ``make_app`` fixture (tests/conftest.py) calls: the App as the CLI
makes it (``KintsugiApp(store, content, acting)``), on a fixed day when a test gives one. It
keeps each notification the app makes, so a test reads them with ``notified(app)`` rather than
from Textual's private ``App._notifications``: the app's own ``notify`` is wrapped on that one
instance (the App's class is untouched), and ``clear_notifications`` forgets them as it clears
the toasts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from textual.app import App

from app.content import Content
from app.store.couple import CoupleStore
from app.tui.app import KintsugiApp


@dataclass(frozen=True)
class Told:
    """One notification, as the app made it."""

    message: str
    severity: str
    markup: bool


_told: WeakKeyDictionary[App[Any], list[Told]] = WeakKeyDictionary()


def build_app(
    store: CoupleStore, content: Content, acting: str | None = None, *, today: dt.date | None = None
) -> KintsugiApp:
    """The App as the CLI builds it; on ``today`` if given, else on the real day."""
    app = KintsugiApp(store, content, acting, today=None if today is None else (lambda: today))
    keep_notifications(app)
    return app


def keep_notifications(app: App[Any]) -> None:
    """From now on, keep what ``app`` notifies (every widget's and screen's ``notify`` calls the App's)."""
    told: list[Told] = []
    notify, clear = app.notify, app.clear_notifications

    def notify_and_keep(message: str, **options: Any) -> None:
        told.append(Told(message, options.get("severity", "information"), options.get("markup", True)))
        notify(message, **options)

    def clear_and_forget() -> None:
        told.clear()
        clear()

    app.notify = notify_and_keep  # type: ignore[method-assign]
    app.clear_notifications = clear_and_forget  # type: ignore[method-assign]
    _told[app] = told


def notified(app: App[Any]) -> list[Told]:
    """What ``app`` notified since it was built or last cleared its notifications, oldest first."""
    assert app in _told, "notified() reads an app built by the make_app fixture"
    return list(_told[app])
