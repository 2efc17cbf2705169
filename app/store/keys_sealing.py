"""How a ``Keyring`` (``app.store.keys``) seals: ``SealsRecords``, the records turned back into
the file as it goes to disk, sealing only the records that changed."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.store.files import (
    CHECK_ENV,
    META_TABLE,
    encode_entry,
    encoded_table,
)
from app.store.lazy import REMOVED, LazyTable
from app.store.sealing import (
    PLAIN_KINDS,
    SEALED_TABLE,
    UNOPENED,
    FileKey,
    SealError,
)

if TYPE_CHECKING:
    from app.store.keys import Data, Keyring

# Boxes put in the sealed table since its bytes were joined (a save writes them in pieces) before
# they are joined again: this many, or an eighth of the table.
REBASE_AFTER = 256


class SealsRecords:
    """The records sealed into boxes (mixed into ``Keyring``)."""

    def seal_data(self: Keyring, data: Data) -> Data:
        """``data`` as it goes to disk: every record but the machines and their keys in a box.

        A record unchanged since it was last opened or sealed keeps its box (the
        very same entry), and a table that is the same object as last time keeps
        all of them. The sealed table is a ``LazyTable`` over the bytes of the one
        sealed last time, with the boxes that changed put in: a save seals and
        encodes only the records that changed, and the entries of the others are
        written as the bytes they were.
        """
        key = self.file_key(data)
        check = bool(os.environ.get(CHECK_ENV))
        out: Data = {}
        added: dict[str, Any] = {}
        gone: set[str] = set()
        tables = self._tables.setdefault(key.id, {})
        for name in [name for name in tables if name not in data]:  # a table no longer there
            gone.update(self._stored_ids(key, name, tables.pop(name)))
        for name, table in data.items():
            if name in PLAIN_KINDS or name == META_TABLE:
                out[name] = table
                continue
            cached = tables.get(name)
            if cached is not None and cached[0] is table and cached[1] == len(table) and not check:
                continue
            puts = self._puts_over(cached, table)
            if puts is not None:
                self._seal_puts(key, name, puts, added, gone)
                tables[name] = (table, len(table), None)
                continue
            sealed = self._sealed_over(key, name, cached, table, check) if name != UNOPENED else None
            if sealed is None:
                sealed = dict(table) if name == UNOPENED else self._sealed_table(key, name, table, check)
            tables[name] = (table, len(table), sealed)
            before: Mapping[str, Any] = {}
            if cached is not None:  # the boxes it held (one opened lazily: its records' stored ids)
                before = (
                    cached[2] if cached[2] is not None else dict.fromkeys(self._stored_ids(key, name, cached))
                )
            added.update(
                (stored_id, held) for stored_id, held in sealed.items() if before.get(stored_id) is not held
            )
            gone.update(stored_id for stored_id in before if stored_id not in sealed)
        held_now = [entries for _, _, entries in tables.values() if entries is not None]
        changes = {stored_id: REMOVED for stored_id in gone if not any(stored_id in e for e in held_now)}
        changes.update(added)
        boxes = self._boxes.get(key.id)
        boxes = boxes_of(held_now) if boxes is None else boxes.with_records(changes)
        if boxes.changed_count() > max(REBASE_AFTER, len(boxes) // 8):
            boxes = boxes.rebased()
        self._boxes[key.id] = boxes
        if check and not self._holds_the_records(key, dict(boxes.items()), tables):
            raise AssertionError("the sealed table's bytes are not the boxes of the records")
        out[SEALED_TABLE] = boxes
        return out

    @staticmethod
    def _puts_over(
        cached: tuple[Any, int, dict[str, Any] | None] | None, table: Any
    ) -> dict[str, Any] | None:
        """What was put in ``table`` since a table opened lazily (``cached``) it was made from."""
        if cached is None or cached[2] is not None or not isinstance(table, LazyTable):
            return None
        return table.puts_over(cached[0]) if isinstance(cached[0], LazyTable) else None

    def _seal_puts(
        self: Keyring, key: FileKey, name: str, puts: Mapping[str, Any], added: dict[str, Any], gone: set[str]
    ) -> None:
        """The boxes of the records put in a table opened lazily, and those of the records taken
        out: its other records' boxes are the bytes they were."""
        for record_id, raw in puts.items():
            if raw is REMOVED:
                gone.add(key.stored_id(name, record_id))
                continue
            stored_id, held = self._boxed(key, name, record_id, raw)
            added[stored_id] = held

    @staticmethod
    def _stored_ids(key: FileKey, name: str, cached: tuple[Any, int, dict[str, Any] | None]) -> list[str]:
        """The stored ids of the boxes of a table as last sealed (or opened)."""
        if cached[2] is not None:
            return list(cached[2])
        return [key.stored_id(name, record_id) for record_id in cached[0]]

    @staticmethod
    def _holds_the_records(
        key: FileKey, boxes: Mapping[str, Any], tables: Mapping[str, tuple[Any, int, dict[str, Any] | None]]
    ) -> bool:
        """Whether ``boxes`` are the boxes of the records, and nothing else: a table's boxes as it was
        sealed, and each record of a table opened lazily in a box that opens to it (one kept from a
        Kintsugi before holds it as that one sealed it): what ``KINTSUGI_CHECK_CANONICAL`` checks."""
        expected: dict[str, Any] = {}
        for name, (table, _, entries) in tables.items():
            if entries is not None:
                expected.update(entries)
            else:
                expected.update((key.stored_id(name, rid), (name, rid, raw)) for rid, raw in table.items())
        if boxes.keys() != expected.keys():
            return False
        for stored_id, wanted in expected.items():
            held = boxes[stored_id]
            if not isinstance(wanted, tuple):
                if held != wanted:
                    return False
                continue
            try:
                if key.open(stored_id, held.get("box")) != wanted:
                    return False
            except SealError:
                return False
        return True

    def _sealed_over(
        self: Keyring,
        key: FileKey,
        name: str,
        cached: tuple[Any, int, dict[str, Any] | None] | None,
        table: Mapping[str, Any],
        check: bool,
    ) -> dict[str, Any] | None:
        """The boxes of a table held as a dict, sealed before (``cached``): the boxes of the records
        that are the very objects it held then are kept without looking them up one by one (a
        merge or a save hands a new dict holding the same record objects but a few). None if it
        was not sealed so before, or records were taken out of it: it is sealed whole then."""
        if cached is None or cached[2] is None or isinstance(cached[0], LazyTable):
            return None
        before, sealed = cached[0], dict(cached[2])
        for record_id, raw in table.items():
            if before.get(record_id) is raw:
                continue
            stored_id, held = self._boxed(key, name, record_id, raw)
            sealed[stored_id] = held
        if len(sealed) != len(table):
            return None
        if check and sealed != self._sealed_table(key, name, table, check):
            raise AssertionError("a table sealed over the one before differs from it sealed whole")
        return sealed

    def _sealed_table(
        self: Keyring, key: FileKey, name: str, table: Mapping[str, Any], check: bool
    ) -> dict[str, Any]:
        """The boxes of one table's records, by stored id: a record known by the very object keeps its box."""
        sealed: dict[str, dict[str, Any]] = {}
        for record_id, raw in table.items():
            stored_id, held = self._boxed(key, name, record_id, raw, check)
            sealed[stored_id] = held
        return sealed

    def _boxed(
        self: Keyring, key: FileKey, name: str, record_id: str, raw: Any, check: bool = False
    ) -> tuple[str, dict[str, Any]]:
        """A record's stored id and the entry holding its box: the box it was last opened from or
        sealed into if it is the very same object (checked to open to it, with ``check``), else
        sealed now."""
        known = self._sealed.get((key.id, name, record_id))
        if known is not None and known[0] is raw:
            if check and key.open(known[1], known[2]["box"]) != (name, record_id, raw):
                raise AssertionError("a sealed record was kept though it changed in place")
            return known[1], known[2]
        box = key.seal(name, record_id, raw)
        held = {"box": box.box}
        self._remember(key.id, name, record_id, raw, box.stored_id, held)
        return box.stored_id, held


def boxes_of(tables: list[dict[str, Any]]) -> LazyTable:
    """The sealed table holding every box of ``tables``, encoded whole (the first save of a file)."""
    entries = {stored_id: held for table in tables for stored_id, held in table.items()}
    body = encoded_table([encode_entry(stored_id, entries[stored_id]) for stored_id in sorted(entries)])
    table = LazyTable.from_body(body, 0, len(body), Path(SEALED_TABLE))
    assert table is not None  # laid out as canonical_json lays it out: it was just encoded so
    return table
