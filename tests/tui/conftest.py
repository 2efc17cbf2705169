"""Fixtures for driving the TUI with Pilot (helpers to read results are in tui_helpers.py)."""

from __future__ import annotations

import pytest

from app.content import Content, load_content
from app.store.couple import CoupleStore
from app.tui.app import KintsugiApp


@pytest.fixture
def content() -> Content:
    return load_content()


@pytest.fixture
def make_app(content: Content):
    """The same factory the CLI uses, with the content passed explicitly."""

    def build(store: CoupleStore, acting: str | None = None) -> KintsugiApp:
        return KintsugiApp(store, content, acting)

    return build
