"""What was put in a ``LazyTable`` (``app.store.lazy``), and its bytes as they go to disk:
``WritesBack``, the records put since another table (and whether one was made from another), a
table holding what a table written whole holds (``absorb``), and its canonical bytes, its own
bytes as they were and only the records put encoded (``canonical``, ``pieces``, ``body``,
``rebased``)."""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from app.store.files import encode_entry, table_parts
from app.store.lazy_reading import REMOVED

if TYPE_CHECKING:
    from app.store.lazy import LazyTable


class WritesBack:
    """What was put in it, and its bytes as they go to disk (mixed into ``LazyTable``)."""

    __slots__ = ()

    def puts_over(self: LazyTable, base: LazyTable) -> dict[str, Any] | None:
        """Where this table differs from ``base``: the records put in it that ``base`` does not hold
        as they are (a record ``base`` had put in and this one put in again too), removals
        (``REMOVED``) too; None if they are not over the same bytes, or a record put in ``base`` is
        its bytes' again in this one (not made from ``base``: by ``with_records``, ``absorb``, one
        change after another)."""
        if self._ids is not base._ids or any(k not in self._put for k in base._put):
            return None
        return {k: v for k, v in self._put.items() if base._put.get(k, self) is not v}

    def is_over(self: LazyTable, text: bytes) -> bool:
        """Whether this table's bytes are ``text`` (the very object)."""
        return self._text is text

    def differing(self: LazyTable, other: LazyTable) -> tuple[list[str], list[str]]:
        """The ids whose entry's bytes differ from ``other``'s or that ``other`` lacks, and the ids
        only ``other`` holds (both unchanged: their bytes are their records)."""
        ours, theirs = self._entry_bytes(), other._entry_bytes()
        return [i for i, entry in ours.items() if theirs.get(i) != entry], [
            i for i in theirs if i not in ours
        ]

    def _entry_bytes(self: LazyTable) -> dict[str, bytes]:
        bounds, text = self._bounds, self._text
        return {
            record_id: text[bounds[3 * at] : bounds[3 * at + 2]] for at, record_id in enumerate(self._ids)
        }

    def put_since(self: LazyTable, other: LazyTable) -> dict[str, Any]:
        """The records put in this table and not in ``other`` (one it was made from)."""
        return {
            record_id: record
            for record_id, record in self._put.items()
            if record is not REMOVED and other._put.get(record_id) is not record
        }

    def absorb(self: LazyTable, table: Mapping[str, Any]) -> LazyTable:
        """A table holding what ``table`` holds, sharing this one's bytes where its records are ours.

        A record is ours when it is the very object this table hands out for
        its id (the store never changes a record in place): a table built from
        this one's records (TinyDB's own ``write``, a merge) keeps the bytes
        of all it did not change.
        """
        changes: dict[str, Any] = {}
        for record_id, record in table.items():
            if self._known(record_id) is not record:
                changes[record_id] = record
        for record_id in self:
            if record_id not in table:
                changes[record_id] = REMOVED
        return self.with_records(changes)

    def _known(self: LazyTable, record_id: str) -> Any:
        found = self._put.get(record_id, self)
        return self._parsed.get(record_id) if found is self else found

    def canonical(self: LazyTable) -> bytes | memoryview:
        """The table's body as ``canonical_json`` writes it: our bytes, and the changed records encoded."""
        if not self._put:
            return memoryview(self._text)[self._span[0] : self._span[1]]
        if self._canonical is None:
            self._canonical = self._encode()
        return self._canonical[0]

    def pieces(self: LazyTable) -> list[bytes | memoryview]:
        """``canonical()`` in pieces, not joined: the runs of our bytes between the records put,
        and those encoded. A write hands them to the file as they are: a table of megabytes with
        a record changed is not copied whole for it (a sealed file's boxes are one such table)."""
        if not self._put:
            return [self.canonical()]
        if self._canonical is not None:
            return [self._canonical[0]]
        ids, bounds, count = self._ids, self._bounds, len(self._ids)
        view = memoryview(self._text)
        entries: list[bytes | memoryview] = []
        at = 0  # the first of our records not given yet
        for place, record_id, value in self._placed_puts():
            if place > at:
                entries.append(view[bounds[3 * at] : bounds[3 * place - 1]])
                at = place
            if place < count and ids[place] == record_id:
                at = place + 1  # ours, changed or removed
            if value is not REMOVED:
                entries.append(self._entry(record_id, value))
        if at < count:
            entries.append(view[bounds[3 * at] : bounds[3 * count - 1]])
        return table_parts(entries)

    def changed_count(self: LazyTable) -> int:
        """How many records were put in (or taken out of) it since its bytes were written."""
        return len(self._put)

    def _placed_puts(self: LazyTable) -> list[tuple[int, str, Any]]:
        """The records put, each with the place among ours it goes to, in order."""
        ids = self._ids
        return sorted(
            (bisect.bisect_left(ids, record_id), record_id, value) for record_id, value in self._put.items()
        )

    def _entry(self: LazyTable, record_id: str, value: Any) -> bytes:
        """A record put, encoded (once: the tables made from this one share what was encoded)."""
        known = self._encoded.get(record_id)
        if known is not None and known[0] is value:
            return known[1]
        entry = encode_entry(record_id, value)
        self._encoded[record_id] = (value, entry)
        return entry

    def rebased(self: LazyTable) -> LazyTable:
        """The same table holding the bytes ``canonical`` made (once they are written): no changes."""
        if not self._put:
            return self
        self.canonical()
        assert self._canonical is not None
        return self._canonical[1]

    def body(self: LazyTable) -> tuple[bytes, int, int]:
        """The table's body as ``canonical`` writes it: the bytes it is in, and where it starts
        and ends in them (what ``app.store.files.changed_records`` walks, in place: a table not
        split yet is not split for it)."""
        table = self.rebased()
        return table._text, *table._span
