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
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from tinydb import Storage
from tinydb.table import Table

from app.domain.merge import MergeReport, merge_meta, merge_replicas
from app.domain.models import SCHEMA_VERSION
from app.domain.text import printable
from app.store.files import (
    CanonicalFile,
    Identity,
    Intruder,
    changed_records,
    fsync_folder,
    identity,
    split_records,
    swap_back,
    swap_in,
    table_spans,
    write_temp,
)
from app.store.keys import Keyring, Locked, sealing_of
from app.store.lock import LOCK_TIMEOUT_S, LockBusy, MachineLock
from app.store.migrations import migrate, version_of
from app.store.places import Places, default_machine_root
from app.store.sealing import KEY_KIND, SCHEME, SEALED_FORMAT, SEALED_TABLE, UNOPENED

META_TABLE = "_meta"
META_DOC = "file"
SETTLE_S = 1.0  # how long a missing, empty or half-written file is given to arrive
SAVE_ROUNDS = 20  # copies renamed in during one save, merged one after another, before giving up
_ARRIVING = frozenset({"file_missing", "file_empty", "file_not_json"})

Data = dict[str, dict[str, Any]]


class StoreError(Exception):
    """Something the couple should be told about the file, in one sentence.

    ``reason`` names the sentence in content/ui.toml ([errors]); ``detail``
    fills its placeholders. A sentence may quote the file (an id, a path), so its
    control characters are written out: it is safe to show as it is.
    """

    def __init__(self, reason: str, message: str, **detail: Any) -> None:
        super().__init__(printable(message))
        self.reason = reason
        self.detail = detail


class RecordTable(Table):
    """A TinyDB table keyed by UUID strings: ids made on two machines never collide."""

    document_id_class = str

    def _get_next_id(self) -> str:  # TinyDB's default is max(id) + 1
        raise TypeError("records are stored with an explicit UUID: use upsert(Document(..., doc_id=uuid))")


def parse_couple_file(text: str, path: Path) -> Data:
    """The file's tables, or a StoreError saying in one sentence what is wrong."""
    if not text.strip():
        raise StoreError("file_empty", f"{path} is empty.", path=path)
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        where = f"line {error.lineno}" if isinstance(error, json.JSONDecodeError) else "deep nesting"
        raise StoreError(
            "file_not_json", f"{path} is not valid JSON ({where}).", path=path, detail=where
        ) from None
    if not isinstance(data, dict) or not all(
        isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
        for table in data.values()
    ):
        raise StoreError("file_wrong_shape", f"{path} is JSON but not a Kintsugi file.", path=path)
    meta = data.get(META_TABLE, {}).get(META_DOC)
    if not isinstance(meta, dict) or not isinstance(meta.get("file_id"), str):
        raise StoreError("file_wrong_shape", f"{path} is JSON but not a Kintsugi file.", path=path)
    version = meta.get("schema_version")
    if not isinstance(version, int) or version < 1:
        raise StoreError("file_wrong_shape", f"{path} has no valid schema version.", path=path)
    sealing = meta.get("sealing")
    if sealing is not None:  # format 2: format 1 with its records sealed (app/store/sealing.py)
        if version > SEALED_FORMAT or not isinstance(sealing, dict) or sealing.get("scheme") != SCHEME:
            raise StoreError(
                "file_from_future",
                f"{path} was sealed by a newer Kintsugi; please update.",
                path=path,
                version=version,
            )
    elif version > SCHEMA_VERSION:
        raise StoreError(
            "file_from_future",
            f"{path} was written by a newer Kintsugi (format {version}); please update.",
            path=path,
            version=version,
        )
    return data


def file_id_of(data: Data) -> str:
    return data[META_TABLE][META_DOC]["file_id"]


def records_of(data: Data) -> dict[str, dict[str, Any]]:
    return {name: table for name, table in data.items() if name != META_TABLE}


def merge_data(ours: Data, theirs: Data) -> tuple[Data, MergeReport]:
    """Two copies of one couple's file (same file id, same format) as one: records and ``_meta``."""
    records, report = merge_replicas(records_of(ours), records_of(theirs))
    return {**records, META_TABLE: merge_meta(ours[META_TABLE], theirs[META_TABLE])}, report


def read_couple_text(path: Path) -> tuple[str, Identity]:
    """The file's text and the identity of the very file it was read from."""
    text, found, _ = _read(path)
    return text, found


def _read(path: Path) -> tuple[str, Identity, bytes]:
    """``read_couple_text``, and the bytes the text was decoded from."""
    try:
        with path.open("rb") as handle:
            found = identity(os.fstat(handle.fileno()))
            raw = handle.read()
    except PermissionError:
        raise StoreError(
            "file_unreadable", f"{path} cannot be read (permission denied).", path=path
        ) from None
    except FileNotFoundError:
        raise StoreError("file_missing", f"{path} does not exist.", path=path) from None
    except IsADirectoryError:
        raise StoreError("file_unreadable", f"{path} is a folder, not a file.", path=path) from None
    except OSError as error:
        raise StoreError(
            "file_unreadable", f"{path} cannot be read ({error.strerror}).", path=path, detail=error.strerror
        ) from None
    try:
        return raw.decode("utf-8"), found, raw
    except UnicodeDecodeError:
        raise StoreError(
            "file_not_json", f"{path} is not valid JSON (not UTF-8 text).", path=path, detail="not UTF-8"
        ) from None


class Loaded(NamedTuple):
    data: Data  # brought to the current format
    identity: Identity  # of the very file it was read from
    version: int  # the format it was written in
    source: bytes = b""  # the bytes ``data`` was parsed from, when that is what it holds (a plain file)


def load_couple_file(path: Path, settle: float | None = None, keyring: Keyring | None = None) -> Loaded:
    """A couple's file parsed, opened (if it is sealed) and brought to the current format.

    A file that is missing, empty or not JSON is given ``settle`` seconds
    (``SETTLE_S``) to become whole: a sync service may be swapping it in. A
    sealed file needs ``keyring``, holding a key that opens it.
    """
    deadline = time.monotonic() + (SETTLE_S if settle is None else settle)
    while True:
        try:
            text, found, raw = _read(path)
            data = parse_couple_file(text, path)
            break
        except StoreError as error:
            if error.reason not in _ARRIVING or time.monotonic() >= deadline:
                raise
        time.sleep(0.05)
    if sealing_of(data) is None:
        version = version_of(data)
        return Loaded(migrate(data), found, version, raw if version == SCHEMA_VERSION else b"")
    if keyring is None:
        raise locked(path)
    try:
        return Loaded(keyring.open_data(data), found, version_of(data))
    except Locked:
        raise locked(path) from None


def locked(path: Path) -> StoreError:
    return StoreError(
        "file_locked",
        f"{path} is sealed for the couple's own machines, and this one has not been let in yet: "
        "`kintsugi join` asks to be (or `kintsugi join --recovery` with your recovery code).",
        path=path,
    )


class CoupleStorage(Storage):
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
        self._canonical = CanonicalFile()
        self._lock: MachineLock | None = None
        self._unreadable: tuple[Identity | None, StoreError] | None = None  # the file, as it failed
        self._sealed_seen: tuple[bytes, int, int] | None = (
            None  # a sealed table's bytes as last read or written
        )
        self._sealed_split: tuple[list[bytes], list[bytes]] | None = None
        self._written: Data = {}  # what the last save put on disk (a sealed file: its boxes)

    # -- TinyDB's Storage interface -------------------------------------------------

    def read(self) -> Data | None:
        stat = self._disk_stat()
        if stat is not None and stat != self._stat:
            self._take_in_disk()
        return self._data

    def write(self, data: Data) -> None:
        self._data = data
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
                raise StoreError("file_exists", f"{self.path} already exists.", path=self.path)
            self._data = data
            self.generation += 1
            self._save()

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

    # -- reading and merging --------------------------------------------------------

    def _take_in_disk(self) -> None:
        """Read the file on disk and merge it with what we hold.

        A file that could not be read is not waited for again while it stays
        the very same file: the error is given at once.
        """
        if self._unreadable is not None and self._unreadable[0] == self._disk_stat():
            raise self._unreadable[1]
        if self._data is not None and self._take_in_changes_only():
            return
        try:
            disk, found, version, source = load_couple_file(self.places.real, keyring=self.keyring)
        except StoreError as error:
            self._unreadable = (self._disk_stat(), error)
            raise
        self._unreadable = None
        if version < SCHEMA_VERSION:  # written by an older Kintsugi
            if self._before_write is not None:
                self._before_write(self.places, force=True)  # keep the file as it was first
            self.unsaved = True  # the next write or refresh saves the new format
        self._remember_sealed(source)
        if self._data is None:
            self._data, self._stat = disk, found
            self._canonical.seed(disk, source)  # a first save re-encodes only what changed
            self.generation += 1
            return
        self._merge_in(disk)
        self._stat = found

    def _remember_sealed(self, text: bytes) -> None:
        """Keep the sealed table's bytes as read or written: what a later take-in compares with."""
        spans = table_spans(text) if text else None
        self._sealed_seen = (text, *spans[SEALED_TABLE]) if spans and SEALED_TABLE in spans else None
        self._sealed_split = None

    def _sealed_records(self) -> tuple[list[bytes], list[bytes]] | None:
        if self._sealed_seen is None:
            return None
        if self._sealed_split is None:
            self._sealed_split = split_records(*self._sealed_seen)
        return self._sealed_split

    def _take_in_changes_only(self) -> bool:
        """Take in the file on disk parsing only the records whose bytes differ from ours.

        Both files are laid out as ``canonical_json`` lays them out, so each of
        the file's tables is compared with ours as bytes, and a table that
        differs record by record (``changed_records``); only the records that
        differ are parsed and merged. False when the file is not laid out so, or
        is of another format, couple or sealing: then it is read whole.
        """
        assert self._data is not None
        try:
            _, found, raw = _read(self.places.real)
        except StoreError:
            return False
        spans = table_spans(raw)
        if spans is None or META_TABLE not in spans:
            return False
        try:
            meta = json.loads(raw[slice(*spans[META_TABLE])])
            file_doc = meta[META_DOC]
            if file_doc["file_id"] != file_id_of(self._data):
                return False
            ours_sealing = sealing_of(self._data)
            if file_doc.get("sealing") != ours_sealing or (ours_sealing is None) != (
                SEALED_TABLE not in spans
            ):
                return False
            if file_doc["schema_version"] != (SEALED_FORMAT if ours_sealing else SCHEMA_VERSION):
                return False
            changed: Data = {}
            lacks = meta != self._data[META_TABLE] or any(
                name not in spans and table for name, table in self._data.items() if name != UNOPENED
            )
            for name, (start, end) in spans.items():
                if name == META_TABLE:
                    continue
                if name == SEALED_TABLE:
                    ours_records = self._sealed_records()
                    if ours_records is None:
                        return False
                else:
                    ours_records = self._canonical.ordered_records(name, self._data.get(name, {}))
                walked = changed_records(ours_records, raw, start, end)
                if walked is None:
                    return False
                chunks, missing = walked
                lacks = lacks or missing
                if chunks:
                    changed[name] = json.loads(b"{" + b",".join(chunks) + b"}")
            if ours_sealing is not None and SEALED_TABLE in changed:
                assert self.keyring is not None
                boxes = {
                    META_TABLE: meta,
                    KEY_KIND: self._data.get(KEY_KIND, {}),
                    SEALED_TABLE: changed.pop(SEALED_TABLE),
                }
                opened = self.keyring.open_data(boxes)
                changed.update(
                    (kind, table) for kind, table in opened.items() if kind not in (META_TABLE, KEY_KIND)
                )
        except (ValueError, KeyError, TypeError, AttributeError, Locked):
            return False
        self._merge_in({**changed, META_TABLE: meta}, whole=False)
        if ours_sealing is not None:
            self._remember_sealed(raw)
        if lacks:
            self.unsaved = True
        self._stat = found
        return True

    def _merge_in(self, theirs: Data, *, whole: bool = True) -> None:
        """Merge another copy of our file (the file on disk, a leftover, a swapped-out copy) into ours.

        ``whole=False``: ``theirs`` holds only the records that differ from ours
        (``_take_in_changes_only``), so whether it lacks something of ours is
        told by the records it holds.
        """
        assert self._data is not None
        if file_id_of(theirs) != file_id_of(self._data):
            raise StoreError(
                "file_other_couple",
                f"{self.path} now holds another couple's file; nothing was written to it.",
                path=self.path,
            )
        merged, report = merge_data(self._data, theirs)
        if merged != self._data:
            self._data = merged
            self.generation += 1
        if (whole and merged != theirs) or (
            not whole
            and any(
                merged[name][record_id] != raw
                for name, table in theirs.items()
                if name != META_TABLE
                for record_id, raw in table.items()
            )
        ):
            self.unsaved = True
        if report.anything and self._on_change is not None:
            self._on_change(report)

    # -- writing --------------------------------------------------------------------

    def _save(self) -> None:
        """Put what we hold in place of the file, merging whatever took its place since we read it."""
        assert self._data is not None
        real = self.places.real
        for _ in range(SAVE_ROUNDS):
            found = self._disk_stat()
            if found is not None and found != self._stat:
                self._take_in_disk()
            self._back_up_if_due()
            try:
                tmp, written = write_temp(real, self._canonical.chunks(self._on_disk()))
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
                if sealing_of(self._data) is not None:
                    body = self._written[SEALED_TABLE].canonical
                    self._sealed_seen, self._sealed_split = (body, 0, len(body)), None
                return
            if not intruder.swapped:
                tmp.unlink(missing_ok=True)  # the next round reads the file that came in and merges it
                continue
            before = self.generation
            self._take_in_swapped(intruder)
            self._stat = written  # ours stands in place; the next round exchanges it for the merge
            if self.generation == before:  # it held nothing we lacked: ours in place is the merge
                self.unsaved = False
                return
        raise StoreError(
            "file_busy",
            f"{self.path} kept being replaced while it was saved; "
            "your change is kept here but not saved yet.",
            path=self.path,
        )

    def _on_disk(self) -> Data:
        """What we hold, as it goes to disk: sealed if the file is."""
        assert self._data is not None
        if sealing_of(self._data) is None:
            return self._data
        if self.keyring is None:
            raise locked(self.path)
        try:
            self._written = self.keyring.seal_data(self._data)
        except Locked:
            raise locked(self.path) from None
        return self._written

    def _take_in_swapped(self, intruder: Intruder) -> None:
        """Merge the copy an exchange took out of place; if it cannot be read, put it back untouched."""
        try:
            self._merge_in(load_couple_file(intruder.path, keyring=self.keyring).data)
        except StoreError:
            swap_back(intruder, self.places.real)
            raise
        intruder.path.unlink(missing_ok=True)

    def _back_up_if_due(self) -> None:
        if self._before_write is not None and self._stat is not None and self._disk_stat() == self._stat:
            self._before_write(self.places)  # only a file we have read and understood

    def _not_saved(self, error: OSError) -> StoreError:
        if isinstance(error, PermissionError):
            return StoreError(
                "folder_readonly",
                f"{self.path.parent} cannot be written to; your change is kept here but not saved yet.",
                path=self.path.parent,
            )
        return StoreError(
            "disk_full" if error.errno == 28 else "not_saved_yet",
            f"{self.path} could not be saved ({error.strerror}); your change is kept here but not saved yet.",
            path=self.path,
            detail=error.strerror,
        )

    def _disk_stat(self) -> Identity | None:
        try:
            return identity(self.places.real.stat())
        except FileNotFoundError:
            return None
        except PermissionError:
            raise StoreError(
                "file_unreadable", f"{self.path} cannot be read (permission denied).", path=self.path
            ) from None

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            self.places.ensure_machine()
        except PermissionError:
            raise StoreError(
                "folder_readonly", f"{self.places.machine} cannot be written to.", path=self.places.machine
            ) from None
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
        raise StoreError(
            "file_busy",
            f"{path} is busy: another Kintsugi has held it for {LOCK_TIMEOUT_S:.0f} seconds.",
            path=path,
        ) from None
    try:
        yield
    finally:
        lock.__exit__()
