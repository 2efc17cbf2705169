"""This machine's readable copy of what a ``Keyring`` (``app.store.keys``) opened:
``KeepsAReadableCopy``, the copy read back (each table split where its layout says, each record's
bytes checked against the sum it was written with) and written, and the copy's parts."""

from __future__ import annotations

import base64
import contextlib
import functools
import json
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.store.errors import StoreError
from app.store.files import (
    META_DOC,
    META_TABLE,
    atomic_write,
    canonical_chunks,
    encode_entry,
    encoded_table,
    ensure_folder,
    table_spans,
)
from app.store.lazy import REMOVED, LazyTable
from app.store.sealing import (
    PLAIN_KINDS,
    UNOPENED,
    FileKey,
    SealError,
)

if TYPE_CHECKING:
    from app.store.keys import Data, Keyring

COPY_BOXES = "~boxes"  # in the readable copy: the sealed table as it was when the copy was written
COPY_INDEX = "~index"  # in the readable copy: each box's kind and record id, as one JSON text
COPY_SPLIT = "~split"  # in the readable copy: where each of its boxes lay in the file (``LazyTable.layout``)
COPY_LAYOUT = "~layout"  # in the readable copy: each table's ids, where its records lie, their checksums
COPY_SPANS = "~~spans"  # the readable copy's last table: where the others lie (it is not scanned for them)

_COPY_ONLY = (COPY_BOXES, COPY_INDEX, COPY_LAYOUT, COPY_SPLIT, COPY_SPANS)


class KeepsAReadableCopy:
    """The readable copy, read and written (mixed into ``Keyring``)."""

    def _read_copy(
        self: Keyring, key: FileKey
    ) -> tuple[bytes, dict[str, tuple[int, int]], dict[str, LazyTable]] | None:
        """This machine's readable copy (its bytes, where its tables lie, its records by kind), if it
        is of this file and key and laid out as it is written."""
        if self.opened_copy is None:
            return None
        try:
            text = self.opened_copy.read_bytes()
            spans = _copy_spans(text)
            if spans is None or not {COPY_BOXES, COPY_INDEX, COPY_LAYOUT, COPY_SPLIT} <= spans.keys():
                return None
            meta = json.loads(text[slice(*spans[META_TABLE])])[META_DOC]
            if meta["file_id"] != key.file_id or meta["key"] != key.id:
                return None
            layout = json.loads(text[slice(*spans[COPY_LAYOUT])])
            names = [name for name in spans if name not in (META_TABLE, *_COPY_ONLY)]
            if sorted(layout) != names:
                return None
            tables: dict[str, LazyTable] = {}
            for name in names:  # each split as its layout says (checked whole), not by looking
                ids, at = layout[name]["ids"], layout[name]["at"]
                places, sums = (
                    base64.b64decode(layout[name]["places"]),
                    base64.b64decode(layout[name]["sums"]),
                )
                if _layout_check(ids, places, sums) != layout[name]["check"]:
                    return None
                table = LazyTable.laid_out(text, *spans[name], ids, places, self.opened_copy, at)
                guarded = table.guarded(sums, functools.partial(self._mended, key, name)) if table else None
                if guarded is None:
                    return None
                tables[name] = guarded
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return text, spans, tables

    def _mended(self: Keyring, key: FileKey, kind: str, record_id: str) -> Any:
        """A record of the readable copy whose bytes there are damaged, opened from its box in the
        file (a record is in the copy only while its box in the file is the bytes it was opened from)."""
        stored_id = key.stored_id(kind, record_id)
        boxes = self._boxes.get(key.id)
        held = boxes.get(stored_id) if boxes is not None else None
        try:
            found = key.open(stored_id, held.get("box") if isinstance(held, dict) else None)
        except SealError:
            found = None
        if found is None or found[:2] != (kind, record_id):
            raise StoreError("file_not_json", case="record", path=self.opened_copy, id=record_id[:12])
        return found[2]

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
        document: dict[str, Any] = {META_TABLE: {META_DOC: {"file_id": key.file_id, "key": key.id}}}
        for name, table in out.items():
            if name not in PLAIN_KINDS and name not in (META_TABLE, UNOPENED):
                document[name] = as_lazy(table, self.opened_copy).rebased()  # type: ignore[arg-type]
        kinds: dict[str, tuple[int, int]] = {}
        canonical_chunks(document, kinds)  # where each kind lies: the copy's own tables come after
        layout: dict[str, dict[str, Any]] = {}
        for name, (start, _) in kinds.items():
            if name != META_TABLE:
                ids, places = document[name].layout(start)
                sums = document[name].record_sums()
                layout[name] = {"at": start, "ids": ids, "check": _layout_check(ids, places, sums)}
                layout[name].update(
                    places=base64.b64encode(places).decode(), sums=base64.b64encode(sums).decode()
                )
        written = boxes.with_records({stored_id: REMOVED for stored_id in lacking}).rebased()
        ids, places = written.layout()
        document[COPY_BOXES] = written
        document[COPY_SPLIT] = {
            "at": written.body_start,
            "check": _layout_check(ids, places, b""),
            "ids": json.dumps(ids),
            "places": base64.b64encode(places).decode(),
        }
        document[COPY_INDEX] = {"all": json.dumps(index, sort_keys=True, separators=(",", ":"))}
        document[COPY_LAYOUT] = layout
        spans: dict[str, tuple[int, int]] = {}
        chunks = canonical_chunks(document, spans)[0]
        if any(spans[name] != span for name, span in kinds.items()):  # cannot be: they come first
            return
        trailer = encode_entry("all", {"spans": json.dumps(spans, sort_keys=True, separators=(",", ":"))})
        chunks[-1:] = [b",\n", f' "{COPY_SPANS}": '.encode("ascii"), encoded_table([trailer]), b"\n}\n"]
        with contextlib.suppress(OSError):  # not fsynced: one not whole is not used (its checksums)
            ensure_folder(self.opened_copy.parent)  # type: ignore[union-attr]
            atomic_write(self.opened_copy, chunks, durable=False)  # type: ignore[arg-type]


def as_lazy(table: Mapping[str, Any], path: Path) -> LazyTable:
    """A table as it goes into the readable copy: a record whose bytes in the copy it was read from
    are damaged written as its box holds it (``LazyTable.sound``); one held as a dict encoded."""
    if isinstance(table, LazyTable):
        return table.sound()
    body = encoded_table([encode_entry(record_id, table[record_id]) for record_id in sorted(table)])
    lazy = LazyTable.from_body(body, 0, len(body), path, parsed=dict(table))
    assert lazy is not None  # laid out as canonical_json lays it out: it was just encoded so
    return lazy


def _copy_spans(text: bytes) -> dict[str, tuple[int, int]] | None:
    """Where the readable copy's tables lie, as its last table says (each checked where it starts
    and ends: they follow one another as ``table_spans`` would find them), or as found by looking."""
    head = f'\n "{COPY_SPANS}": '.encode("ascii")
    at = text.rfind(head, max(0, len(text) - (1 << 16)))
    try:
        said = json.loads(json.loads(text[at + len(head) : len(text) - 3])["all"]["spans"]) if at > 0 else {}
        spans = {name: (int(start), int(end)) for name, (start, end) in said.items()}
        begins = [2, *(end + 2 for _, end in spans.values())]  # where each table's line starts
        if (
            spans
            and list(spans) == sorted(spans)
            and begins[-1] == at + 1  # the last table's line
            and text.endswith(b"\n}\n")
            and all(
                text.startswith(f' "{name}": '.encode("ascii"), begin)
                and begin + len(name) + 5 == start
                and text.startswith(b",\n", end)
                for (name, (start, end)), begin in zip(spans.items(), begins, strict=False)
            )
        ):
            return spans
    except (ValueError, KeyError, TypeError, AttributeError):
        pass
    return table_spans(text)


def _copy_split(copy: tuple[bytes, dict[str, tuple[int, int]], Any]) -> tuple[list[str], bytes, int] | None:
    """The ids of the sealed table the readable copy was written from, where each box lay in the
    couple's file, and where the table started in it."""
    text, spans, _ = copy
    try:
        split = json.loads(text[slice(*spans[COPY_SPLIT])])
        ids, places = json.loads(split["ids"]), base64.b64decode(split["places"])
        if _layout_check(ids, places, b"") != split["check"]:
            return None  # a split damaged would put the file's boxes where they are not
        return ids, places, int(split["at"])
    except (ValueError, KeyError, TypeError):
        return None


def _layout_check(ids: list[str], places: bytes, sums: bytes) -> int:
    """The checksum of a table's layout in the readable copy (a layout damaged is not used)."""
    return zlib.crc32("\n".join(ids).encode("utf-8", "surrogatepass"), zlib.crc32(places + sums))


def boxes_as_copied(
    copy: tuple[bytes, dict[str, tuple[int, int]], Any], body: bytes, span: tuple[int, int], path: Path
) -> LazyTable | None:
    """The file's sealed table, split as the copy's was, if its bytes are the copy's (it is not split
    again); None if they are not, or the copy's split does not fit them."""
    text, spans, _ = copy
    start, end = spans[COPY_BOXES]
    if end - start != span[1] - span[0] or not body.startswith(memoryview(text)[start:end], span[0]):
        return None
    split = _copy_split(copy)
    return LazyTable.laid_out(body, *span, *split[:2], path, split[2]) if split is not None else None


def copy_boxes(copy: tuple[bytes, dict[str, tuple[int, int]], Any], path: Path) -> LazyTable | None:
    """The sealed table the readable copy was written from, split as the copy says it is (a split
    that does not fit its bytes is not used)."""
    split = _copy_split(copy)
    if split is None:
        return None
    return LazyTable.laid_out(copy[0], *copy[1][COPY_BOXES], *split[:2], path, split[2])


def index_of(text: bytes, spans: Mapping[str, tuple[int, int]]) -> dict[str, list[str]]:
    """The readable copy's index: stored id -> [kind, record id] of each box it holds a record of."""
    index = json.loads(json.loads(text[slice(*spans[COPY_INDEX])])["all"])
    if not isinstance(index, dict):
        raise ValueError("the readable copy's index is not one")
    return index
