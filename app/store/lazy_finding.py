"""What is found in a ``LazyTable``'s (``app.store.lazy``) bytes without parsing its records:
``FindsInTheBytes``, the newest stamp of any record and the records changed since a stamp (only
those whose bytes hold stamp-like text newer than it parsed), each record's day and creation
stamp (``dated``), and a field's text (``field_texts``)."""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator
from itertools import repeat
from typing import TYPE_CHECKING, Any

from app.domain.records import newest_valid_stamp
from app.store.lazy_reading import REMOVED

if TYPE_CHECKING:
    from app.store.lazy import LazyTable

# Anything in the bytes that looks like a clock stamp (in a record's stamps, its history, or words
# someone typed): a record holding one newer than a stamp is parsed to see what its stamps are.
_WINDOW = 1 << 18
_STAMP_LIKE = re.compile(rb'"(\d{13}-[0-9a-f]{4}-[0-9a-z]{1,32})"')
_CREATED = re.compile(rb'\n   "created": "([^"\\\n]*)"')  # a record's own stamp, in its envelope
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class FindsInTheBytes:
    """Stamps, days and fields found in the bytes, the records left as they are (mixed into
    ``LazyTable``)."""

    __slots__ = ()

    def newest_stamp(self: LazyTable) -> str | None:
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

    def dated(self: LazyTable, field: str) -> dict[str, tuple[str, str]] | None:
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

    def field_texts(self: LazyTable, field: str) -> dict[str, str] | None:
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

    def _at_each_record(self: LazyTable, pattern: re.Pattern[bytes], times: int = 1) -> list[bytes] | None:
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

    def changed_since(self: LazyTable, since: str) -> dict[str, Any]:
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

    def _newer_than(self: LazyTable, since: str) -> Iterator[str]:
        for at in self._holding_newer(since):
            stamp = newest_valid_stamp(self._base(at))
            if stamp is not None:
                yield stamp

    def _holding_newer(self: LazyTable, since: str) -> list[int]:
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

    def _windows(self: LazyTable) -> list[tuple[int, int, bytes]]:
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

    def _place(self: LazyTable, offset: int) -> int:
        """Which record of the bytes holds the byte at ``offset``."""
        return (bisect.bisect_right(self._bounds, offset) - 1) // 3

    def _base(self: LazyTable, at: int) -> Any:
        parsed = self._parsed.get(self._ids[at], self)
        return self._parse(at) if parsed is self else parsed
