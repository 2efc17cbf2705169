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
"""

from __future__ import annotations

import bisect
import json
import operator
import re
import zlib
from array import array
from collections.abc import Callable, ItemsView, Iterator, Mapping, ValuesView
from itertools import chain, islice, repeat
from pathlib import Path
from typing import Any

from app.domain.records import newest_valid_stamp
from app.store.errors import StoreError
from app.store.files import RECORD_HEAD, decoded_key, encode_entry, encoded_table, table_parts

_NEXT_RECORD = b',\n  "'
REMOVED = object()  # in ``_put``: a record the table no longer holds
_CHECK_BATCH = 500  # records parsed at a time by ``check``: a key pressed meanwhile waits for one batch
# Anything in the bytes that looks like a clock stamp (in a record's stamps, its history, or words
# someone typed): a record holding one newer than a stamp is parsed to see what its stamps are.
_WINDOW = 1 << 18
_STAMP_LIKE = re.compile(rb'"(\d{13}-[0-9a-f]{4}-[0-9a-z]{1,32})"')
_CREATED = re.compile(rb'\n   "created": "([^"\\\n]*)"')  # a record's own stamp, in its envelope
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


_HEAD = re.compile(rb'\n  "')  # where a record's line begins: what a record holds is deeper in
_NEXT_HEAD = re.compile(rb',\n  "([^"\\\n]*)": ')  # a record after the first, its id plainly written
_FIRST_HEAD = re.compile(rb'\n  "([^"\\\n]*)": ')


def split_body(text: bytes, start: int, end: int) -> tuple[list[str], array[int]] | None:
    """The ids and places (``LazyTable._bounds``) of the records of the table body
    ``text[start:end]``; None if it is not laid out as ``canonical_json`` lays it out.

    Two scans of the bytes in C (where each record's line begins, and each id after a comma)
    and a few operations on whole lists; a record's own bytes are not looked at. A body whose
    ids are not plainly written (an escape in one) is split a record at a time."""
    if end - start == 2 and text.startswith(b"{}", start):
        return [], array("q")
    last = end - 3
    if not (text.startswith(b"{\n", start) and text.startswith(b"\n }", last)):
        return None
    heads = array("q", map(re.Match.start, _HEAD.finditer(text, start + 1, last)))
    if not heads or heads[0] != start + 1:
        return None
    first = _FIRST_HEAD.match(text, start + 1, last)
    quoted = [first[1], *_NEXT_HEAD.findall(text, start + 1, last)] if first else []
    if len(quoted) != len(heads):
        return _split_one_by_one(text, start, end)
    joined = b"\0".join(quoted)
    if not joined.isascii() or not all(map(operator.lt, quoted, islice(quoted, 1, None))):
        return None  # ids in order, as canonical_json sorts them
    firsts = map(operator.add, heads, repeat(1))
    values = map(operator.add, heads, map(operator.add, map(len, quoted), repeat(7)))  # '\n  "', id, '": '
    ends = chain(map(operator.sub, islice(heads, 1, None), repeat(1)), (last,))  # at the comma
    bounds = array("q", chain.from_iterable(zip(firsts, values, ends, strict=True)))
    return joined.decode("ascii").split("\0"), bounds


def _split_one_by_one(text: bytes, start: int, end: int) -> tuple[list[str], array[int]] | None:
    """``split_body`` for a body an id of which is written with an escape: a record at a time."""
    ids: list[str] = []
    bounds = array("q")
    previous = -1
    for head in RECORD_HEAD.finditer(text, start + 1, end - 3):
        quoted = head[1]
        record_id = decoded_key(quoted) if quoted.isascii() else None
        first = head.start() + 1
        if previous < 0:
            if first != start + 2:
                return None
        elif text[first - 2] != 44:  # a record ends with a comma before the next one's line
            return None
        else:
            bounds.append(first - 2)
        if record_id is None or (ids and record_id <= ids[-1]):
            return None
        ids.append(record_id)
        bounds.append(first)
        bounds.append(head.end())
        previous = first
    if previous < 0:
        return None
    bounds.append(end - 3)
    return ids, bounds


class LazyTable(Mapping[str, Any]):
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

    @classmethod
    def from_body(
        cls, text: bytes, start: int, end: int, path: Path, parsed: dict[str, Any] | None = None
    ) -> LazyTable | None:
        """The table whose body is ``text[start:end]``; None if it is not laid out canonically.
        ``parsed``: its records, where they are at hand already."""
        found = split_body(text, start, end)
        return None if found is None else cls(text, (start, end), *found, path, parsed)

    @classmethod
    def over_body(cls, text: bytes, start: int, end: int, path: Path) -> LazyTable:
        """The table whose body is ``text[start:end]``, split into its records the first time one is
        looked for (``_split``): opening a file splits only the tables a screen reads, the rest
        when they are read or checked. A body not laid out canonically is parsed whole then (a
        ``StoreError`` if it does not parse) and held as its canonical bytes."""
        return cls(text, (start, end), None, None, path)

    def __getattr__(self, name: str) -> Any:
        """``_ids`` and ``_bounds``, not set until the table is split (``over_body``)."""
        if name not in ("_ids", "_bounds"):
            raise AttributeError(name)
        self._split()
        return object.__getattribute__(self, name)

    def _split(self) -> None:
        base = self._from
        if base is not None:  # the very lists of the table it was made from (``puts_over``)
            self._ids, self._bounds = base._ids, base._bounds
            self._text, self._span, self._from = base._text, base._span, None
            return
        start, end = self._span
        found = split_body(self._text, start, end)
        if found is None:
            found = self._rewritten(start, end)
        self._ids, self._bounds = found

    def _rewritten(self, start: int, end: int) -> tuple[list[str], array[int]]:
        """A body not laid out canonically (another tool wrote it, or a hand): parsed whole, and
        held from now on as its canonical bytes, every record parsed."""
        try:
            records = json.loads(self._text[start:end])
        except json.JSONDecodeError as error:
            line = self._text.count(b"\n", 0, start) + error.lineno
            raise StoreError("file_not_json", case="line", path=self._path, line=line) from None
        except (ValueError, RecursionError):
            raise StoreError("file_not_json", case="deep", path=self._path) from None
        if not isinstance(records, dict) or not all(isinstance(record, dict) for record in records.values()):
            raise StoreError("file_wrong_shape", case="not_ours", path=self._path)
        body = encoded_table([encode_entry(record_id, records[record_id]) for record_id in sorted(records)])
        found = split_body(body, 0, len(body))
        assert found is not None  # laid out canonically: it was just encoded so
        self._text, self._span = body, (0, len(body))
        self._parsed.update(records)
        return found

    def layout(self, start: int | None = None) -> tuple[list[str], bytes]:
        """Its ids, and where its records lie (its places' bytes) in a text where its body starts
        at ``start`` (where it starts in its own, if None): what makes the table again over the
        same bytes there (``laid_out``) without splitting them."""
        bounds, shift = self._bounds, 0 if start is None else start - self._span[0]
        return self._ids, (bounds if not shift else array("q", [place + shift for place in bounds])).tobytes()

    @classmethod
    def laid_out(
        cls,
        text: bytes,
        start: int,
        end: int,
        ids: list[str],
        places: bytes,
        path: Path,
        at: int | None = None,
    ) -> LazyTable | None:
        """The table whose body is ``text[start:end]``, its records where ``layout`` said of the same
        bytes when they started at ``at`` (moved with them if they start elsewhere now); None if
        that cannot be of them (not as many places as records, not starting and ending where the
        body does)."""
        bounds = array("q")
        try:
            bounds.frombytes(places)
        except ValueError:
            return None
        if not (isinstance(ids, list) and all(isinstance(record_id, str) for record_id in ids)):
            return None
        count = len(ids)
        if at is not None and at != start:
            bounds = array("q", [place + start - at for place in bounds])
        if len(bounds) != 3 * count or (count and (bounds[0] != start + 2 or bounds[-1] != end - 3)):
            return None
        return cls(text, (start, end), ids, bounds, path)

    # -- a copy of what is held elsewhere -----------------------------------------------

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

    @property
    def mends(self) -> bool:
        """Whether a record of it whose bytes do not read is taken from elsewhere (``guarded``)."""
        return self._mend is not None

    @property
    def body_start(self) -> int:
        """Where its body starts in its bytes."""
        return self._span[0]

    def record_sums(self) -> bytes:
        """The crc32 of each record's entry (its id and value) as written (``canonical``), in order,
        as bytes: what ``guarded`` checks them with. A guarded table's records kept as their bytes
        keep the checksum they came with: a record damaged in them is found again where read."""
        table = self.rebased()
        if table._sums is not None:
            return table._sums.tobytes()
        view, bounds, crc = memoryview(table._text), table._bounds, zlib.crc32
        sums = array("I", [crc(view[bounds[i] : bounds[i + 2]]) for i in range(0, len(bounds), 3)])
        return sums.tobytes()

    def sound(self) -> LazyTable:
        """This table with every record whose bytes do not match their checksum taken from ``mend``
        (a guarded table's; any other is returned as it is): what is written again is the truth."""
        if self._sums is None:
            return self
        todo = [
            at
            for at, record_id in enumerate(self._ids)
            if record_id not in self._parsed and record_id not in self._put
        ]
        for at in self._unsound(todo):
            self._parse(at)
        return self.with_records(self.mended())

    def mended(self) -> dict[str, Any]:
        """The records taken from ``mend`` (their bytes here did not match), but those put since."""
        return {record_id: record for record_id, record in self._mended.items() if record_id not in self._put}

    def _mended_record(self, record_id: str) -> Any:
        assert self._mend is not None
        record = self._mend(record_id)
        self._parsed[record_id] = self._mended[record_id] = record
        return record

    def _unsound(self, todo: list[int]) -> set[int]:
        """The places among ``todo`` whose entry's bytes do not match their checksum."""
        sums, crc, bounds, view = self._sums, zlib.crc32, self._bounds, memoryview(self._text)
        if sums is None:
            return set()
        return {at for at in todo if crc(view[bounds[3 * at] : bounds[3 * at + 2]]) != sums[at]}

    # -- reading ----------------------------------------------------------------------

    def __getitem__(self, record_id: str) -> Any:
        if self._put:
            found = self._put.get(record_id, self)
            if found is REMOVED:
                raise KeyError(record_id)
            if found is not self:
                return found
        parsed = self._parsed.get(record_id, self)
        if parsed is not self:
            return parsed
        at = self._at(record_id)
        if at < 0:
            raise KeyError(record_id)
        return self._parse(at)

    def items(self) -> ItemsView[str, Any]:
        self._read_all()
        return super().items()

    def values(self) -> ValuesView[Any]:
        self._read_all()
        return super().values()

    def _read_all(self) -> None:
        """Parse every record not parsed yet in one go (many records parse faster together)."""
        todo = [at for at, record_id in enumerate(self._ids) if record_id not in self._parsed]
        if not todo:
            return
        bounds, text = self._bounds, self._text
        values = [text[bounds[3 * at + 1] : bounds[3 * at + 2]] for at in todo]
        if self._sums is not None and (unsound := self._unsound(todo)):
            for at in unsound:
                self._parse(at)
            todo = [at for at in todo if at not in unsound]
            values = [text[bounds[3 * at + 1] : bounds[3 * at + 2]] for at in todo]
        try:
            found = json.loads(b"[" + b",".join(values) + b"]")
        except (ValueError, RecursionError):
            found = None
        if found is None or not all(isinstance(record, dict) for record in found):
            for at in todo:  # which one: parsing each alone says (a StoreError)
                self._parse(at)
            return
        ids = self._ids
        self._parsed.update((ids[at], record) for at, record in zip(todo, found, strict=True))

    def __contains__(self, record_id: object) -> bool:
        if self._put and record_id in self._put:
            return self._put[record_id] is not REMOVED
        return isinstance(record_id, str) and self._at(record_id) >= 0

    def __iter__(self) -> Iterator[str]:
        if not self._put:
            return iter(self._ids)
        return self._iter_with_put()

    def _iter_with_put(self) -> Iterator[str]:
        put = self._put
        for record_id in self._ids:
            if put.get(record_id) is not REMOVED:
                yield record_id
        for record_id, value in put.items():
            if value is not REMOVED and self._at(record_id) < 0:
                yield record_id

    def __len__(self) -> int:
        count = len(self._ids)
        for record_id, value in self._put.items():
            held = self._at(record_id) >= 0
            if value is REMOVED and held:
                count -= 1
            elif value is not REMOVED and not held:
                count += 1
        return count

    def __repr__(self) -> str:
        return f"LazyTable({len(self)} records, {len(self._parsed)} parsed, {len(self._put)} changed)"

    def _at(self, record_id: str) -> int:
        at = bisect.bisect_left(self._ids, record_id)
        return at if at < len(self._ids) and self._ids[at] == record_id else -1

    def _parse(self, at: int) -> Any:
        record_id = self._ids[at]
        entry_start, value_start, end = self._bounds[3 * at : 3 * at + 3]
        if self._sums is not None and zlib.crc32(memoryview(self._text)[entry_start:end]) != self._sums[at]:
            return self._mended_record(record_id)
        value = self._text[value_start:end]
        try:
            record = json.loads(value)
        except (ValueError, RecursionError):
            if self._mend is not None:
                return self._mended_record(record_id)
            raise self._damaged(record_id) from None
        if not isinstance(record, dict):
            if self._mend is not None:
                return self._mended_record(record_id)
            raise StoreError("file_wrong_shape", case="not_ours", path=self._path)
        self._parsed[record_id] = record
        return record

    def _damaged(self, record_id: str) -> StoreError:
        return StoreError("file_not_json", case="record", path=self._path, id=record_id[:12])

    def check(self) -> Iterator[None]:
        """Parse every record not parsed yet, a batch at a time (a step per batch); StoreError at
        the first that does not parse. What is parsed here is not kept: it is read again when read."""
        todo = [
            at
            for at, record_id in enumerate(self._ids)
            if record_id not in self._parsed and record_id not in self._put
        ]
        for first in range(0, len(todo), _CHECK_BATCH):
            batch = todo[first : first + _CHECK_BATCH]
            values = [self._text[self._bounds[3 * at + 1] : self._bounds[3 * at + 2]] for at in batch]
            if self._sums is not None and (unsound := self._unsound(batch)):
                for at in unsound:  # taken from where the truth is, and kept
                    self._parse(at)
                kept = [(at, value) for at, value in zip(batch, values, strict=True) if at not in unsound]
                batch, values = [at for at, _ in kept], [value for _, value in kept]
            try:
                found = json.loads(b"[" + b",".join(values) + b"]")
            except (ValueError, RecursionError):
                for at in batch:  # which one: parsing it alone says
                    self._parse(at)
                raise  # cannot happen: one of them did not parse
            if not all(isinstance(record, dict) for record in found):
                for at in batch:
                    self._parse(at)
            yield

    def newest_stamp(self) -> str | None:
        """The newest well-formed stamp of any record (``newest_valid_stamp``), reading only the
        record whose bytes hold the newest stamp-like text (and, should that text not be one of
        its stamps, those holding stamp-like text newer than its stamps)."""
        found = [
            stamp
            for value in self._put.values()
            if value is not REMOVED and (stamp := newest_valid_stamp(value))
        ]
        windows = self._windows()
        if windows:
            top = max(windows, key=lambda window: window[2])
            at = self._place(self._text.find(b'"' + top[2] + b'"', top[0], top[1]))
            first = newest_valid_stamp(self._base(at))
            if first != top[2].decode("ascii"):  # words that look like a stamp, or an old one
                first = max(self._newer_than(first or ""), default=first)
            if first:
                found.append(first)
        return max(found, default=None)

    def dated(self, field: str) -> dict[str, tuple[str, str]] | None:
        """Each record's day (its field ``field``, a date written ``YYYY-MM-DD``) and the stamp it
        was created at, by id, read from the bytes without parsing a record (one changed since,
        from its parsed form): what orders records newest first, for reading only the first few
        (``CoupleStore.latest_celebrations``). None if a record does not show exactly one of each
        where ``canonical_json`` writes them (its fields four spaces in, its envelope three)."""
        days = re.compile(rb'\n    "' + re.escape(field.encode("ascii")) + rb'": "(\d{4}-\d{2}-\d{2})"')
        found = self._at_each_record(days)
        made = self._at_each_record(_CREATED)
        if found is None or made is None:
            return None
        put = self._put
        dated = {
            record_id: (day.decode("ascii"), created.decode("ascii"))
            for record_id, day, created in zip(self._ids, found, made, strict=True)
            if record_id not in put
        }
        for record_id, record in put.items():
            if record is REMOVED:
                continue
            try:
                day, created = record["fields"][field], record["created"]
            except (KeyError, TypeError):
                return None
            if not (isinstance(day, str) and _ISO_DAY.fullmatch(day) and isinstance(created, str)):
                return None
            dated[record_id] = (day, created)
        return dated

    def field_texts(self, field: str) -> dict[str, str] | None:
        """Each record's field ``field`` as its bytes write it (a JSON string, between the quotes,
        escapes written out), by id, no record parsed (one changed since: from its parsed form,
        encoded so); what finds the few records worth reading among many (the celebrations a
        suggestion was logged as). None if a record does not show it where ``canonical_json``
        writes it: once in its fields and once, its stamp, in its stamps (four spaces in)."""
        quoted = re.compile(rb'\n    "' + re.escape(field.encode("ascii")) + rb'": "((?:[^"\\\n]|\\.)*)"')
        found = self._at_each_record(quoted, 2)
        if found is None:
            return None
        put = self._put
        texts = {
            record_id: text.decode("ascii", "replace")
            for record_id, text in zip(self._ids, found, strict=True)
            if record_id not in put
        }
        for record_id, record in put.items():
            if record is REMOVED:
                continue
            try:
                value = record["fields"][field]
            except (KeyError, TypeError):
                return None
            if not isinstance(value, str):
                return None
            texts[record_id] = json.dumps(value)[1:-1]
        return texts

    def _at_each_record(self, pattern: re.Pattern[bytes], times: int = 1) -> list[bytes] | None:
        """What ``pattern`` finds first in each record's bytes, in their order; None unless it
        finds it exactly ``times`` times in each."""
        count = len(self._ids)  # (split first: a table laid out otherwise is written anew then)
        first, last = self._span
        matches = list(pattern.finditer(self._text, first, last))
        if len(matches) != times * count:
            return None
        # Each within its record's value, after its id (``_bounds``: a record's start, its value's
        # start and its end, three places a record).
        places = list(map(bisect.bisect_right, repeat(self._bounds), map(re.Match.start, matches)))
        if places != [place for place in range(2, 3 * count, 3) for _ in range(times)]:
            return None
        return list(map(re.Match.group, matches[::times], repeat(1)))

    def changed_since(self, since: str) -> dict[str, Any]:
        """Every record with a well-formed stamp newer than ``since``, by id: the others stay bytes."""
        found = {
            self._ids[at]: self._base(at)
            for at in self._holding_newer(since)
            if self._ids[at] not in self._put
        }
        found.update((record_id, value) for record_id, value in self._put.items() if value is not REMOVED)
        return {
            record_id: record
            for record_id, record in found.items()
            if (newest_valid_stamp(record) or "") > since
        }

    def _newer_than(self, since: str) -> Iterator[str]:
        for at in self._holding_newer(since):
            stamp = newest_valid_stamp(self._base(at))
            if stamp is not None:
                yield stamp

    def _holding_newer(self, since: str) -> list[int]:
        """The places of the records whose bytes hold stamp-like text newer than ``since``."""
        wanted = since.encode("ascii", "replace")
        places: set[int] = set()
        for first, last, newest in self._windows():
            if newest > wanted:
                places.update(
                    self._place(match.start())
                    for match in _STAMP_LIKE.finditer(self._text, first, last)
                    if match[1] > wanted
                )
        return sorted(places)

    def _windows(self) -> list[tuple[int, int, bytes]]:
        """The bytes in windows of whole records (~256 KB), each with its newest stamp-like text."""
        if not self._newest:
            windows: list[tuple[int, int, bytes]] = []
            bounds = self._bounds
            at, count = 0, len(self._ids)
            while at < count:
                first = bounds[3 * at]
                last_at = bisect.bisect_left(bounds, first + _WINDOW, 3 * at, 3 * count) // 3
                last_at = min(max(last_at, at + 1), count)
                last = bounds[3 * last_at - 1]
                texts = _STAMP_LIKE.findall(self._text, first, last)
                if texts:
                    windows.append((first, last, max(texts)))
                at = last_at
            self._newest.append(windows)
        return self._newest[0]

    def _place(self, offset: int) -> int:
        """Which record of the bytes holds the byte at ``offset``."""
        return (bisect.bisect_right(self._bounds, offset) - 1) // 3

    def _base(self, at: int) -> Any:
        parsed = self._parsed.get(self._ids[at], self)
        return self._parse(at) if parsed is self else parsed

    # -- changing (a new table) -------------------------------------------------------

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

    def _split_yet(self) -> bool:
        try:
            object.__getattribute__(self, "_ids")
        except AttributeError:
            return False
        return True

    def _guard(self) -> tuple[array[int], Callable[[str], Any], dict[str, Any]] | None:
        if self._sums is None or self._mend is None:
            return None
        return self._sums, self._mend, self._mended

    def puts_over(self, base: LazyTable) -> dict[str, Any] | None:
        """Where this table differs from ``base``: the records put in it that ``base`` does not hold
        as they are (a record ``base`` had put in and this one put in again too), removals
        (``REMOVED``) too; None if they are not over the same bytes, or a record put in ``base`` is
        its bytes' again in this one (not made from ``base``: by ``with_records``, ``absorb``, one
        change after another)."""
        if self._ids is not base._ids or any(k not in self._put for k in base._put):
            return None
        return {k: v for k, v in self._put.items() if base._put.get(k, self) is not v}

    def is_over(self, text: bytes) -> bool:
        """Whether this table's bytes are ``text`` (the very object)."""
        return self._text is text

    def differing(self, other: LazyTable) -> tuple[list[str], list[str]]:
        """The ids whose entry's bytes differ from ``other``'s or that ``other`` lacks, and the ids
        only ``other`` holds (both unchanged: their bytes are their records)."""
        ours, theirs = self._entry_bytes(), other._entry_bytes()
        return [i for i, entry in ours.items() if theirs.get(i) != entry], [
            i for i in theirs if i not in ours
        ]

    def _entry_bytes(self) -> dict[str, bytes]:
        bounds, text = self._bounds, self._text
        return {
            record_id: text[bounds[3 * at] : bounds[3 * at + 2]] for at, record_id in enumerate(self._ids)
        }

    def put_since(self, other: LazyTable) -> dict[str, Any]:
        """The records put in this table and not in ``other`` (one it was made from)."""
        return {
            record_id: record
            for record_id, record in self._put.items()
            if record is not REMOVED and other._put.get(record_id) is not record
        }

    def absorb(self, table: Mapping[str, Any]) -> LazyTable:
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

    def _known(self, record_id: str) -> Any:
        found = self._put.get(record_id, self)
        return self._parsed.get(record_id) if found is self else found

    # -- writing ----------------------------------------------------------------------

    def canonical(self) -> bytes | memoryview:
        """The table's body as ``canonical_json`` writes it: our bytes, and the changed records encoded."""
        if not self._put:
            return memoryview(self._text)[self._span[0] : self._span[1]]
        if self._canonical is None:
            self._canonical = self._encode()
        return self._canonical[0]

    def pieces(self) -> list[bytes | memoryview]:
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

    def changed_count(self) -> int:
        """How many records were put in (or taken out of) it since its bytes were written."""
        return len(self._put)

    def _placed_puts(self) -> list[tuple[int, str, Any]]:
        """The records put, each with the place among ours it goes to, in order."""
        ids = self._ids
        return sorted(
            (bisect.bisect_left(ids, record_id), record_id, value) for record_id, value in self._put.items()
        )

    def _entry(self, record_id: str, value: Any) -> bytes:
        """A record put, encoded (once: the tables made from this one share what was encoded)."""
        known = self._encoded.get(record_id)
        if known is not None and known[0] is value:
            return known[1]
        entry = encode_entry(record_id, value)
        self._encoded[record_id] = (value, entry)
        return entry

    def rebased(self) -> LazyTable:
        """The same table holding the bytes ``canonical`` made (once they are written): no changes."""
        if not self._put:
            return self
        self.canonical()
        assert self._canonical is not None
        return self._canonical[1]

    def body(self) -> tuple[bytes, int, int]:
        """The table's body as ``canonical`` writes it: the bytes it is in, and where it starts
        and ends in them (what ``app.store.files.changed_records`` walks, in place: a table not
        split yet is not split for it)."""
        table = self.rebased()
        return table._text, *table._span

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
