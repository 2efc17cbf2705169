"""A sealed file's boxes kept as bytes: a keyring that seals one version of the file after another
writes, at every step, the very bytes a fresh keyring writes sealing that version whole."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest

from app.store import keys_sealing
from app.store.files import canonical_chunks, canonical_json
from app.store.keys import Keyring, sealed_meta
from app.store.lazy import REMOVED, LazyTable
from app.store.local import LocalState
from app.store.sealing import SEALED_TABLE, UNOPENED, FileKey

FILE_ID = "5ea1ed00-0000-4000-8000-0000000b17e5"
KEY = FileKey(bytes(range(1, 33)), FILE_ID)
META = sealed_meta({"file": {"file_id": FILE_ID, "schema_version": 1}}, KEY)
MACHINE = LocalState(Path(tempfile.mkdtemp(prefix="kintsugi-sealed-bytes-")) / "local.json")


def keyring() -> Keyring:
    ring = Keyring(MACHINE)
    ring.keep(KEY)
    return ring


def record(text: str) -> dict[str, Any]:
    return {"author": "a", "created": "1", "fields": {"title": text}, "stamps": {"title": "1"}, "history": {}}


def written(ring: Keyring, data: dict[str, Any]) -> bytes:
    return b"".join(canonical_chunks(ring.seal_data({**data, "_meta": META}))[0])


@pytest.mark.parametrize("rebase_after", [0, keys_sealing.REBASE_AFTER])
def test_each_save_writes_the_bytes_of_sealing_the_whole_file_afresh(
    rebase_after: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Records added, changed and removed, a table gone, a box that did not open and then did, and
    another version of the file sealed in between (a backup sealed by the same machine); the boxes
    put in since the sealed table's bytes were last joined written in pieces, or joined again."""
    monkeypatch.setattr(keys_sealing, "REBASE_AFTER", rebase_after)
    ring = keyring()
    celebration = {f"c{n:03}": record(f"moment {n}") for n in range(40)}
    checkin = {f"k{n:03}": record(f"day {n}") for n in range(30)}
    unopened_box = keyring().seal_data({"_meta": META, "wound": {"w1": record("kept sealed")}})[SEALED_TABLE]
    steps: list[dict[str, Any]] = [
        {"celebration": celebration, "checkin": checkin},
        {"celebration": {**celebration, "c020": record("changed")}, "checkin": checkin},
        {"celebration": {**celebration, "a000": record("first"), "z999": record("last")}, "checkin": checkin},
        {"celebration": {k: v for k, v in celebration.items() if k not in {"c000", "c021", "c039"}}},
        {"celebration": celebration, UNOPENED: dict(unopened_box.items())},
        {"celebration": celebration, UNOPENED: {'odd "id"': {"box": "é?", "more": 1}, "x": {"box": 7}}},
        {"celebration": {"c001": record("another copy")}, "checkin": {"k000": record("of the file")}},
        {"celebration": celebration, "wound": {"w1": record("kept sealed")}},
        {"celebration": {}, "checkin": checkin},
    ]
    for step in steps:
        out = written(ring, step)
        assert out == written(keyring(), step)
        assert out == canonical_json(keyring().seal_data({**step, "_meta": META})).encode("ascii")


@pytest.mark.parametrize(
    "changes",
    [
        {"b": {"x": 1}},
        {"a": {"x": 1}, "e": {"x": 2}},
        {"0": {"new": True}, "z": {"new": True}},
        {"a": "removed", "c": "removed", "e": "removed"},
        {"a": "removed", "b": "removed", "c": "removed", "d": "removed", "e": "removed"},
        {"bb": {"between": 1}, "c": "removed", "cc": {"between": 2}, "d": {"x": 3}},
    ],
)
def test_a_table_with_records_put_in_is_encoded_as_canonical_json(changes: dict[str, Any]) -> None:
    """The records between two changes are kept as one slice of the bytes: each lands where it
    belongs, and the table over the new bytes reads every record as it is."""
    records = {key: {"n": n, "text": f"record {key}"} for n, key in enumerate("abcde")}
    whole = canonical_json({"t": records}).encode("ascii")
    table = LazyTable.from_body(whole, whole.index(b"{", 1), len(whole) - 3, Path("t"))
    assert table is not None
    put = {key: REMOVED if value == "removed" else value for key, value in changes.items()}
    expected = {key: value for key, value in {**records, **put}.items() if value is not REMOVED}
    changed = table.with_records(put)
    expected_whole = canonical_json({"t": expected}).encode("ascii")
    assert bytes(changed.canonical()) == expected_whole[expected_whole.index(b"{", 1) : -3]
    rebased = changed.rebased()
    assert dict(rebased.items()) == expected
    fresh = LazyTable(rebased._text, (0, len(rebased._text)), rebased._ids, rebased._bounds, Path("t"))
    assert dict(fresh.items()) == expected  # the places of the kept records moved with them
