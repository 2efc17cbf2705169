"""Fixtures for driving the TUI with Pilot (``content`` and ``make_app`` are in tests/conftest.py,
what the tests read and do in tests/support)."""

from __future__ import annotations

import pytest

from app.tui.widgets.breathing import BoxBreathing
from app.tui.widgets.countdown import Countdown


@pytest.fixture
def still_clocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Timers that never fire by themselves: tests call tick() and advance() instead of waiting."""
    monkeypatch.setattr(Countdown, "INTERVAL", 3600.0)
    monkeypatch.setattr(BoxBreathing, "INTERVAL", 3600.0)
