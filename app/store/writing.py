"""Writing one record at a time: ``Writing``, the part of ``CoupleStore`` that writes.

Every write validates the change with the kind's model, stamps the fields it changes with the
hybrid logical clock, and puts the record through the storage (``_put``), which merges it with
whatever is on disk before writing.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from app.domain.clock import ClockTooFarAhead
from app.domain.merge import merge_record
from app.domain.models import RecordModel, fields_of
from app.domain.records import RawRecord, envelope_problem, is_alive, new_record, tombstoned, with_changes
from app.store.errors import StoreError
from app.store.reading import M

if TYPE_CHECKING:
    from app.store.couple import CoupleStore


def _derived(file_id: str, *parts: object) -> str:
    """``CoupleStore.derived_id`` in the file ``file_id``."""
    return str(uuid.uuid5(uuid.UUID(file_id), "/".join(str(part) for part in parts)))


class Writing:
    """Create, update and delete records, stamped (mixed into ``CoupleStore``)."""

    def _tick(self: CoupleStore) -> str:
        """A stamp for a write, after every stamp in the file; a clock no stamp can hold is refused."""
        try:
            return self._next_stamp()
        except ClockTooFarAhead as error:
            year = int(1970 + error.wall_ms / 31_556_952_000)  # ms in a mean Gregorian year
            raise StoreError("clock_wrong", year=year) from None

    def _next_stamp(self: CoupleStore) -> str:
        generation = self.storage.generation
        if generation != self._clock_generation:
            self._data()
            latest = self.storage.newest_stamp()  # of well-formed stamps: a damaged record stops no write
            if latest:
                self.clock.observe(latest)
            self._clock_generation = generation
        return self.clock.tick()

    def _validated(self: CoupleStore, model: type[M], data: dict[str, Any]) -> M:
        """The model for ``data``, or a StoreError saying in one sentence what is wrong."""
        try:
            return model.model_validate(data)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "content"
            why = first["msg"].removeprefix("Value error, ")
            raise StoreError(
                "invalid",
                case="field",
                kind=model.KIND.replace("_", " "),
                field=where,
                why=why[:1].lower() + why[1:],
            ) from None

    def _put(self: CoupleStore, kind: str, record_id: str, raw: RawRecord) -> None:
        """Write one record: ``raw`` is folded into the record as it stands at write time.

        The file is taken in just before (the partner's change to this same
        record may have arrived a moment ago: merging, rather than replacing,
        keeps both), and the storage merges once more whatever arrives while it
        saves. The record and its table are new objects, never changed in
        place: the file's caches (``CanonicalFile``, the keyring) know a record
        by the objects it is made of.
        """
        before = self.storage.generation
        current = self.raw_table(kind).get(record_id)
        if current is not None and envelope_problem(current) is None:
            raw = merge_record(current, raw)[0]
        self.storage.put(kind, record_id, raw)
        if self._clock_generation == before and self.storage.generation == before + 1:
            # Only our own write happened, with stamps this clock made: no need to rescan the file.
            self._clock_generation = self.storage.generation

    def create(
        self: CoupleStore, model: type[M], author: str, record_id: str | None = None, **fields: Any
    ) -> M:
        """Add a record; ``record_id`` for kinds whose id derives from what they are about."""
        record_id = record_id or str(uuid.uuid4())
        existing = self.raw_table(model.KIND).get(record_id)
        if existing is not None:
            return self.update(model, record_id, author, **fields)
        checked = self._validated(model, {**fields, "id": record_id, "author": author, "created": ""})
        raw = new_record(author, self._tick(), fields_of(checked))
        self._put(model.KIND, record_id, raw)
        return model.from_raw(record_id, raw)

    def update(self: CoupleStore, model: type[M], record_id: str, editor: str, **changes: Any) -> M:
        """Change some fields of a record; each changed field gets a new stamp."""
        raw = self.raw_table(model.KIND).get(record_id)
        if raw is None:
            raise StoreError(
                "unknown_record", case="id", kind=model.KIND.replace("_", " "), id=record_id[:12]
            )
        current = model.from_raw(record_id, raw)
        changed = self._validated(model, {**current.model_dump(), **changes})
        stored = fields_of(changed)
        for attribute, prefix in model.MAPS.items():  # a map entry taken away is stored as None
            for key in getattr(current, attribute).keys() - getattr(changed, attribute).keys():
                stored[f"{prefix}.{key}"] = None
        updated = with_changes(raw, stored, self._tick(), editor)
        if not is_alive(updated):  # an edit to a deleted record brings it back
            updated = with_changes(updated, {"deleted": False}, self.clock.tick(), editor)
        self._put(model.KIND, record_id, updated)
        return model.from_raw(record_id, updated)

    def delete(self: CoupleStore, model: type[RecordModel], record_id: str, editor: str) -> None:
        """Delete a record, leaving a tombstone so the delete reaches the partner too."""
        raw = self.raw_table(model.KIND).get(record_id)
        if raw is None:
            raise StoreError(
                "unknown_record", case="id", kind=model.KIND.replace("_", " "), id=record_id[:12]
            )
        self._put(model.KIND, record_id, tombstoned(raw, self._tick(), editor))

    def derived_id(self: CoupleStore, *parts: object) -> str:
        """A stable id for a record that is about something (one per partner and step, say)."""
        return _derived(self.file_id, *parts)
