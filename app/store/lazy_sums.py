"""A ``LazyTable`` (``app.store.lazy``) that is a copy of what is held elsewhere (this machine's
readable copy of a sealed file: ``app.store.keys``), made so by ``LazyTable.guarded``:
``ChecksSums``, each record checked against its checksum (crc32) as it is parsed, and one whose
bytes do not match or do not parse taken from where the truth is (its box in the couple's file),
never told as damaged."""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.store.lazy import LazyTable


class ChecksSums:
    """A guarded table's checksums, and its records taken from elsewhere (mixed into ``LazyTable``)."""

    __slots__ = ()

    @property
    def mends(self: LazyTable) -> bool:
        """Whether a record of it whose bytes do not read is taken from elsewhere (``guarded``)."""
        return self._mend is not None

    def record_sums(self: LazyTable) -> bytes:
        """The crc32 of each record's entry (its id and value) as written (``canonical``), in order,
        as bytes: what ``guarded`` checks them with. A guarded table's records kept as their bytes
        keep the checksum they came with: a record damaged in them is found again where read."""
        table = self.rebased()
        if table._sums is not None:
            return table._sums.tobytes()
        view, bounds, crc = memoryview(table._text), table._bounds, zlib.crc32
        sums = array("I", [crc(view[bounds[i] : bounds[i + 2]]) for i in range(0, len(bounds), 3)])
        return sums.tobytes()

    def sound(self: LazyTable) -> LazyTable:
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

    def mended(self: LazyTable) -> dict[str, Any]:
        """The records taken from ``mend`` (their bytes here did not match), but those put since."""
        return {record_id: record for record_id, record in self._mended.items() if record_id not in self._put}

    def _mended_record(self: LazyTable, record_id: str) -> Any:
        assert self._mend is not None
        record = self._mend(record_id)
        self._parsed[record_id] = self._mended[record_id] = record
        return record

    def _unsound(self: LazyTable, todo: list[int]) -> set[int]:
        """The places among ``todo`` whose entry's bytes do not match their checksum."""
        sums, crc, bounds, view = self._sums, zlib.crc32, self._bounds, memoryview(self._text)
        if sums is None:
            return set()
        return {at for at in todo if crc(view[bounds[3 * at] : bounds[3 * at + 2]]) != sums[at]}

    def _guard(self: LazyTable) -> tuple[array[int], Callable[[str], Any], dict[str, Any]] | None:
        if self._sums is None or self._mend is None:
            return None
        return self._sums, self._mend, self._mended
