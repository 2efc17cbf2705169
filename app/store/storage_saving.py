"""How ``CoupleStorage`` (``app.store.storage``) saves: ``SavesTheFile``: what it holds written
canonically (sealed if the file is) to a temporary file and exchanged with the file in place; a
copy that came out of the exchange merged in and the save gone round again; a backup kept when
one is due; the tables held as the bytes just written."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from app.store.couple_file import Data, file_id_of, load_couple_file, locked
from app.store.errors import StoreError
from app.store.files import (
    META_TABLE,
    Intruder,
    canonical_chunks,
    fsync_folder,
    swap_back,
    swap_in,
    write_temp,
)
from app.store.keys import Locked, sealing_of
from app.store.lazy import LazyTable
from app.store.sealing import SEALED_TABLE
from app.store.written import remember_writes

if TYPE_CHECKING:
    from app.store.storage import CoupleStorage

SAVE_ROUNDS = 20  # copies renamed in during one save, merged one after another, before giving up


class SavesTheFile:
    """What the storage holds, put in place of the file (mixed into ``CoupleStorage``)."""

    def _save(self: CoupleStorage) -> None:
        """Put what we hold in place of the file, merging whatever took its place since we read it."""
        assert self._data is not None
        real = self.places.real
        for _ in self.check():  # never written over: a record of the file that does not parse
            pass
        for _ in range(SAVE_ROUNDS):
            found = self._disk_stat()
            if found is not None and found != self._stat:
                self._take_in_disk()
            self._back_up_if_due()
            try:
                disk = self._on_disk()
                chunks, bodies = canonical_chunks(disk)
                tmp, written = write_temp(real, chunks)
                try:
                    intruder = swap_in(tmp, real, self._stat)
                except BaseException:
                    tmp.unlink(missing_ok=True)
                    raise
                if intruder is None:
                    fsync_folder(real.parent)
            except OSError as error:
                raise self._not_saved(error) from None
            if intruder is None:
                self._stat = written
                self.unsaved = False
                self._hold_as_written(disk, bodies)
                self._remember_ours()
                return
            if not intruder.swapped:
                tmp.unlink(missing_ok=True)  # the next round reads the file that came in and merges it
                continue
            before = self.generation
            self._take_in_swapped(intruder)
            self._stat = written  # ours stands in place; the next round exchanges it for the merge
            if self.generation == before:  # it held nothing we lacked: ours in place is the merge
                self.unsaved = False
                self._remember_ours()
                return
        raise StoreError("file_busy", case="replaced", path=self.path)

    def _remember_ours(self: CoupleStorage) -> None:
        """Keep on this machine what the save just made wrote of ours (``app.store.written``)."""
        assert self._data is not None and self._stat is not None
        with contextlib.suppress(OSError):  # the couple's file is saved: this only guards it
            remember_writes(self.places, file_id_of(self._data), self._ours, self._stat)
        self._ours = {}

    def _on_disk(self: CoupleStorage) -> Data:
        """What we hold, as it goes to disk: sealed if the file is."""
        assert self._data is not None
        if sealing_of(self._data) is None:
            return self._data
        if self.keyring is None:
            raise locked(self.path)
        try:
            return self.keyring.seal_data(self._data)
        except Locked:
            raise locked(self.path) from None

    def _hold_as_written(self: CoupleStorage, disk: Data, bodies: dict[str, bytes | memoryview]) -> None:
        """Hold each table as the bytes just written (a sealed file: its boxes, as the keyring
        keeps them), with what is parsed."""
        assert self._data is not None
        if sealing_of(self._data) is not None:
            boxes = disk[SEALED_TABLE]
            assert isinstance(boxes, LazyTable)
            self._boxes, self._boxes_in = boxes, None
            return
        held: Data = {}
        for name, table in self._data.items():
            if isinstance(table, LazyTable):
                table = table.rebased()
            elif name != META_TABLE:
                body = bytes(bodies[name])
                table = LazyTable.from_body(body, 0, len(body), self.path, parsed=dict(table)) or table
            held[name] = table
        self._data = held

    def _take_in_swapped(self: CoupleStorage, intruder: Intruder) -> None:
        """Merge the copy an exchange took out of place; if it cannot be read, put it back untouched."""
        try:
            self._merge_in(load_couple_file(intruder.path, keyring=self.keyring).data)
        except StoreError:
            swap_back(intruder, self.places.real)
            raise
        intruder.path.unlink(missing_ok=True)

    def _back_up_if_due(self: CoupleStorage) -> None:
        if self._before_write is not None and self._stat is not None and self._disk_stat() == self._stat:
            self._before_write(self.places)  # only a file we have read and understood

    def _not_saved(self: CoupleStorage, error: OSError) -> StoreError:
        if isinstance(error, PermissionError):
            return StoreError("folder_readonly", case="saving", path=self.path.parent)
        return StoreError(
            "disk_full" if error.errno == 28 else "not_saved_yet", path=self.path, why=error.strerror
        )
