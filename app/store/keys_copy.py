"""This machine's readable copy of a sealed file: ``ReadableCopy``, the part of ``Keyring`` that
reads and writes it, and how its sealed table and index are read back.

The copy lies in this machine's state folder (``Places.opened_copy``), never synced, laid out as the
couple's file is: the records by kind, the sealed table as it was when the copy was written
(``COPY_BOXES``), where each of its boxes lies (``COPY_SPLIT``) and each box's kind and record id
(``COPY_INDEX``). A copy that does not read is not used: it only saves opening boxes again.
"""

from __future__ import annotations

import base64
import contextlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.store.files import META_DOC, META_TABLE, atomic_write, canonical_chunks, ensure_folder, table_spans
from app.store.lazy import REMOVED, LazyTable
from app.store.sealing import PLAIN_KINDS, UNOPENED, FileKey

if TYPE_CHECKING:
    from app.store.keys import Data, Keyring

COPY_BOXES = "~boxes"  # in the readable copy: the sealed table as it was when the copy was written
COPY_INDEX = "~index"  # in the readable copy: each box's kind and record id, as one JSON text
COPY_SPLIT = "~split"  # in the readable copy: where each box of ``COPY_BOXES`` lies (``LazyTable.layout``)


class ReadableCopy:
    """This machine's readable copy, read and written (mixed into ``Keyring``)."""

    def _read_copy(
        self: Keyring, key: FileKey
    ) -> tuple[bytes, dict[str, tuple[int, int]], dict[str, LazyTable]] | None:
        """This machine's readable copy (its bytes, where its tables lie, its records by kind), if it
        is of this file and key and laid out as it is written."""
        if self.opened_copy is None:
            return None
        try:
            text = self.opened_copy.read_bytes()
            spans = table_spans(text)
            if spans is None or not {COPY_BOXES, COPY_INDEX, COPY_SPLIT} <= spans.keys():
                return None
            meta = json.loads(text[slice(*spans[META_TABLE])])[META_DOC]
            if meta["file_id"] != key.file_id or meta["key"] != key.id:
                return None
        except (OSError, ValueError, KeyError, TypeError):
            return None
        tables: dict[str, LazyTable] = {}
        for name, span in spans.items():
            if name not in (META_TABLE, COPY_BOXES, COPY_INDEX, COPY_SPLIT):
                table = LazyTable.from_body(text, *span, self.opened_copy)
                if table is None:
                    return None
                tables[name] = table
        return text, spans, tables

    def _write_copy(
        self: Keyring,
        key: FileKey,
        out: Data,
        boxes: LazyTable,
        index: dict[str, list[str]],
        opened: list[tuple[str, dict[str, Any], str, str, Any]],
        lacking: list[str],
    ) -> None:
        """Keep a readable copy of every record opened from ``boxes`` (a lost copy only costs time):
        a box that did not open is left out of it, to be tried again at the next opening."""
        index = {stored_id: kind_id for stored_id, kind_id in index.items() if stored_id in boxes}
        index.update((stored_id, [kind, record_id]) for stored_id, _, kind, record_id, _ in opened)
        for stored_id in lacking:
            index.pop(stored_id, None)
        document: dict[str, Any] = {
            name: table
            for name, table in out.items()
            if name not in PLAIN_KINDS and name not in (META_TABLE, UNOPENED)
        }
        document[META_TABLE] = {META_DOC: {"file_id": key.file_id, "key": key.id}}
        written = boxes.with_records({stored_id: REMOVED for stored_id in lacking}).rebased()
        ids, places = written.layout()
        document[COPY_BOXES] = written
        document[COPY_SPLIT] = {"ids": json.dumps(ids), "places": base64.b64encode(places).decode("ascii")}
        document[COPY_INDEX] = {"all": json.dumps(index, sort_keys=True, separators=(",", ":"))}
        with contextlib.suppress(OSError):
            ensure_folder(self.opened_copy.parent)  # type: ignore[union-attr]
            atomic_write(self.opened_copy, canonical_chunks(document)[0])  # type: ignore[arg-type]


def copy_boxes(copy: tuple[bytes, dict[str, tuple[int, int]], Any], path: Path) -> LazyTable | None:
    """The sealed table the readable copy was written from, split as the copy says it is (a split
    that does not fit its bytes is not used)."""
    text, spans, _ = copy
    try:
        split = json.loads(text[slice(*spans[COPY_SPLIT])])
        ids, places = json.loads(split["ids"]), base64.b64decode(split["places"])
    except (ValueError, KeyError, TypeError):
        return None
    return LazyTable.laid_out(text, *spans[COPY_BOXES], ids, places, path)


def index_of(text: bytes, spans: Mapping[str, tuple[int, int]]) -> dict[str, list[str]]:
    """The readable copy's index: stored id -> [kind, record id] of each box it holds a record of."""
    index = json.loads(json.loads(text[slice(*spans[COPY_INDEX])])["all"])
    if not isinstance(index, dict):
        raise ValueError("the readable copy's index is not one")
    return index
