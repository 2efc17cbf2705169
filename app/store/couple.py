"""The couple's store: the one place the TUI and the CLI read and write records.

It holds a TinyDB database on ``CoupleStorage`` (one table per kind of record,
keyed by UUID strings), the machine's hybrid logical clock, and this
machine's local file. Every write stamps the fields it changes, and the
storage merges it with whatever is on disk before writing, so two partners
(or two processes) writing at once both keep their change.
"""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError
from tinydb import TinyDB

from app.domain.clock import ClockTooFarAhead, HybridClock, stamp_day, stamp_wall_ms
from app.domain.machines import Machine
from app.domain.merge import MergeReport, merge_record
from app.domain.models import (
    KINDS,
    SCHEMA_VERSION,
    Agreement,
    AgreementList,
    Celebration,
    CelebrationSize,
    CheckIn,
    Connection,
    Partner,
    Progress,
    RecordModel,
    StepStatus,
    fields_of,
    record_problem,
    wording_key,
)
from app.domain.records import (
    EDITED_BY,
    RawRecord,
    envelope_problem,
    is_alive,
    latest_stamp,
    new_record,
    newest_valid_stamp,
    tombstoned,
    unseen_history,
    with_changes,
    with_seen,
)
from app.domain.text import name_key
from app.store.backups import back_up_if_due, backups
from app.store.joining import read_as_it_is
from app.store.keys import Keyring, Locked
from app.store.local import LocalState
from app.store.machines import MachineBook
from app.store.places import Places, machine_root
from app.store.sealing import FileKey, new_file_key
from app.store.storage import (
    META_DOC,
    META_TABLE,
    CoupleStorage,
    Data,
    RecordTable,
    StoreError,
    records_of,
)

M = TypeVar("M", bound=RecordModel)
DEFAULT_LIST = "Our agreements"
CLOCK_AHEAD_DAYS = 2  # check-ins dated after today that ``checkins_lately`` still looks for
PARTNER_COLOURS = ("gold", "teal")


@dataclass(frozen=True)
class LastChange:
    """The newest change in the couple's file: whose, when, and the machine it was typed at (if
    the file names it)."""

    editor: str
    when: dt.datetime
    machine: Machine | None


@dataclass(frozen=True)
class Alternative:
    """What one partner wrote (words, a number, a choice) that lost to the other's write of the
    same field apart, kept in history."""

    kind: str
    record_id: str
    field: str
    current: Any
    stamp: str
    value: Any
    author: str
    """Whose record it is (who made it)."""


class CoupleDB(TinyDB):
    """The couple's file as a TinyDB database (``store.db``): TinyDB's queries read it.

    The store itself reads and writes records through the storage, one record
    at a time (``CoupleStore._put``): TinyDB's tables re-read and re-write the
    whole database for every change and change documents in place.
    """

    table_class = RecordTable


def _derived(file_id: str, *parts: object) -> str:
    """``CoupleStore.derived_id`` in the file ``file_id``."""
    return str(uuid.uuid5(uuid.UUID(file_id), "/".join(str(part) for part in parts)))


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


class CoupleStore(MachineBook):
    """Read and write the couple's records (see the module docstring)."""

    def __init__(
        self,
        path: Path,
        local: LocalState | None = None,
    ) -> None:
        self.path = Path(path)
        self.local = local or LocalState()
        self.recovery_code: str | None = None  # set by a sealed init, once
        self.places = Places(self.path, machine_root(self.local.path))
        self.keyring = Keyring(self.local, self.places.opened_copy)
        self._came_in: list[MergeReport] = []
        self._storage: CoupleStorage | None = None
        self.db = CoupleDB(self.path, storage=self._make_storage)
        self.clock = HybridClock(self.local.replica_id)
        self._clock_generation = -1
        self._models: dict[str, tuple[int, dict[str, RecordModel]]] = {}
        self._one: dict[tuple[str, str], tuple[RawRecord, RecordModel | None]] = {}  # records read one by one

    def _make_storage(self, path: Path) -> CoupleStorage:
        self._storage = CoupleStorage(
            path,
            on_change=self._changed,
            before_write=back_up_if_due,
            places=self.places,
            keyring=self.keyring,
        )
        return self._storage

    def _changed(self, report: MergeReport) -> None:
        self._came_in.append(report)

    def came_in(self) -> list[MergeReport]:
        """What any read took in from elsewhere (the partner's copy, a leftover) since last asked."""
        reports, self._came_in = self._came_in, []
        return reports

    @property
    def generation(self) -> int:
        """A number that moves on whenever what the store holds changes (a write, a take-in)."""
        return self.storage.generation

    @property
    def storage(self) -> CoupleStorage:
        assert self._storage is not None
        return self._storage

    # -- the file ---------------------------------------------------------------------

    @property
    def exists(self) -> bool:
        """True once the file holds a couple (init has run here or on the partner's machine)."""
        real = self.places.real
        return real.exists() and real.stat().st_size > 0

    @property
    def was_here(self) -> bool:
        """True if this machine has known a couple's file at this path (it kept backups, or opened it)."""
        return self.local.knows(self.places.real) or bool(backups(self.places))

    def load(self) -> None:
        """Read the file now, so a damaged one is reported before anything else happens.

        A file written by an older Kintsugi is backed up, migrated and saved
        here; what a killed save left beside the file is merged in; backups an
        older Kintsugi kept beside the file move to this machine's folder.
        """
        self._data()
        self.places.adopt_legacy()
        self.storage.sweep_leftovers()
        if self.storage.unsaved:
            self.storage.refresh()
        self.local.remember_path(self.file_id, self.places.real)
        self.publish_machine()
        self.seal_copies()

    def reading_all(self) -> Iterator[None]:
        """Read every record not read yet, a step at a time (the TUI takes a step while idle): a
        record that cannot be read is told as a damaged file is (StoreError), before anything is
        written over it. The file is opened without reading its records; each is read when needed."""
        self._data()
        yield from self.storage.check()

    def open_with_code(self, code: str) -> FileKey:
        """Open a sealed file this machine was not let into with the couple's recovery code, for now.

        The file key is held in memory only: ``app.store.joining.recover`` keeps this machine
        let in, as one of the partners. The file is read afresh, as one that opens: what was
        kept of a failed read is left behind.
        """
        try:
            file_key = self.keyring.file_key(read_as_it_is(self), code=code)
        except Locked:
            raise StoreError("wrong_code") from None
        self.db = CoupleDB(self.path, storage=self._make_storage)
        return file_key

    def _data(self) -> Data:
        try:
            data = self.storage.read()
        except StoreError as error:
            if error.reason in {"file_empty", "file_not_json"} and self.was_here:
                raise self._not_arrived() from None
            raise
        if data is None:
            data = self._arriving()
        return data

    def _arriving(self) -> Data:
        """The file where a couple's file was and is no longer: given a moment to come back."""
        if not self.was_here:
            raise StoreError("file_missing", case="yet", path=self.path)
        data = self.storage.read_arriving()
        if data is None:
            raise self._not_arrived()
        return data

    def _not_arrived(self) -> StoreError:
        return StoreError("file_not_arrived", path=self.path)

    @property
    def file_id(self) -> str:
        return self._data()[META_TABLE][META_DOC]["file_id"]

    def refresh(self) -> bool:
        """Take in what was written to the file from elsewhere; True if anything changed."""
        return self.storage.refresh()

    @property
    def unsaved(self) -> bool:
        return self.storage.unsaved

    def init(
        self, me_name: str, partner_name: str, *, sealed: bool = False, start_over: bool = False
    ) -> tuple[Partner, Partner]:
        """Create the couple's file with both partners; "me" is the first, at this machine.

        ``sealed``: every record encrypted for this machine (and, once admitted,
        the partner's); the recovery code is then in ``recovery_code``, shown
        once and kept nowhere. Where this machine has known a couple's file at
        this path, a new one is started only with ``start_over``: the old may
        just be on its way back.
        """
        if name_key(me_name) == name_key(partner_name):
            raise StoreError("same_names")
        if self.was_here and not start_over:
            raise StoreError("file_was_here", path=self.path)
        file_id = str(uuid.uuid4())
        tables: dict[str, Any] = {
            META_TABLE: {META_DOC: {"file_id": file_id, "schema_version": SCHEMA_VERSION}}
        }
        ids = [str(uuid.uuid4()), str(uuid.uuid4())]
        partners = []
        for partner_id, name, colour in zip(ids, (me_name, partner_name), PARTNER_COLOURS, strict=True):
            partner = self._validated(
                Partner, {"id": partner_id, "author": ids[0], "created": "", "name": name, "colour": colour}
            )
            partners.append(partner)
        for partner in partners:
            raw = new_record(ids[0], self.clock.tick(), fields_of(partner))
            tables.setdefault(Partner.KIND, {})[partner.id] = raw
        machine = self._validated(
            Machine,
            {"id": self.keyring.machine_id, "author": ids[0], "created": "", **self.machine_fields(ids[0])},
        )
        tables[Machine.KIND] = {machine.id: new_record(ids[0], self.clock.tick(), fields_of(machine))}
        if sealed:
            self.recovery_code = self.seal_tables(tables, ids[0], FileKey(new_file_key(), file_id))
        self.storage.create(tables)
        self.local.set_me(file_id, ids[0])
        self.local.remember_path(file_id, self.places.real)
        return partners[0], partners[1]

    # -- partners ---------------------------------------------------------------------

    @property
    def partners(self) -> list[Partner]:
        """Both partners, the one who created the file first."""
        return sorted(self.records(Partner), key=lambda p: (p.created, p.id))

    def partner(self, partner_id: str) -> Partner:
        found = self.get(Partner, partner_id)
        if found is None:
            raise StoreError("unknown_partner", case="id", id=partner_id[:12])
        return found

    def partner_named(self, name: str) -> Partner:
        wanted = name_key(name)
        for partner in self.partners:
            if name_key(partner.name) == wanted:
                return partner
        raise StoreError("unknown_partner", case="name", name=name, names=[p.name for p in self.partners])

    def other(self, partner_id: str) -> Partner:
        for partner in self.partners:
            if partner.id != partner_id:
                return partner
        raise StoreError("unknown_partner", case="only_one", path=self.path)

    @property
    def me(self) -> Partner | None:
        """Who is at this machine, if this machine knows."""
        me = self.local.me(self.file_id)
        return self.get(Partner, me) if me else None

    def set_me(self, partner_id: str) -> None:
        self.partner(partner_id)
        self.local.set_me(self.file_id, partner_id)
        self.publish_machine()

    # -- reading ----------------------------------------------------------------------

    def raw_table(self, kind: str) -> Mapping[str, RawRecord]:
        return self._data().get(kind, {})

    def records(self, model: type[M]) -> list[M]:
        """Every live, valid record of that kind (damaged ones are in ``problems``)."""
        return list(self._model_table(model).values())  # type: ignore[arg-type]

    def get(self, model: type[M], record_id: str) -> M | None:
        """That record, if it is alive and valid; only it is read (not its whole table)."""
        self._data()  # take in what was written elsewhere first: it moves the generation on
        return self._held(model, record_id)

    def _held(self, model: type[M], record_id: str) -> M | None:
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

    def changed_since(self, model: type[M], since: str) -> list[M]:
        """The live, valid records of that kind with a stamp newer than ``since`` (only those are read)."""
        self._data()
        found = (
            _model_of(model, record_id, raw, None)
            for record_id, raw in self.storage.changed_since(model.KIND, since).items()
        )
        return [record for record in found if record is not None]

    def deleted_since(self, model: type[M], since: str) -> list[M]:
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

    def newest_stamp(self) -> str | None:
        """The newest well-formed clock stamp in the couple's file."""
        self._data()
        return self.storage.newest_stamp()

    def last_change(self) -> LastChange | None:
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

    def _model_table(self, model: type[RecordModel]) -> dict[str, RecordModel]:
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

    def problems(self) -> list[tuple[str, str, str]]:
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

    def from_newer(self) -> int:
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

    def progress(self, partner_id: str) -> dict[int, StepStatus]:
        """That partner's status on each of the nine steps."""
        statuses = dict.fromkeys(range(1, 10), StepStatus.NOT_STARTED)
        for item in self.records(Progress):
            if item.partner == partner_id:
                statuses[item.step] = item.status
        return statuses

    def agreement_lists(self) -> list[AgreementList]:
        return sorted(self.records(AgreementList), key=lambda lst: (lst.position, lst.name.casefold()))

    # -- writing ----------------------------------------------------------------------

    def _tick(self) -> str:
        """A stamp for a write, after every stamp in the file; a clock no stamp can hold is refused."""
        try:
            return self._next_stamp()
        except ClockTooFarAhead as error:
            year = int(1970 + error.wall_ms / 31_556_952_000)  # ms in a mean Gregorian year
            raise StoreError("clock_wrong", year=year) from None

    def _next_stamp(self) -> str:
        generation = self.storage.generation
        if generation != self._clock_generation:
            self._data()
            latest = self.storage.newest_stamp()  # of well-formed stamps: a damaged record stops no write
            if latest:
                self.clock.observe(latest)
            self._clock_generation = generation
        return self.clock.tick()

    def _validated(self, model: type[M], data: dict[str, Any]) -> M:
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

    def _put(self, kind: str, record_id: str, raw: RawRecord) -> None:
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

    def create(self, model: type[M], author: str, record_id: str | None = None, **fields: Any) -> M:
        """Add a record; ``record_id`` for kinds whose id derives from what they are about."""
        record_id = record_id or str(uuid.uuid4())
        existing = self.raw_table(model.KIND).get(record_id)
        if existing is not None:
            return self.update(model, record_id, author, **fields)
        checked = self._validated(model, {**fields, "id": record_id, "author": author, "created": ""})
        raw = new_record(author, self._tick(), fields_of(checked))
        self._put(model.KIND, record_id, raw)
        return model.from_raw(record_id, raw)

    def update(self, model: type[M], record_id: str, editor: str, **changes: Any) -> M:
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

    def delete(self, model: type[RecordModel], record_id: str, editor: str) -> None:
        """Delete a record, leaving a tombstone so the delete reaches the partner too."""
        raw = self.raw_table(model.KIND).get(record_id)
        if raw is None:
            raise StoreError(
                "unknown_record", case="id", kind=model.KIND.replace("_", " "), id=record_id[:12]
            )
        self._put(model.KIND, record_id, tombstoned(raw, self._tick(), editor))

    def derived_id(self, *parts: object) -> str:
        """A stable id for a record that is about something (one per partner and step, say)."""
        return _derived(self.file_id, *parts)

    # -- what the couple does -----------------------------------------------------------

    def set_progress(
        self, partner_id: str, step: int, status: StepStatus, editor: str | None = None
    ) -> Progress:
        self.partner(partner_id)
        return self.create(
            Progress,
            editor or partner_id,
            self.derived_id("progress", partner_id, step),
            partner=partner_id,
            step=step,
            status=StepStatus(status),
        )

    def add_celebration(
        self,
        author: str,
        title: str,
        *,
        note: str = "",
        day: dt.date | None = None,
        step: int | None = None,
        size: CelebrationSize = CelebrationSize.SMALL,
        suggestion: str = "",
    ) -> Celebration:
        """Log a celebration by one of the partners; ``suggestion`` is the key of the suggestion
        it came from, if any (so neither partner is offered that moment again)."""
        self.partner(author)
        return self.create(
            Celebration,
            author,
            title=title,
            note=note,
            day=day or dt.date.today(),
            step=step,
            size=CelebrationSize(size),
            from_suggestion=suggestion,
        )

    def celebrations(self) -> list[Celebration]:
        """Newest first."""
        return sorted(self.records(Celebration), key=lambda c: (c.day, c.created), reverse=True)

    def agreement_list_named(self, name: str, author: str) -> AgreementList:
        """The list with that name, created if there is none yet."""
        wanted = name_key(name)
        for existing in self.agreement_lists():
            if name_key(existing.name) == wanted:
                return existing
        # Named lists created on two machines apart are one list; a list renamed
        # away from this name keeps its id, so a new one gets a fresh id.
        record_id = self.derived_id("agreement_list", wanted)
        if record_id in self.raw_table(AgreementList.KIND):
            record_id = None
        position = len(self.records(AgreementList))
        return self.create(AgreementList, author, record_id, name=name, position=position)

    def add_agreement(
        self,
        author: str,
        text: str,
        *,
        list_name: str = DEFAULT_LIST,
        why: str = "",
        list_id: str | None = None,
        review_on: dt.date | None = None,
    ) -> Agreement:
        """Propose an agreement on the list ``list_id`` (or the one named ``list_name``)."""
        if not text.strip():
            raise StoreError("empty_text", case="agreement")
        if list_id is None:
            list_id = self.agreement_list_named(list_name, author).id
        elif self.get(AgreementList, list_id) is None:
            raise StoreError("unknown_record", case="id", kind="agreement list", id=list_id[:12])
        return self.create(
            Agreement, author, list_id=list_id, text=text.strip(), why=why.strip(), review_on=review_on
        )

    def agreement(self, agreement_id: str) -> Agreement:
        found = self.get(Agreement, agreement_id)
        if found is None:
            raise StoreError("unknown_record", case="id", kind="agreement", id=agreement_id[:12])
        return found

    def find_agreement(self, prefix: str) -> Agreement:
        """The one agreement whose id starts with ``prefix`` (as printed by the CLI)."""
        prefix = prefix.strip().lower()
        found = [a for a in self.agreements() if a.id.startswith(prefix)] if prefix else []
        if not found:
            raise StoreError("unknown_record", case="prefix", prefix=prefix)
        if len(found) > 1:
            raise StoreError("ambiguous", count=len(found), prefix=prefix)
        return found[0]

    def sign(self, agreement_id: str, partner_id: str, wording: str | None = None) -> Agreement:
        """Sign the agreement's current wording as that partner.

        ``wording`` is the text the partner read: if the agreement says something
        else by now (the other partner's change just arrived), nothing is signed.
        """
        agreement = self.agreement(agreement_id)
        self.partner(partner_id)
        if wording is not None and wording != agreement.text:
            raise StoreError("wording_changed", wording=wording)
        return self.update(
            Agreement,
            agreement_id,
            partner_id,
            signatures={**agreement.signatures, partner_id: wording_key(agreement.text)},
            proofs={**agreement.proofs, partner_id: self.proof_for(agreement, partner_id)},
        )

    def unsign(self, agreement_id: str, partner_id: str) -> Agreement:
        agreement = self.agreement(agreement_id)
        remaining = {p: key for p, key in agreement.signatures.items() if p != partner_id}
        proofs = {p: proof for p, proof in agreement.proofs.items() if p != partner_id}
        return self.update(Agreement, agreement_id, partner_id, signatures=remaining, proofs=proofs)

    def agreement_history(self, agreement_id: str) -> list[tuple[dt.date | None, str]]:
        """The wordings the agreement had before, oldest first, as (the day it was replaced, text)."""
        raw = self.raw_table(Agreement.KIND).get(agreement_id)
        entries = raw["history"].get("text", {}) if raw else {}
        return [(stamp_day(stamp), entry["value"]) for stamp, entry in sorted(entries.items())]

    def rename_list(self, list_id: str, name: str, editor: str) -> AgreementList:
        """A new name for a list; two lists never share a name (``--list NAME`` must find one)."""
        wanted = name_key(name)
        others = (lst for lst in self.agreement_lists() if lst.id != list_id)
        taken = next((lst for lst in others if name_key(lst.name) == wanted), None)
        if taken is not None:
            raise StoreError("list_exists", name=taken.name)
        return self.update(AgreementList, list_id, editor, name=name)

    def move_list(self, list_id: str, offset: int, editor: str) -> list[AgreementList]:
        """Move a list up (-1) or down (+1); positions are rewritten 0, 1, 2 ..."""
        lists = self.agreement_lists()
        index = next(i for i, lst in enumerate(lists) if lst.id == list_id)
        target = max(0, min(len(lists) - 1, index + offset))
        lists.insert(target, lists.pop(index))
        for position, lst in enumerate(lists):
            if lst.position != position:
                self.update(AgreementList, lst.id, editor, position=position)
        return self.agreement_lists()

    def archive_list(self, list_id: str, editor: str, archived: bool = True) -> AgreementList:
        """Put a list away (its agreements are kept), or bring it back with ``archived=False``."""
        return self.update(AgreementList, list_id, editor, archived=archived)

    def edit_agreement(
        self, agreement_id: str, editor: str, *, text: str, why: str = "", review_on: dt.date | None = None
    ) -> Agreement:
        """New wording, why or review date; signatures given to the old wording stop counting."""
        if not text.strip():
            raise StoreError("empty_text", case="agreement")
        current = self.agreement(agreement_id)
        # The same words with other spaces around them are not a new wording to sign again.
        wording = current.text if text.strip() == current.text.strip() else text.strip()
        return self.update(
            Agreement, agreement_id, editor, text=wording, why=why.strip(), review_on=review_on
        )

    def set_revisit(self, agreement_id: str, note: str, editor: str) -> Agreement:
        """Ask to talk an agreement over again, saying why; an empty note clears the request."""
        self.agreement(agreement_id)
        return self.update(Agreement, agreement_id, editor, revisit=note.strip())

    def retire(self, agreement_id: str, editor: str, retired: bool = True) -> Agreement:
        """Retire an agreement (kept, shown as retired), or put it back in force."""
        self.agreement(agreement_id)
        return self.update(Agreement, agreement_id, editor, retired=retired)

    def delete_agreement(self, agreement_id: str, editor: str) -> None:
        """Delete an agreement; a tombstone carries the delete to the partner's copy."""
        self.agreement(agreement_id)
        self.delete(Agreement, agreement_id, editor)

    def agreements(self) -> list[Agreement]:
        return sorted(self.records(Agreement), key=lambda a: a.created)

    def check_in(
        self, partner_id: str, connection: int, *, mood: str = "", note: str = "", day: dt.date | None = None
    ) -> CheckIn:
        """A partner's check-in for a day (checking in again that day changes it)."""
        self.partner(partner_id)
        day = day or dt.date.today()
        return self.create(
            CheckIn,
            partner_id,
            self.derived_id("checkin", partner_id, day.isoformat()),
            partner=partner_id,
            day=day,
            connection=Connection(connection),
            mood=mood,
            note=note,
        )

    def checkins_lately(self, partner_id: str, today: dt.date, days: int) -> list[CheckIn]:
        """That partner's check-ins of the last ``days`` days (a day or two ahead too, for a clock
        ahead), oldest first, read by their ids alone; if there are none, their latest, however old."""
        wanted = (today - dt.timedelta(days=n) for n in range(-CLOCK_AHEAD_DAYS, days))
        file_id = self.file_id  # one look at the file for them all
        ids = (_derived(file_id, "checkin", partner_id, day.isoformat()) for day in wanted)
        found = [self._held(CheckIn, record_id) for record_id in ids]
        lately = sorted((c for c in found if c is not None and c.partner == partner_id), key=lambda c: c.day)
        if lately:
            return lately
        return self.checkins(partner_id)[-1:]  # reads them all: only when there is nothing lately

    def checkins(self, partner_id: str | None = None) -> list[CheckIn]:
        found: Iterable[CheckIn] = self.records(CheckIn)
        if partner_id:
            found = (c for c in found if c.partner == partner_id)
        return sorted(found, key=lambda c: c.day)

    # -- entries a partner may keep private ----------------------------------------------

    def add_entry(self, model: type[M], author: str, *, private: bool = False, **fields: Any) -> M:
        """Add a practice entry; a private one goes to this machine's local file only."""
        if not private:
            return self.create(model, author, **fields)
        record_id = str(uuid.uuid4())
        checked = self._validated(model, {**fields, "id": record_id, "author": author, "created": ""})
        raw = new_record(author, self._tick(), fields_of(checked))
        self.local.put_private(self.file_id, model.KIND, record_id, raw)
        return model.from_raw(record_id, raw)

    def is_private(self, model: type[RecordModel], record_id: str) -> bool:
        return record_id in self.local.private_table(self.file_id, model.KIND)

    def private_ids(self, model: type[RecordModel]) -> frozenset[str]:
        """The ids of this machine's private entries of that kind (kept in the local file only)."""
        return frozenset(self.local.private_table(self.file_id, model.KIND))

    def entries(self, model: type[M], viewer: str) -> list[M]:
        """What ``viewer`` may see: the shared entries and their own private ones, oldest first."""
        found: list[M] = self.records(model)
        for record_id, raw in self.local.private_table(self.file_id, model.KIND).items():
            if raw.get("author") == viewer and is_alive(raw):
                try:
                    found.append(model.from_raw(record_id, raw))
                except (ValidationError, KeyError, TypeError):
                    continue
        return sorted(found, key=lambda entry: (entry.created, entry.id))

    def edit_entry(self, model: type[M], record_id: str, editor: str, **changes: Any) -> M:
        raw = self.local.private_table(self.file_id, model.KIND).get(record_id)
        if raw is None:
            return self.update(model, record_id, editor, **changes)
        changed = self._validated(model, {**model.from_raw(record_id, raw).model_dump(), **changes})
        updated = with_changes(raw, fields_of(changed), self._tick(), editor)
        self.local.put_private(self.file_id, model.KIND, record_id, updated)
        return model.from_raw(record_id, updated)

    def delete_entry(self, model: type[RecordModel], record_id: str, editor: str) -> None:
        """Delete an entry: a private one is simply gone, a shared one leaves a tombstone."""
        if self.is_private(model, record_id):
            self.local.drop_private(self.file_id, model.KIND, record_id)
        else:
            self.delete(model, record_id, editor)

    def share_entry(self, model: type[M], record_id: str, editor: str) -> M:
        """Move a private entry into the couple's file, where the partner can read it.

        Only its current wording is shared: the wordings it had while private
        (its history) stay in this machine's local file, never in the couple's.
        """
        raw = self.local.private_table(self.file_id, model.KIND).get(record_id)
        if raw is None:
            raise StoreError("unknown_record", case="shared")
        self._put(model.KIND, record_id, {**raw, "history": {}})
        if raw.get("history"):
            self.local.keep_drafts(self.file_id, model.KIND, record_id, raw["history"])
        self.local.drop_private(self.file_id, model.KIND, record_id)
        return model.from_raw(record_id, raw)

    def unshare_entry(self, model: type[M], record_id: str, editor: str) -> M:
        """Take a shared entry back: private to its author again, on this machine only.

        The couple's file keeps a tombstone (so the partner's copy stops showing it once it syncs)
        and the entry goes back into this machine's local file under a new id, its ``created``
        kept, so it stays in its place and can be shared again. What the partner's copy has
        already synced stays there: the tombstone hides it, it does not unsay it.
        """
        raw = self.raw_table(model.KIND).get(record_id)
        if raw is None or not is_alive(raw):
            raise StoreError("unknown_record", case="not_shared")
        if raw.get("author") != editor:
            raise StoreError("not_yours")
        private_id = str(uuid.uuid4())
        kept = copy.deepcopy(raw)
        self.local.put_private(self.file_id, model.KIND, private_id, kept)
        try:
            self.delete(model, record_id, editor)
        except StoreError:
            self.local.drop_private(self.file_id, model.KIND, private_id)
            raise
        return model.from_raw(private_id, kept)

    # -- text both partners wrote apart ----------------------------------------------

    def alternatives(self) -> list[Alternative]:
        """Every field where a merge kept the other partner's value beside the winning one.

        A signature (and its proof) is kept in history too but not offered
        back: it is given again by its partner, at their machine, not restored.
        """
        found = []
        for kind, table in records_of(self._data()).items():
            if kind not in KINDS:
                continue
            for record_id, raw in table.items():
                if not isinstance(raw, dict) or record_problem(kind, record_id, raw) or not is_alive(raw):
                    continue
                for name, kept in unseen_history(raw).items():
                    if name.startswith(("signature.", "proof.")):
                        continue
                    current, author = raw["fields"].get(name), raw["author"]
                    found.extend(
                        Alternative(kind, record_id, name, current, stamp, value, author)
                        for stamp, value in kept
                    )
        return found

    def restore_alternative(self, alternative: Alternative, editor: str) -> None:
        """Put the kept text back in place; the text it replaces is kept in history in turn."""
        raw = self.raw_table(alternative.kind)[alternative.record_id]
        raw = with_seen(raw, alternative.field, alternative.stamp)
        model = KINDS[alternative.kind]
        self._validated(
            model,
            {**model.from_raw(alternative.record_id, raw).model_dump(), alternative.field: alternative.value},
        )
        self._put(
            alternative.kind,
            alternative.record_id,
            with_changes(raw, {alternative.field: alternative.value}, self._tick(), editor),
        )

    def keep_current(self, alternative: Alternative) -> None:
        """The couple looked at the kept text and keeps what is there now (the kept text stays in history)."""
        raw = self.raw_table(alternative.kind)[alternative.record_id]
        self._put(
            alternative.kind, alternative.record_id, with_seen(raw, alternative.field, alternative.stamp)
        )
