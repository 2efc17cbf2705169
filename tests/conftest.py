"""Shared fixtures: every test runs with its own files, never a real user's."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.cache import LRUCache

from app.content import Content, load_content
from app.store import couple_file, sealing, storage
from app.store.couple import CoupleStore
from app.store.local import LocalState
from app.tui.textual_patches import ThemeKeyedStylesheet
from tests.support.app import build_app

SHIPPED_SCRYPT_N = sealing.SCRYPT_N
"""The recovery code's scrypt cost as shipped (``private_home`` makes it cheap for the suite)."""

if "PYTEST_DEBUG_TEMPROOT" not in os.environ and os.access("/dev/shm", os.W_OK):
    # Every test's files in memory where the machine has a tmpfs: each save's fsync is then
    # nearly free, and the suite waits less on the disk. What is tested is the same: the files,
    # renames, locks and the watcher behave alike there (Linux's tmpfs supports inotify).
    os.environ["PYTEST_DEBUG_TEMPROOT"] = "/dev/shm"


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: a process more than the cores. A Pilot test waits for the app to fall idle after
    each key and pause (Textual's ``wait_for_idle``, 20 ms at a time), and the slow tests wait on
    their subprocesses: with one process a core, a core sat idle about a third of the suite."""
    return (os.cpu_count() or 1) + 1


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long tests (marked ``slow``) first, in their order, then the rest in theirs.

    The suite runs on several processes (pytest-xdist): started first, the long ones run beside
    the many short ones instead of being left for last, with one process busy and the others done.
    """
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(autouse=True, scope="session")
def shared_parses() -> Iterator[None]:
    """The Apps of a test process share their stylesheets' parses: each App would otherwise parse
    the same styles again, about a tenth of a short test's time. tests/tui/test_stylesheet.py
    checks the rules are Textual's own either way, and tests each App keeping its own."""
    ThemeKeyedStylesheet.shared_parses = LRUCache(4)
    yield
    ThemeKeyedStylesheet.shared_parses = None


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every path Kintsugi could touch into tmp_path."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    monkeypatch.setenv("KINTSUGI_DB", str(tmp_path / "synced" / "couple.json"))
    monkeypatch.setenv("KINTSUGI_LOCAL", str(tmp_path / "local" / "local.json"))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    monkeypatch.setenv("KINTSUGI_CHECK_CANONICAL", "1")  # each write compared with canonical_json
    monkeypatch.delenv("KINTSUGI_CONTENT", raising=False)
    # A file that is missing or not whole is given a moment to arrive (a sync service mid-swap);
    # the tests that damage files on purpose need not wait a second each. tests/test_arriving.py
    # sets it back where it tests the waiting.
    monkeypatch.setattr(couple_file, "SETTLE_S", 0.05)  # load_couple_file's
    monkeypatch.setattr(storage, "SETTLE_S", 0.05)  # and the storage's read_arriving
    # The recovery code's key is stretched with scrypt at a cost meant for a person typing it once
    # (~0.4 s); the cost is written beside the wrapped key and read back from there, so a cheaper
    # one in tests runs the same code. tests/test_machines_store.py checks the shipped cost.
    monkeypatch.setattr(sealing, "SCRYPT_N", 2**10)
    return home


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "synced" / "couple.json"


@pytest.fixture
def store(db_path: Path) -> CoupleStore:
    """A couple's file for Alex (at this machine) and Sam."""
    couple = CoupleStore(db_path)
    couple.init("Alex", "Sam")
    return couple


@pytest.fixture
def other_machine(tmp_path: Path):
    """Open a path as the partner's machine would: its own local file and replica id."""

    def open_as(path: Path, name: str = "other") -> CoupleStore:
        return CoupleStore(path, LocalState(tmp_path / f"local-{name}" / "local.json"))

    return open_as


@pytest.fixture
def content() -> Content:
    return load_content()


@pytest.fixture
def make_app(content: Content):
    """The one way a test builds the app: as the CLI does, with the content passed explicitly, on
    ``today`` if the test fixes the day. What it notifies is read with
    ``tests.support.app.notified(app)``."""

    def build(store: CoupleStore, acting: str | None = None, *, today: dt.date | None = None):
        return build_app(store, content, acting, today=today)

    return build
