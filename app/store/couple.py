"""The couple's store: the one place the TUI and the CLI read and write records.

It holds a TinyDB database on ``CoupleStorage`` (one table per kind of record,
keyed by UUID strings), the machine's hybrid logical clock, and this
machine's local file. Every write stamps the fields it changes, and the
storage merges it with whatever is on disk before writing, so two partners
(or two processes) writing at once both keep their change.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from app.domain.clock import HybridClock
from app.domain.machines import Machine
from app.domain.merge import MergeReport
from app.domain.models import SCHEMA_VERSION, Partner, RecordModel, fields_of
from app.domain.records import RawRecord, new_record
from app.domain.text import name_key
from app.store.agreements import Agreements
from app.store.alternatives import Alternatives
from app.store.backups import back_up_if_due, backups
from app.store.celebrations import Celebrations
from app.store.checkins import CheckIns
from app.store.couple_file import Data
from app.store.entries import PrivateEntries
from app.store.files import META_DOC, META_TABLE
from app.store.joining import read_as_it_is
from app.store.keys import Keyring, Locked
from app.store.local import LocalState
from app.store.machines import MachineBook
from app.store.meeting import Meetings
from app.store.news import WhatIsNew
from app.store.partners import Partners
from app.store.places import Places, machine_root
from app.store.practices.celebrate import SharedGoals
from app.store.practices.trust import Commitments
from app.store.question import DailyQuestion
from app.store.reading import Reading
from app.store.repair import Repairs
from app.store.sealing import FileKey, new_file_key
from app.store.storage import CoupleStorage, RecordTable, StoreError
from app.store.suggestions import Suggestions
from app.store.writing import Writing

PARTNER_COLOURS = ("gold", "teal")


class CoupleDB(TinyDB):
    """The couple's file as a TinyDB database (``store.db``): TinyDB's queries read it.

    The store itself reads and writes records through the storage, one record
    at a time (``CoupleStore._put``): TinyDB's tables re-read and re-write the
    whole database for every change and change documents in place.
    """

    table_class = RecordTable


class CoupleStore(
    Reading,
    Writing,
    Partners,
    Agreements,
    Celebrations,
    CheckIns,
    PrivateEntries,
    Alternatives,
    MachineBook,
    Meetings,
    DailyQuestion,
    Repairs,
    Suggestions,
    WhatIsNew,
    Commitments,
    SharedGoals,
):
    """Read and write the couple's records (see the module docstring): this class opens and
    creates the file; each area's reads and writes are a mixin in its own module."""

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
