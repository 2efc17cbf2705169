"""How a ``Keyring`` (``app.store.keys``) opens a sealed file: ``OpensBoxes``, the file as it is on
disk turned into the records the store works with, laid out (``open_file``: each record parsed when
first read, and only the boxes whose bytes are not the readable copy's opened) or parsed whole
(``open_data``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.store.keys_copy import boxes_as_copied, copy_boxes, index_of
from app.store.lazy import REMOVED, LazyTable
from app.store.sealing import (
    SEALED_TABLE,
    UNOPENED,
    FileKey,
    SealError,
    opened_record,
)

if TYPE_CHECKING:
    from app.store.keys import Data, Keyring


class OpensBoxes:
    """The sealed file opened into records (mixed into ``Keyring``)."""

    def open_data(self: Keyring, disk: Data) -> Data:
        """The records of a sealed file parsed whole (a partner's changed boxes, a copy, a
        backup) as the store works with them.

        A box seen before (the same bytes) is not opened again; the new ones
        are opened, and their JSON parsed in one go. A box that does not open
        (damaged, or sealed under a key this machine does not hold) is kept
        under ``UNOPENED`` and written back as it is.
        """
        key = self.file_key(disk)
        out: Data = {name: table for name, table in disk.items() if name != SEALED_TABLE}
        todo: list[tuple[str, dict[str, Any]]] = []
        seen, tables = self._opened, {}
        for stored_id, held in disk.get(SEALED_TABLE, {}).items():
            known = seen.get(stored_id)
            if known is not None and (known[4] is held or known[0] == held.get("box")):
                table = tables.get(known[1])
                if table is None:
                    table = tables[known[1]] = out.setdefault(known[1], {})
                table[known[2]] = known[3]
            else:
                todo.append((stored_id, held))
        opened, unopened = self._open_boxes(key, todo)
        for _, _, kind, record_id, raw in opened:
            out.setdefault(kind, {})[record_id] = raw
        if unopened:
            out.setdefault(UNOPENED, {}).update(unopened)
        return out

    def open_file(
        self: Keyring,
        raw: bytes,
        spans: Mapping[str, tuple[int, int]],
        plain: Data,
        path: Path,
        *,
        copy_read: bool = True,
    ) -> Data | None:
        """A sealed file laid out canonically, opened as a plain file is: ``plain`` is its ``_meta``
        and plain tables; None if its sealed table is not laid out so (it is parsed whole then).

        Opening every box costs more than reading a plain file whole (AES-GCM-SIV
        and a JSON parse each), so this machine keeps a readable copy of what it
        opened (``opened_copy``, in its own state folder beside its keys, never
        synced: whoever can read it can read the keys that open the file anyway),
        laid out as the couple's file is: the records by kind, the sealed table
        as it was then, and each box's kind and id. The sealed table is split into
        boxes by their bytes; a box whose bytes are the copy's is not opened,
        its record is the copy's, read lazily (``LazyTable``: parsed when first
        read), and only the boxes that differ are opened. A copy of another file
        or key is not read; one that does not parse, or whose layout (each table's
        ids and places, kept so that nothing is split again) does not match its
        checksum, is not trusted at all. The copy is a cache and the file the
        truth: a record of the copy whose bytes do not match the checksum it was
        written with is opened from its box in the file (``LazyTable.guarded``).

        The copy is written here, when many boxes were new to it, and not when
        a running app takes in the partner's copy or writes: those change a few
        boxes, and writing every record out then would cost more than opening
        them at the next opening (which writes the copy). It is not fsynced: one
        left not whole by a crash fails its checksums, and is written again.
        """
        key = self.file_key(plain)
        span = spans.get(SEALED_TABLE)
        body, span = (raw, span) if span else (b"{}", (0, 2))
        copy = self._read_copy(key) if copy_read else None
        tables: dict[str, Any] = copy[2] if copy is not None else {}
        kept = None
        copied = boxes_as_copied(copy, body, span, path) if copy is not None else None
        if copied is not None:  # the file's sealed table is the copy's: split as the copy says
            boxes, fresh, gone = copied, [], []
        else:
            kept = copy_boxes(copy, path) if copy is not None else None
            boxes = LazyTable.from_body(body, *span, path)
            if boxes is None:
                return None
            if kept is None:
                tables, copy = {}, None
                fresh, gone = list(boxes), []
            else:
                fresh, gone = boxes.differing(kept)
        opened, unopened = self._open_boxes(key, [(stored_id, boxes[stored_id]) for stored_id in fresh])
        index: dict[str, list[str]] | None = None
        doubtful = [*gone, *unopened]  # boxes the copy may hold a record of, and nothing replaces
        doubtful += [o[0] for o in opened if key.stored_id(o[2], o[3]) != o[0]]
        changes: dict[str, dict[str, Any]] = {}
        try:
            if kept is not None and any(stored_id in kept for stored_id in doubtful):
                assert copy is not None
                index = index_of(copy[0], copy[1])
                for stored_id in doubtful:
                    if stored_id in index:
                        kind, record_id = index[stored_id]
                        changes.setdefault(kind, {})[record_id] = REMOVED
            if copy is not None and index is None and len(opened) > max(64, len(boxes) // 50):
                index = index_of(copy[0], copy[1])  # for the copy written below
        except (ValueError, KeyError, TypeError):  # an index that does not read: the copy is not trusted
            return self.open_file(raw, spans, plain, path, copy_read=False)
        for _, _, kind, record_id, record in opened:
            changes.setdefault(kind, {})[record_id] = record
        out: Data = dict(plain)
        for kind in {*tables, *changes}:
            table = tables.get(kind)
            put = changes.get(kind, {})
            if table is not None:
                out[kind] = table.with_records(put)
            else:
                out[kind] = {record_id: record for record_id, record in put.items() if record is not REMOVED}
        if unopened:
            out[UNOPENED] = unopened
        self._boxes[key.id] = self.opened_boxes = boxes
        self._tables[key.id] = {
            kind: (out[kind], len(out[kind]), None if isinstance(out[kind], LazyTable) else {})
            for kind in {*tables, *changes}
        }
        for stored_id, held, kind, _, _ in opened:
            sealed = self._tables[key.id][kind][2]
            if sealed is not None:
                sealed[stored_id] = held
        if self.opened_copy is not None and len(opened) > max(64, len(boxes) // 50):
            self._write_copy(key, out, boxes, index or {}, opened, [*gone, *unopened])
        return out

    def _open_boxes(
        self: Keyring, key: FileKey, todo: list[tuple[str, dict[str, Any]]]
    ) -> tuple[list[tuple[str, dict[str, Any], str, str, Any]], dict[str, Any]]:
        """Each box of ``todo`` (stored id, entry) opened: (stored id, entry, kind, id, record)
        for those that open to a record, and the entries of those that do not, by stored id."""
        fresh: list[tuple[str, dict[str, Any], bytes]] = []
        unopened: dict[str, Any] = {}
        for stored_id, held in todo:
            try:
                fresh.append((stored_id, held, key.open_plain(stored_id, held.get("box"))))
            except SealError:
                unopened[stored_id] = held
        opened = []
        for (stored_id, held, _), found in zip(
            fresh, _parse_all([plain for *_, plain in fresh]), strict=True
        ):
            try:
                kind, record_id, raw = opened_record(found)
            except SealError:
                unopened[stored_id] = held
                continue
            self._remember(key.id, kind, record_id, raw, stored_id, held)
            opened.append((stored_id, held, kind, record_id, raw))
        return opened, unopened


def _parse_all(plains: list[bytes]) -> list[Any]:
    """Each box's JSON, parsed in one call (one per box only if one of them is not JSON)."""
    if not plains:
        return []
    try:
        values = json.loads(b"[" + b",".join(plains) + b"]")
        if isinstance(values, list) and len(values) == len(plains):
            return values
    except ValueError:
        pass
    parsed: list[Any] = []
    for plain in plains:
        try:
            parsed.append(json.loads(plain))
        except ValueError:
            parsed.append(None)
    return parsed
