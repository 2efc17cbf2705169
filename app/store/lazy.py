"""A table of the couple's file kept as the bytes it was read as: each record parsed when first read.

Every file Kintsugi writes is laid out as ``canonical_json`` lays it out: a
table's records one after another, in id order, each starting on a line two
spaces in. Opening such a file does not parse it whole. A table is split
into its records' bytes the first time something looks for one of them
(``split_body``: two scans in C, for the lines that start them and their ids),
and a record is parsed the first time something reads it, then kept. A screen
that reads the few records it shows splits their tables and parses those few;
ten years of check-ins nobody looks at stay bytes (a third of the memory their
parsed form takes), split when the app reads the rest once its first screen is
up. A table whose bytes are not laid out so (another tool wrote it) is parsed
whole when first looked at, and held as its canonical bytes from then on.

A ``LazyTable`` never changes. A write, or a record taken in from the
partner's copy, makes a new one holding the same bytes and the records that
differ (``with_records``); its canonical bytes are the old records' bytes as
they were, and only the new ones encoded (``canonical``). Once those are on
disk, ``rebased`` holds them as its bytes.

A record (or a table laid out otherwise) whose bytes do not parse is found when
it is first read, or when the whole file is checked (``check``: before anything is written over it, and by
the TUI once its first screen is up), and is told as a damaged file is: one
sentence, nothing written.

A table of a copy that something else holds the truth of (this machine's readable copy of a
sealed file: ``app.store.keys``) is ``guarded``: each record's bytes come with their checksum
(crc32), checked as the record is parsed, and a record whose bytes do not match or do not parse is
taken from where the truth is (``mend``: its box in the couple's file), never told as damaged.

``LazyTable`` is here with what it holds and the tables made from one (``guarded``,
``with_records``, and the one over the bytes ``canonical`` makes); what it does is in the parts it is
made of, a module each (``self: LazyTable`` in their methods), as ``CoupleStore`` is of its areas:
``lazy_splitting`` (over a table's bytes, split into its records when first needed), ``lazy_reading``
(the mapping: a record parsed when first read, ``check``), ``lazy_finding`` (stamps, days and
fields found in the bytes), ``lazy_sums`` (a guarded table's checksums) and ``lazy_writing`` (what
was put in it, and its bytes as they go to disk).
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from app.store.files import RECORD_HEAD, encoded_table
from app.store.lazy_finding import FindsInTheBytes
from app.store.lazy_reading import REMOVED, ReadsRecords
from app.store.lazy_splitting import SplitsIntoRecords
from app.store.lazy_sums import ChecksSums
from app.store.lazy_writing import WritesBack


class LazyTable(SplitsIntoRecords, FindsInTheBytes, ChecksSums, WritesBack, ReadsRecords):
    """One table of the couple's file: record id -> record, each parsed when first read."""

    __slots__ = (
        "_bounds",
        "_canonical",
        "_encoded",
        "_entries",
        "_from",
        "_ids",
        "_mend",
        "_mended",
        "_newest",
        "_parsed",
        "_path",
        "_put",
        "_span",
        "_sums",
        "_text",
    )

    def __init__(
        self,
        text: bytes,
        span: tuple[int, int],
        ids: list[str] | None,
        bounds: array[int] | None,
        path: Path,
        parsed: dict[str, Any] | None = None,
        put: dict[str, Any] | None = None,
        guard: tuple[array[int], Callable[[str], Any], dict[str, Any]] | None = None,
        encoded: dict[str, tuple[Any, bytes]] | None = None,
    ) -> None:
        self._text = text  # the bytes the records are in (the whole file, or one table's body)
        self._span = span  # where this table's body lies in them
        if ids is not None and bounds is not None:  # else split when first needed (``over_body``)
            self._ids = ids  # the records' ids, in the order they are written (sorted)
            self._bounds = bounds  # per record: where its entry starts, its value starts, and both end
        self._path = path  # named when a record does not parse
        self._parsed: dict[str, Any] = {} if parsed is None else parsed  # records parsed so far
        self._put: dict[str, Any] = put or {}  # records that differ from the bytes (or are gone)
        self._canonical: tuple[bytes, LazyTable] | None = None
        self._entries: tuple[list[bytes], list[bytes]] | None = None
        # the records put, as encoded (``_entry``): shared by the tables made one from another
        self._encoded: dict[str, tuple[Any, bytes]] = {} if encoded is None else encoded
        self._from: LazyTable | None = None  # made from a table not split yet: split as that one is
        self._newest: list[list[tuple[int, int, bytes]]] = []  # ``_windows``, once found (shared)
        # ``guarded``: each record's crc32, where a record that does not match is taken from, and
        # the records taken so (shared by the tables over these bytes, as ``_parsed`` is)
        self._sums, self._mend, self._mended = guard if guard is not None else (None, None, {})

    # -- the tables made from this one: guarded, with records put, over its bytes encoded anew --

    def guarded(self, sums: bytes, mend: Callable[[str], Any]) -> LazyTable | None:
        """This table, each record checked against its checksum (``record_sums``' bytes) as it is
        parsed, one that does not match or parse taken from ``mend(record id)``; None if ``sums``
        cannot be its records' (not one a record)."""
        checks = array("I")
        if checks.itemsize != 4:  # pragma: no cover - every platform Kintsugi runs on
            return None
        try:
            checks.frombytes(sums)
        except ValueError:
            return None
        if len(checks) != len(self._ids) or self._put:
            return None
        return LazyTable(
            self._text, self._span, self._ids, self._bounds, self._path, guard=(checks, mend, {})
        )

    def with_records(self, changes: Mapping[str, Any]) -> LazyTable:
        """This table with ``changes`` (record id -> record) put in."""
        if not changes:
            return self
        split = self._split_yet()
        table = LazyTable(
            self._text,
            self._span,
            self._ids if split else None,
            self._bounds if split else None,
            self._path,
            self._parsed,
            {**self._put, **changes},
            self._guard(),
            self._encoded,
        )
        if not split:  # a take-in puts a few records in a table nobody read: not split for them
            table._from = self
        return table

    def _encode(self) -> tuple[bytes, LazyTable]:
        """The canonical body, and the table over it: changes encoded, and each run of records
        between two changes kept as one slice of our bytes (a write changes one record of
        thousands: the runs are copied as they are, their places moved by one addition each)."""
        ids, bounds, count = self._ids, self._bounds, len(self._ids)
        view = memoryview(self._text)
        chunks: list[bytes | memoryview] = []
        new_ids: list[str] = []
        new_bounds = array("q")
        sums = self._sums
        new_sums = array("I") if sums is not None else None  # a guarded table's: kept with the bytes
        parsed = dict(self._parsed)
        start = 2  # where the next entry begins in the new body, after its opening brace
        at = 0  # the first of our records not written yet

        def keep(upto: int) -> None:  # our records ``at`` up to ``upto``, unchanged, as one slice
            nonlocal start, at
            first, last = bounds[3 * at], bounds[3 * upto - 1]
            chunks.append(view[first:last])
            new_ids.extend(ids[at:upto])
            shift = start - first
            new_bounds.extend([place + shift for place in bounds[3 * at : 3 * upto]])
            if new_sums is not None:
                new_sums.extend(sums[at:upto])  # type: ignore[index]
            start += last - first + 2
            at = upto

        for place, record_id, value in self._placed_puts():
            if place > at:
                keep(place)
            if place < count and ids[place] == record_id:
                at = place + 1  # ours, changed or removed
            parsed.pop(record_id, None)
            if value is REMOVED:
                continue
            entry = self._entry(record_id, value)
            head = RECORD_HEAD.match(b"\n" + entry)
            assert head is not None
            chunks.append(entry)
            new_ids.append(record_id)
            new_bounds.extend((start, start + head.end() - 1, start + len(entry)))
            if new_sums is not None:
                new_sums.append(zlib.crc32(entry))
            start += len(entry) + 2
            parsed[record_id] = value
        if at < count:
            keep(count)
        body = encoded_table(chunks)
        guard = None
        if new_sums is not None and self._mend is not None:
            guard = (new_sums, self._mend, {k: v for k, v in self._mended.items() if k not in self._put})
        return body, LazyTable(body, (0, len(body)), new_ids, new_bounds, self._path, parsed, guard=guard)
