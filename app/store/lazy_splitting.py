"""A ``LazyTable`` (``app.store.lazy``) over a table's bytes, and those bytes split into its
records: ``SplitsIntoRecords``, the table made over a body (``from_body``, ``over_body``, or
``laid_out`` where ``layout`` said where its records lie), split the first time a record is
looked for (``split_body``: two scans in C, for the lines that start the records and their ids);
a body laid out otherwise is parsed whole then and held as its canonical bytes."""

from __future__ import annotations

import json
import operator
import re
from array import array
from itertools import chain, islice, repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.store.errors import StoreError
from app.store.files import RECORD_HEAD, decoded_key, encode_entry, encoded_table

if TYPE_CHECKING:
    from app.store.lazy import LazyTable

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


class SplitsIntoRecords:
    """A table over its bytes, split into its records when first needed (mixed into ``LazyTable``)."""

    __slots__ = ()

    @classmethod
    def from_body(
        cls: type[LazyTable],
        text: bytes,
        start: int,
        end: int,
        path: Path,
        parsed: dict[str, Any] | None = None,
    ) -> LazyTable | None:
        """The table whose body is ``text[start:end]``; None if it is not laid out canonically.
        ``parsed``: its records, where they are at hand already."""
        found = split_body(text, start, end)
        return None if found is None else cls(text, (start, end), *found, path, parsed)

    @classmethod
    def over_body(cls: type[LazyTable], text: bytes, start: int, end: int, path: Path) -> LazyTable:
        """The table whose body is ``text[start:end]``, split into its records the first time one is
        looked for (``_split``): opening a file splits only the tables a screen reads, the rest
        when they are read or checked. A body not laid out canonically is parsed whole then (a
        ``StoreError`` if it does not parse) and held as its canonical bytes."""
        return cls(text, (start, end), None, None, path)

    def __getattr__(self: LazyTable, name: str) -> Any:
        """``_ids`` and ``_bounds``, not set until the table is split (``over_body``)."""
        if name not in ("_ids", "_bounds"):
            raise AttributeError(name)
        self._split()
        return object.__getattribute__(self, name)

    def _split(self: LazyTable) -> None:
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

    def _rewritten(self: LazyTable, start: int, end: int) -> tuple[list[str], array[int]]:
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

    def _split_yet(self: LazyTable) -> bool:
        try:
            object.__getattribute__(self, "_ids")
        except AttributeError:
            return False
        return True

    def layout(self: LazyTable, start: int | None = None) -> tuple[list[str], bytes]:
        """Its ids, and where its records lie (its places' bytes) in a text where its body starts
        at ``start`` (where it starts in its own, if None): what makes the table again over the
        same bytes there (``laid_out``) without splitting them."""
        bounds, shift = self._bounds, 0 if start is None else start - self._span[0]
        return self._ids, (bounds if not shift else array("q", [place + shift for place in bounds])).tobytes()

    @classmethod
    def laid_out(
        cls: type[LazyTable],
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

    @property
    def body_start(self: LazyTable) -> int:
        """Where its body starts in its bytes."""
        return self._span[0]
