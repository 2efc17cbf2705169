"""Reading the couple's records: ``Reading``, the part of ``CoupleStore`` that reads.

A read takes in what was written to the file elsewhere first; a record is read (its model
built) only when asked for, and its model is kept while its newest stamp is unchanged.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from pydantic import ValidationError

from app.domain.clock import stamp_wall_ms
from app.domain.machines import Machine
from app.domain.models import KINDS, RecordModel, record_problem
from app.domain.records import (
    EDITED_BY,
    RawRecord,
    envelope_problem,
    is_alive,
    latest_stamp,
    newest_valid_stamp,
)
from app.store.couple_file import records_of
from app.store.lazy import LazyTable

if TYPE_CHECKING:
    from app.store.couple import CoupleStore

M = TypeVar("M", bound=RecordModel)


@dataclass(frozen=True)
class LastChange:
    """The newest change in the couple's file: whose, when, and the machine it was typed at (if
    the file names it)."""

    editor: str
    when: dt.datetime
    machine: Machine | None


def _model_of(model: type[M], record_id: str, raw: RawRecord, old: M | None) -> M | None:
    """The model of a record alive and valid (``old`` if it is still that record), else None:
    a damaged one is in ``problems``, one from a newer Kintsugi in ``from_newer``."""
    try:
        if not is_alive(raw):
            return None
    except (KeyError, TypeError, AttributeError):
        return None
    if old is not None and old.updated == latest_stamp(raw):
        return old
    try:
        return model.from_raw(record_id, raw)
    except (ValidationError, KeyError, TypeError, AttributeError):
        return None


class Reading:
    """Records, changes since a stamp, damaged records and those from a newer Kintsugi (mixed
    into ``CoupleStore``)."""

    def raw_table(self: CoupleStore, kind: str) -> Mapping[str, RawRecord]:
        return self._data().get(kind, {})

    def records(self: CoupleStore, model: type[M]) -> list[M]:
        """Every live, valid record of that kind (damaged ones are in ``problems``)."""
        return list(self._model_table(model).values())  # type: ignore[arg-type]

    def get(self: CoupleStore, model: type[M], record_id: str) -> M | None:
        """That record, if it is alive and valid; only it is read (not its whole table)."""
        self._data()  # take in what was written elsewhere first: it moves the generation on
        return self._held(model, record_id)

    def _held(self: CoupleStore, model: type[M], record_id: str) -> M | None:
        """``get`` of what is held now, without looking at the file first."""
        cached = self._models.get(model.KIND)
        if cached is not None and cached[0] == self.storage.generation:
            return cached[1].get(record_id)  # type: ignore[return-value]
        raw = self.raw_table(model.KIND).get(record_id)
        if raw is None:
            return None
        held = self._one.get((model.KIND, record_id))
        if held is not None and held[0] is raw:
            return held[1]  # type: ignore[return-value]
        found = _model_of(model, record_id, raw, None)
        self._one[(model.KIND, record_id)] = (raw, found)
        return found  # type: ignore[return-value]

    def newest(self: CoupleStore, model: type[M], count: int) -> list[M]:
        """The ``count`` newest records of a kind with a ``day`` (newest day first, then the newest
        made), as ``sorted(records(model), key=(day, created), reverse=True)`` would give them, only
        those read as models: the records are put in order by the day and stamp they store, which
        order as the models' do, and read from the newest until ``count`` are alive and valid. A
        table as read from the file is ordered from its bytes, no record parsed
        (``LazyTable.dated``). Should any record store its day otherwise, the models order them."""
        table = self.raw_table(model.KIND)
        order = table.dated("day") if isinstance(table, LazyTable) else None
        if order is None:
            order = _dated(table)
        if order is None:
            ordered = sorted(self.records(model), key=lambda m: (m.day, m.created), reverse=True)  # type: ignore[attr-defined]
            return ordered[:count]
        found: list[M] = []
        for record_id in sorted(order, key=order.__getitem__, reverse=True):  # as stable as sorted()'s
            if len(found) == count:
                break
            record = self._held(model, record_id)
            if record is not None:
                found.append(record)
        return found

    def changed_since(self: CoupleStore, model: type[M], since: str) -> list[M]:
        """The live, valid records of that kind with a stamp newer than ``since`` (only those are read)."""
        self._data()
        found = (
            _model_of(model, record_id, raw, None)
            for record_id, raw in self.storage.changed_since(model.KIND, since).items()
        )
        return [record for record in found if record is not None]

    def deleted_since(self: CoupleStore, model: type[M], since: str) -> list[M]:
        """The records of that kind deleted after ``since``, as they stood when deleted (a
        tombstone keeps its fields; only the records changed since are read)."""
        self._data()
        found = []
        for record_id, raw in self.storage.changed_since(model.KIND, since).items():
            if record_problem(model.KIND, record_id, raw) or is_alive(raw):
                continue
            with suppress(ValidationError, KeyError, TypeError):
                found.append(model.from_raw(record_id, raw))
        return found

    def newest_stamp(self: CoupleStore) -> str | None:
        """The newest well-formed clock stamp in the couple's file."""
        self._data()
        return self.storage.newest_stamp()

    def last_change(self: CoupleStore) -> LastChange | None:
        """The newest change in the file (only the records that hold its stamp are read)."""
        stamp = self.newest_stamp()
        if stamp is None:
            return None
        for kind in records_of(self._data()):
            for raw in self.storage.changed_since(kind, stamp[:-1]).values():
                fields = raw.get("fields")
                if newest_valid_stamp(raw) == stamp and isinstance(fields, dict):
                    editor = str(fields.get(EDITED_BY, raw.get("author")))
                    when = dt.datetime.fromtimestamp(stamp_wall_ms(stamp) / 1000)
                    return LastChange(editor, when, self.machine_of(stamp))
        return None

    def _model_table(self: CoupleStore, model: type[RecordModel]) -> dict[str, RecordModel]:
        self._data()  # take in what was written elsewhere first: it moves the generation on
        generation = self.storage.generation
        cached = self._models.get(model.KIND)
        if cached is not None and cached[0] == generation:
            return cached[1]
        previous = {m.id: m for m in cached[1].values()} if cached else {}
        table: dict[str, RecordModel] = {}
        for record_id, raw in self.raw_table(model.KIND).items():
            found = _model_of(model, record_id, raw, previous.get(record_id))
            if found is not None:
                table[record_id] = found
        self._models[model.KIND] = (self.storage.generation, table)
        return table

    def problems(self: CoupleStore) -> list[tuple[str, str, str]]:
        """(kind, id, what is wrong) for every damaged record: one whose envelope is broken.

        A record this version cannot read for any other reason (a kind it does
        not know, a value it cannot validate) was written by a newer Kintsugi:
        ``from_newer`` counts those. Both are kept in the file as they are.
        """
        return [
            (kind, record_id, problem)
            for kind, table in records_of(self._data()).items()
            for record_id, raw in table.items()
            if (problem := envelope_problem(raw))
        ]

    def from_newer(self: CoupleStore) -> int:
        """How many records were written by a newer Kintsugi (kept as they are, merged like any other).

        Those of a kind this version does not know, and those alive of a kind
        it knows whose values it cannot read (a new choice, say).
        """
        count = 0
        for kind, table in records_of(self._data()).items():
            model = KINDS.get(kind)
            readable = self._model_table(model) if model is not None else {}
            count += sum(
                1
                for record_id, raw in table.items()
                if record_id not in readable
                and envelope_problem(raw) is None
                and (model is None or is_alive(raw))
            )
        return count


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")  # a day as the app stores it: ordered as the dates are


def _dated(table: Mapping[str, RawRecord]) -> dict[str, tuple[str, str]] | None:
    """Each record's stored day and creation stamp, in the table's order; None if one stores
    either otherwise."""
    order: dict[str, tuple[str, str]] = {}
    try:
        for record_id, raw in table.items():
            day, created = raw["fields"]["day"], raw["created"]
            if not (isinstance(day, str) and _ISO_DAY.fullmatch(day) and isinstance(created, str)):
                return None
            order[record_id] = (day, created)
    except (KeyError, TypeError):
        return None
    return order
