"""A TinyDB storage that is safe to keep in a synced folder.

TinyDB's own JSONStorage truncates the file and writes it in place: a crash
in between leaves half a file, and a sync service may upload it. This one:

- re-reads the file only when its identity (inode, size, mtime) changed, and
  otherwise serves what it holds in memory;
- on every write takes this machine's lock, re-reads the file if someone else
  changed it, merges that copy with ours (``app.domain.merge``), writes the
  result canonically, 0600, to a temporary file, and exchanges it with the
  file in place (``app.store.files.swap_in``): a copy a sync service renamed
  in after our read (sync services never take our lock) comes out of the
  exchange and is merged in, never overwritten unseen;
- gives a file that is missing, empty or half-written a moment to arrive
  (a sync service swapping it in) before it says so;
- never writes over a file it could not understand.

``CoupleStorage`` is here with TinyDB's interface and ours (``create``, ``put``, ``refresh``,
``sweep_leftovers`` ...); how it takes in the file on disk and how it saves are the two parts it is
made of, a module each (``self: CoupleStorage`` in their methods): ``storage_taking_in``
(``TakesInTheFile``) and ``storage_saving`` (``SavesTheFile``). The file as data, read, checked,
opened and brought to the current format, and two copies merged, is ``app.store.couple_file``.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from tinydb import Storage
from tinydb.table import Table

from app.domain.merge import MergeReport
from app.domain.records import newest_valid_stamp
from app.store.couple_file import SETTLE_S, Data, file_id_of, load_couple_file, records_of, with_records
from app.store.errors import StoreError
from app.store.files import META_TABLE, Identity, identity
from app.store.keys import Keyring
from app.store.lazy import LazyTable
from app.store.lock import LOCK_TIMEOUT_S, LockBusy, MachineLock
from app.store.places import Places, default_machine_root
from app.store.storage_saving import SavesTheFile
from app.store.storage_taking_in import TakesInTheFile


class RecordTable(Table):
    """A TinyDB table keyed by UUID strings: ids made on two machines never collide."""

    document_id_class = str

    def _get_next_id(self) -> str:  # TinyDB's default is max(id) + 1
        raise TypeError("records are stored with an explicit UUID: use upsert(Document(..., doc_id=uuid))")


def _absorbed(held: Mapping[str, Any] | None, table: Mapping[str, Any]) -> Mapping[str, Any]:
    """A table written whole (TinyDB's ``write``, a merge) as one sharing the bytes of the one held."""
    if isinstance(held, LazyTable) and not isinstance(table, LazyTable):
        return held.absorb(table)
    return table


def _changed_between(held: Mapping[str, Any] | None, table: Mapping[str, Any]) -> dict[str, Any]:
    """The records ``table`` holds that ``held`` does not (a record is never changed in place)."""
    if table is held:
        return {}
    if isinstance(table, LazyTable) and isinstance(held, LazyTable):
        return table.put_since(held)
    held = held or {}
    return {record_id: record for record_id, record in table.items() if held.get(record_id) is not record}


def _newest_in(table: Mapping[str, Any]) -> str | None:
    if isinstance(table, LazyTable):
        return table.newest_stamp()
    return max(filter(None, map(newest_valid_stamp, table.values())), default=None)


class CoupleStorage(TakesInTheFile, SavesTheFile, Storage):
    """TinyDB storage for the couple's file (see the module docstring)."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        on_change: Callable[[MergeReport], None] | None = None,
        before_write: Callable[..., object] | None = None,
        places: Places | None = None,
        keyring: Keyring | None = None,
    ):
        self.path = Path(path)
        self.keyring = keyring  # opens and seals a sealed file
        self.places = places or Places(self.path, default_machine_root())
        self._before_write = before_write  # e.g. keep a backup of the good file about to be replaced
        self._data: Data | None = None
        self._stat: Identity | None = None  # the file on disk as we last read or wrote it
        self._on_change = on_change
        self.unsaved = False  # True after a write failed: our change is held in memory only
        self.generation = 0  # bumped whenever the data held in memory changes
        self._lock: MachineLock | None = None
        self._unreadable: tuple[Identity | None, StoreError] | None = None  # the file, as it failed
        self._unchecked: list[LazyTable] = []  # tables opened lazily, not all their records parsed yet
        self._boxes: LazyTable | None = None  # a sealed file's boxes as last read or written
        self._boxes_in: bytes | None = None  # a sealed file as read: split when first needed
        self._ours: dict[str, dict[str, Any]] = {}  # records we changed since our last save

    # -- TinyDB's Storage interface -------------------------------------------------

    def read(self) -> Data | None:
        stat = self._disk_stat()
        if stat is not None and stat != self._stat:
            self._take_in_disk()
        return self._data

    def write(self, data: Data) -> None:
        held = self._data or {}
        self._data = {name: _absorbed(held.get(name), table) for name, table in data.items()}
        for name, table in self._data.items():
            if name != META_TABLE and (changed := _changed_between(held.get(name), table)):
                self._ours.setdefault(name, {}).update(changed)
        self.generation += 1
        self.unsaved = True
        with self._locked():
            self._save()

    def close(self) -> None:
        pass

    # -- ours -----------------------------------------------------------------------

    def create(self, data: Data) -> None:
        """Write a brand-new file; refuses to replace one that exists."""
        with self._locked():
            real = self.places.real
            if real.exists() and real.stat().st_size > 0:
                raise StoreError("file_exists", path=self.path)
            self._data = data
            self.generation += 1
            self._save()

    def put(self, kind: str, record_id: str, raw: Any) -> None:
        """Write one record (a new object: a record is never changed in place)."""
        data = self.read()
        assert data is not None
        self.write({**data, kind: with_records(data.get(kind), {record_id: raw})})

    def newest_stamp(self) -> str | None:
        """The newest well-formed stamp of any record in the file (a plain file's records are not
        all read for it: ``LazyTable.newest_stamp``)."""
        return max(filter(None, map(_newest_in, records_of(self.read() or {}).values())), default=None)

    def changed_since(self, kind: str, since: str) -> Mapping[str, Any]:
        """The records of one table with a well-formed stamp newer than ``since``, by id."""
        table = (self.read() or {}).get(kind, {})
        if isinstance(table, LazyTable):
            return table.changed_since(since)
        return {record_id: raw for record_id, raw in table.items() if (newest_valid_stamp(raw) or "") > since}

    def check(self) -> Iterator[None]:
        """Parse what was opened lazily and not read yet, a step at a time (see ``LazyTable.check``):
        a record that does not parse is found before anything is written over it, as a StoreError."""
        while self._unchecked:
            yield from self._unchecked[0].check()
            self._unchecked.pop(0)

    def refresh(self) -> bool:
        """Take in what another process or machine wrote; True if anything changed.

        If the copy on disk lacks something we hold (the partner's sync
        service replaced the file with an older copy), the merged result is
        written back so it is not lost.
        """
        before = self.generation
        if not self.unsaved:
            self.read()
        if self.unsaved:  # held from a failed write, or the file lacked what we hold
            with self._locked():
                self.read()
                self._save()
        return self.generation != before

    def read_arriving(self) -> Data | None:
        """``read``, giving a file that is not there ``SETTLE_S`` to arrive (a sync service mid-swap)."""
        deadline = time.monotonic() + SETTLE_S
        data = self.read()
        while data is None and time.monotonic() < deadline:
            time.sleep(0.05)
            data = self.read()
        return data

    def sweep_leftovers(self) -> int:
        """Merge in the temporary files a killed save (or a swap) left beside the file, then remove them.

        A leftover holds a whole copy of the couple's file as it was about to
        be (or had just been) written: what it adds is merged, never lost. One
        that cannot be read was never a finished save and is simply removed.
        Returns how many were found.
        """
        leftovers = self.places.leftover_temps()
        if not leftovers or self._data is None:
            return 0
        with self._locked():
            self.read()
            before = self.generation
            for leftover in self.places.leftover_temps():
                with contextlib.suppress(StoreError):
                    theirs = load_couple_file(leftover, settle=0, keyring=self.keyring).data
                    if file_id_of(theirs) == file_id_of(self._data):
                        self._merge_in(theirs)
            if self.generation != before or self.unsaved:
                self._save()
            for leftover in leftovers:
                with contextlib.suppress(OSError):
                    leftover.unlink()
        return len(leftovers)

    # -- the file on disk and this machine's lock (the parts it is made of take in and save) ---

    def _disk_stat(self) -> Identity | None:
        try:
            return identity(self.places.real.stat())
        except FileNotFoundError:
            return None
        except PermissionError:
            raise StoreError("file_unreadable", case="denied", path=self.path) from None

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            self.places.ensure_machine()
        except PermissionError:
            raise StoreError("folder_readonly", case="lock", path=self.places.machine) from None
        if self._lock is None:
            self._lock = MachineLock(self.places.lock)
        with held(self._lock, self.path):
            yield


@contextlib.contextmanager
def held(lock: MachineLock, path: Path) -> Iterator[None]:
    """``lock`` held, or a StoreError saying another Kintsugi is holding ``path``."""
    try:
        lock.__enter__()
    except LockBusy:
        raise StoreError("file_busy", case="held", path=path, seconds=round(LOCK_TIMEOUT_S)) from None
    try:
        yield
    finally:
        lock.__exit__()
