"""Private entries stay in this machine's local file until their author shares them."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from app.content import load_content
from app.domain.models import Celebration
from app.export import export_json, export_markdown
from app.store.couple import CoupleStore
from app.store.storage import StoreError
from app.store.sync import sync_with

DAY = dt.date(2026, 11, 1)


def test_private_entry_never_reaches_the_couples_file(store: CoupleStore, db_path: Path) -> None:
    alex, sam = store.partners
    secret = store.add_entry(Celebration, alex.id, private=True, title="only mine for now", day=DAY)
    assert "only mine for now" not in db_path.read_text()
    assert "only mine for now" in Path(os.environ["KINTSUGI_LOCAL"]).read_text()
    assert [e.title for e in store.entries(Celebration, alex.id)] == ["only mine for now"]
    assert store.entries(Celebration, sam.id) == []  # Sam at the same keyboard does not see it
    assert store.is_private(Celebration, secret.id)


def test_edit_and_delete_a_private_entry(store: CoupleStore, db_path: Path) -> None:
    alex, _ = store.partners
    secret = store.add_entry(Celebration, alex.id, private=True, title="draft", day=DAY)
    store.edit_entry(Celebration, secret.id, alex.id, title="second draft")
    assert [e.title for e in store.entries(Celebration, alex.id)] == ["second draft"]
    assert "draft" not in db_path.read_text()
    store.delete_entry(Celebration, secret.id, alex.id)
    assert store.entries(Celebration, alex.id) == []
    assert "second draft" not in Path(os.environ["KINTSUGI_LOCAL"]).read_text()


def test_sharing_moves_the_entry_into_the_couples_file(
    store: CoupleStore, db_path: Path, other_machine
) -> None:
    alex, sam = store.partners
    secret = store.add_entry(Celebration, alex.id, private=True, title="ready to tell you", day=DAY)
    store.share_entry(Celebration, secret.id, alex.id)
    assert not store.is_private(Celebration, secret.id)
    assert json.loads(db_path.read_text())["celebration"][secret.id]["fields"]["title"] == "ready to tell you"
    assert "ready to tell you" not in Path(os.environ["KINTSUGI_LOCAL"]).read_text()
    sams = other_machine(db_path)
    assert [e.title for e in sams.entries(Celebration, sam.id)] == ["ready to tell you"]


def test_shared_entry_delete_leaves_a_tombstone(store: CoupleStore, db_path: Path) -> None:
    alex, _ = store.partners
    shared = store.add_entry(Celebration, alex.id, title="for us both", day=DAY)
    store.delete_entry(Celebration, shared.id, alex.id)
    assert json.loads(db_path.read_text())["celebration"][shared.id]["fields"]["deleted"] is True
    assert store.entries(Celebration, alex.id) == []


def test_private_entries_never_reach_a_synced_copy_a_backup_or_the_export(
    store: CoupleStore, db_path: Path, tmp_path: Path
) -> None:
    alex, _ = store.partners
    store.add_entry(Celebration, alex.id, private=True, title="only mine for now", day=DAY)
    store.add_celebration(alex.id, "ours to share")
    handed_over = tmp_path / "handed-over" / "couple.json"
    handed_over.parent.mkdir()
    handed_over.write_bytes(db_path.read_bytes())
    sync_with(store, handed_over, both=True)
    written = [handed_over, db_path, *db_path.parent.glob(".kintsugi/**/*.json")]
    assert all("only mine for now" not in path.read_text() for path in written)
    assert "ours to share" in handed_over.read_text()
    assert "only mine for now" not in export_markdown(store, load_content()) + export_json(store)


def test_taking_a_share_back_leaves_a_tombstone_and_the_entry_private_again(
    store: CoupleStore, db_path: Path, other_machine
) -> None:
    alex, sam = store.partners
    secret = store.add_entry(Celebration, alex.id, private=True, title="said too soon", day=DAY)
    store.share_entry(Celebration, secret.id, alex.id)
    sams = other_machine(db_path)
    assert [e.title for e in sams.entries(Celebration, sam.id)] == ["said too soon"]

    back = store.unshare_entry(Celebration, secret.id, alex.id)
    assert raw_fields(db_path, secret.id)["deleted"] is True  # the tombstone reaches Sam's copy
    assert sams.refresh() and sams.entries(Celebration, sam.id) == []
    assert store.is_private(Celebration, back.id) and back.created == secret.created
    assert "said too soon" in Path(os.environ["KINTSUGI_LOCAL"]).read_text()
    assert [(e.id, e.title) for e in store.entries(Celebration, alex.id)] == [(back.id, "said too soon")]

    store.share_entry(Celebration, back.id, alex.id)  # and it can be shared again
    assert [e.title for e in sams.entries(Celebration, sam.id)] == ["said too soon"]


def test_only_its_author_takes_a_share_back(store: CoupleStore) -> None:
    alex, sam = store.partners
    shared = store.add_entry(Celebration, alex.id, title="for us both", day=DAY)
    with pytest.raises(StoreError):
        store.unshare_entry(Celebration, shared.id, sam.id)
    assert [e.title for e in store.entries(Celebration, sam.id)] == ["for us both"]


def raw_fields(db_path: Path, record_id: str) -> dict:
    return json.loads(db_path.read_text())["celebration"][record_id]["fields"]
