"""Reading a ``LazyTable`` (``app.store.lazy``): ``ReadsRecords``, the mapping of record ids to
records, each parsed the first time it is read (all at once when all are read), and ``check``,
which parses what was not read yet a batch at a time: a record that does not parse is found
before anything is written over it, and told as a damaged file is."""

from __future__ import annotations

import bisect
import json
import zlib
from collections.abc import ItemsView, Iterator, Mapping, ValuesView
from typing import TYPE_CHECKING, Any

from app.store.errors import StoreError

if TYPE_CHECKING:
    from app.store.lazy import LazyTable

REMOVED = object()  # in ``_put``: a record the table no longer holds
_CHECK_BATCH = 500  # records parsed at a time by ``check``: a key pressed meanwhile waits for one batch


class ReadsRecords(Mapping[str, Any]):
    """A ``LazyTable``'s records by id, each parsed when first read (mixed into ``LazyTable``)."""

    __slots__ = ()

    def __getitem__(self: LazyTable, record_id: str) -> Any:
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

    def items(self: LazyTable) -> ItemsView[str, Any]:
        self._read_all()
        return super().items()

    def values(self: LazyTable) -> ValuesView[Any]:
        self._read_all()
        return super().values()

    def _read_all(self: LazyTable) -> None:
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

    def __contains__(self: LazyTable, record_id: object) -> bool:
        if self._put and record_id in self._put:
            return self._put[record_id] is not REMOVED
        return isinstance(record_id, str) and self._at(record_id) >= 0

    def __iter__(self: LazyTable) -> Iterator[str]:
        if not self._put:
            return iter(self._ids)
        return self._iter_with_put()

    def _iter_with_put(self: LazyTable) -> Iterator[str]:
        put = self._put
        for record_id in self._ids:
            if put.get(record_id) is not REMOVED:
                yield record_id
        for record_id, value in put.items():
            if value is not REMOVED and self._at(record_id) < 0:
                yield record_id

    def __len__(self: LazyTable) -> int:
        count = len(self._ids)
        for record_id, value in self._put.items():
            held = self._at(record_id) >= 0
            if value is REMOVED and held:
                count -= 1
            elif value is not REMOVED and not held:
                count += 1
        return count

    def __repr__(self: LazyTable) -> str:
        return f"LazyTable({len(self)} records, {len(self._parsed)} parsed, {len(self._put)} changed)"

    def _at(self: LazyTable, record_id: str) -> int:
        at = bisect.bisect_left(self._ids, record_id)
        return at if at < len(self._ids) and self._ids[at] == record_id else -1

    def _parse(self: LazyTable, at: int) -> Any:
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

    def _damaged(self: LazyTable, record_id: str) -> StoreError:
        return StoreError("file_not_json", case="record", path=self._path, id=record_id[:12])

    def check(self: LazyTable) -> Iterator[None]:
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
