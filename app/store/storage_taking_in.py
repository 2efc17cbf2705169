"""How ``CoupleStorage`` (``app.store.storage``) takes in the file on disk: ``TakesInTheFile``:
read whole or, when it is laid out as ours is, only the records whose bytes differ from ours
parsed and merged; what this machine's saves wrote lately taken back if the file lacks it; a
sealed file's boxes kept as read, for the next comparison."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from app.domain.models import SCHEMA_VERSION
from app.domain.records import newest_valid_stamp
from app.store.couple_file import (
    Data,
    file_id_of,
    load_couple_file,
    merge_data,
    read_couple_bytes,
    sealed_as_now,
)
from app.store.errors import StoreError
from app.store.files import (
    META_DOC,
    META_TABLE,
    Identity,
    changed_records,
    encode_entry,
    encoded_table,
    table_spans,
)
from app.store.keys import Locked, sealing_of
from app.store.lazy import LazyTable
from app.store.sealing import KEY_KIND, SCHEME, SEALED_FORMAT, SEALED_TABLE, UNOPENED
from app.store.written import recent_writes

if TYPE_CHECKING:
    from app.store.storage import CoupleStorage


def _newer_than_held(held: Mapping[str, Any] | None, records: Mapping[str, Any]) -> dict[str, Any]:
    """The ``records`` that ``held`` lacks, or holds only as they were before (by their stamps)."""
    held = held or {}
    return {
        record_id: record
        for record_id, record in records.items()
        if record_id not in held
        or (newest_valid_stamp(record) or "") > (newest_valid_stamp(held[record_id]) or "")
    }


def _body_of(table: Mapping[str, Any]) -> tuple[bytes, int, int]:
    """A table's body as written, for ``changed_records`` (a dict one is encoded for it)."""
    if isinstance(table, LazyTable):
        return table.body()
    body = encoded_table([encode_entry(record_id, table[record_id]) for record_id in sorted(table)])
    return body, 0, len(body)


class TakesInTheFile:
    """The file on disk taken in and merged with what the storage holds (mixed into ``CoupleStorage``)."""

    def _take_in_disk(self: CoupleStorage) -> None:
        """Read the file on disk and merge it with what we hold.

        A file that could not be read is not waited for again while it stays
        the very same file: the error is given at once.
        """
        if self._unreadable is not None and self._unreadable[0] == self._disk_stat():
            raise self._unreadable[1]
        if self._data is not None and self._take_in_changes_only():
            return
        try:
            disk, found, version, raw = load_couple_file(self.places.real, keyring=self.keyring, lazily=True)
        except StoreError as error:
            self._unreadable = (self._disk_stat(), error)
            raise
        self._unreadable = None
        sealing = sealing_of(disk)
        older_sealing = sealing is not None and sealing.get("scheme") != SCHEME
        if version < SCHEMA_VERSION or older_sealing:  # written by an older Kintsugi
            if self._before_write is not None:
                self._before_write(self.places, force=True)  # keep the file as it was first
            self.unsaved = True  # the next write or refresh saves the new format
        if older_sealing:  # its boxes open as they are; the records sealed from now on are deflated
            disk = {**disk, META_TABLE: sealed_as_now(disk[META_TABLE])}
        self._remember_boxes(raw)
        if self._data is None:
            self._data, self._stat = disk, found
            # A sealed file's records read from this machine's readable copy are not checked: they
            # are never written (their boxes are), and one that does not read is opened from its box.
            self._unchecked = [t for t in disk.values() if isinstance(t, LazyTable) and not t.mends]
            self.generation += 1
        else:
            self._merge_in(disk)
            self._stat = found
        self._recall_writes(found)

    def _recall_writes(self: CoupleStorage, found: Identity) -> None:
        """Merge in what this machine's saves wrote lately (``app.store.written``): a save a sync
        service replaced unseen is held again, and written back by the next save. A record of the
        file that cannot be read is left to be found where it is read (nothing is written over it)."""
        assert self._data is not None
        if UNOPENED in self._data:
            return
        try:
            lacking = {
                name: missed
                for name, records in recent_writes(self.places, file_id_of(self._data), found).items()
                if (missed := _newer_than_held(self._data.get(name), records))
            }
            if not lacking:
                return
            merged, _ = merge_data(self._data, {**lacking, META_TABLE: self._data[META_TABLE]})
        except StoreError:
            return
        if any(merged[name] is not self._data.get(name) for name in merged if name != META_TABLE):
            self._data = {**merged, META_TABLE: self._data[META_TABLE]}
            self.generation += 1
            self.unsaved = True

    def _remember_boxes(self: CoupleStorage, raw: bytes) -> None:
        """Keep a sealed file's bytes as read: what a later take-in compares with. Split into boxes
        only when one does (``_held_boxes``): every opening of a plain file would pay for it
        otherwise. The keyring's split, made when it opened them (``Keyring.open_file``), and that
        of a save (``_hold_as_written``) are kept as they are."""
        split = self.keyring.opened_boxes if self.keyring is not None else None
        if split is not None and split.is_over(raw):
            self._boxes, self._boxes_in = split, None
        else:
            self._boxes, self._boxes_in = None, (raw or None)

    def _held_boxes(self: CoupleStorage) -> LazyTable | None:
        if self._boxes is None and self._boxes_in is not None:
            raw, self._boxes_in = self._boxes_in, None
            spans = table_spans(raw)
            span = spans.get(SEALED_TABLE) if spans else None
            self._boxes = LazyTable.from_body(raw, *span, self.path) if span else None
        return self._boxes

    def _take_in_changes_only(self: CoupleStorage) -> bool:
        """Take in the file on disk parsing only the records whose bytes differ from ours.

        Both files are laid out as ``canonical_json`` lays them out, so each of
        the file's tables is compared with ours as bytes, and a table that
        differs record by record (``changed_records``); only the records that
        differ are parsed and merged. False when the file is not laid out so, or
        is of another format, couple or sealing: then it is read whole.
        """
        assert self._data is not None
        try:
            found, raw = read_couple_bytes(self.places.real)
        except StoreError:
            return False
        spans = table_spans(raw)
        if spans is None or META_TABLE not in spans:
            return False
        try:
            meta = json.loads(raw[slice(*spans[META_TABLE])])
            file_doc = meta[META_DOC]
            if file_doc["file_id"] != file_id_of(self._data):
                return False
            ours_sealing = sealing_of(self._data)
            if file_doc.get("sealing") != ours_sealing or (ours_sealing is None) != (
                SEALED_TABLE not in spans
            ):
                return False
            if file_doc["schema_version"] != (SEALED_FORMAT if ours_sealing else SCHEMA_VERSION):
                return False
            changed: Data = {}
            held: dict[str, dict[str, Any]] = {}  # ours of the records that differ, by table
            # The tables the file holds in the clear: a sealed file's others are in its boxes,
            # and a box of ours it lacks is told by the walk below (``missing``).
            in_the_clear = (KEY_KIND,) if ours_sealing is not None else tuple(self._data)
            lacks = meta != self._data[META_TABLE] or any(
                name not in spans and self._data.get(name) for name in in_the_clear if name != UNOPENED
            )
            for name, (start, end) in spans.items():
                if name == META_TABLE:
                    continue
                ours = self._held_boxes() if name == SEALED_TABLE else self._data.get(name, {})
                if ours is None:
                    return False
                body = ours.canonical() if isinstance(ours, LazyTable) else None
                if body is not None and end - start == len(body) and raw.startswith(body, start):
                    continue  # the very bytes we hold: nothing to parse
                walked = changed_records(_body_of(ours), raw, start, end)
                if walked is None:
                    return False
                chunks, mine, missing = walked
                lacks = lacks or missing
                if chunks:
                    changed[name] = json.loads(b"{" + b",".join(chunks) + b"}")
                    if name != SEALED_TABLE:
                        with contextlib.suppress(ValueError, RecursionError):  # else read from ours
                            held[name] = json.loads(b"{" + b",".join(mine) + b"}")
            if ours_sealing is not None and SEALED_TABLE in changed:
                assert self.keyring is not None
                boxes = {
                    META_TABLE: meta,
                    KEY_KIND: self._data.get(KEY_KIND, {}),
                    SEALED_TABLE: changed.pop(SEALED_TABLE),
                }
                opened = self.keyring.open_data(boxes)
                changed.update(
                    (kind, table) for kind, table in opened.items() if kind not in (META_TABLE, KEY_KIND)
                )
        except (ValueError, KeyError, TypeError, AttributeError, Locked):
            return False
        self._merge_in({**changed, META_TABLE: meta}, whole=False, held=held)
        if ours_sealing is not None:
            self._remember_boxes(raw)
        if lacks:
            self.unsaved = True
        self._stat = found
        self._recall_writes(found)
        return True

    def _merge_in(self: CoupleStorage, theirs: Data, *, whole: bool = True, held: Data | None = None) -> None:
        """Merge another copy of our file (the file on disk, a leftover, a swapped-out copy) into ours.

        ``whole=False``: ``theirs`` holds only the records that differ from ours
        (``_take_in_changes_only``), so whether it lacks something of ours is
        told by the records it holds; ``held``: ours of those, by table, where
        the walk found them (see ``merge_data``).
        """
        assert self._data is not None
        if file_id_of(theirs) != file_id_of(self._data):
            raise StoreError("file_other_couple", case="saving", path=self.path)
        merged, report = merge_data(self._data, theirs, held)
        if merged[META_TABLE] == self._data[META_TABLE]:
            merged[META_TABLE] = self._data[META_TABLE]
        if any(merged[name] is not self._data.get(name) for name in merged):  # a new table: it changed
            self._data = merged
            self.generation += 1
        if (whole and merged != theirs) or (
            not whole
            and any(
                merged[name][record_id] != raw
                for name, table in theirs.items()
                if name != META_TABLE
                for record_id, raw in table.items()
            )
        ):
            self.unsaved = True
        if report.anything and self._on_change is not None:
            self._on_change(report)
