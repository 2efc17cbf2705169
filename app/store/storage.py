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
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from tinydb import Storage
from tinydb.table import Table

from app.domain.merge import MergeReport, merge_changes, merge_meta
from app.domain.models import SCHEMA_VERSION
from app.domain.records import newest_valid_stamp
from app.store.errors import StoreError
from app.store.files import (
    Identity,
    Intruder,
    canonical_chunks,
    changed_records,
    encode_entry,
    encoded_table,
    fsync_folder,
    identity,
    swap_back,
    swap_in,
    table_spans,
    write_temp,
)
from app.store.keys import Keyring, Locked, sealing_of
from app.store.lazy import LazyTable
from app.store.lock import LOCK_TIMEOUT_S, LockBusy, MachineLock
from app.store.migrations import migrate, version_of
from app.store.places import Places, default_machine_root
from app.store.sealing import KEY_KIND, SCHEME, SCHEMES, SEALED_FORMAT, SEALED_TABLE, UNOPENED
from app.store.written import recent_writes, remember_writes

META_TABLE = "_meta"
META_DOC = "file"
SETTLE_S = 1.0  # how long a missing, empty or half-written file is given to arrive
SAVE_ROUNDS = 20  # copies renamed in during one save, merged one after another, before giving up
_ARRIVING = frozenset({"file_missing", "file_empty", "file_not_json"})

Data = dict[str, Mapping[str, Any]]  # table name -> record id -> record (a table: a dict or a LazyTable)


class RecordTable(Table):
    """A TinyDB table keyed by UUID strings: ids made on two machines never collide."""

    document_id_class = str

    def _get_next_id(self) -> str:  # TinyDB's default is max(id) + 1
        raise TypeError("records are stored with an explicit UUID: use upsert(Document(..., doc_id=uuid))")


def parse_couple_file(text: str, path: Path) -> Data:
    """The file's tables, or a StoreError saying in one sentence what is wrong."""
    if not text.strip():
        raise StoreError("file_empty", path=path)
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        if isinstance(error, json.JSONDecodeError):
            raise StoreError("file_not_json", case="line", path=path, line=error.lineno) from None
        raise StoreError("file_not_json", case="deep", path=path) from None
    if not isinstance(data, dict) or not all(
        isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
        for table in data.values()
    ):
        raise StoreError("file_wrong_shape", case="not_ours", path=path)
    _check_meta(data, path)
    return data


def open_lazily(raw: bytes, path: Path, keyring: Keyring | None = None) -> Data | None:
    """A file of this format, laid out canonically, as ``LazyTable``s: nothing parsed but
    ``_meta``, each table split into its records when first read. A sealed one with
    ``keyring``: its plain tables so, and its records as the keyring opens them
    (``Keyring.open_file``; Locked if it holds no key to). None for any other file (older, laid
    out otherwise, sealed without a keyring): it is parsed whole."""
    spans = table_spans(raw)
    if spans is None or META_TABLE not in spans:
        return None
    try:
        meta = json.loads(raw[slice(*spans[META_TABLE])])
    except (ValueError, RecursionError):
        return None
    if not isinstance(meta, dict) or not all(isinstance(doc, dict) for doc in meta.values()):
        return None
    data: Data = {META_TABLE: meta}
    _check_meta(data, path)
    sealed = sealing_of(data) is not None
    if (sealed and (keyring is None or version_of(data) != SEALED_FORMAT)) or (
        not sealed and version_of(data) != SCHEMA_VERSION
    ):
        return None
    for name, (start, end) in spans.items():
        if name != META_TABLE and not (sealed and name == SEALED_TABLE):
            data[name] = LazyTable.over_body(raw, start, end, path)  # split when first read
    if sealed:
        assert keyring is not None
        return keyring.open_file(raw, spans, data, path)
    return data


def _check_meta(data: Data, path: Path) -> None:
    meta = data.get(META_TABLE, {}).get(META_DOC)
    if not isinstance(meta, dict) or not isinstance(meta.get("file_id"), str):
        raise StoreError("file_wrong_shape", case="not_ours", path=path)
    version = meta.get("schema_version")
    if not isinstance(version, int) or version < 1:
        raise StoreError("file_wrong_shape", case="no_version", path=path)
    sealing = meta.get("sealing")
    if sealing is not None:  # format 2: format 1 with its records sealed (app/store/sealing.py)
        if version > SEALED_FORMAT or not isinstance(sealing, dict) or sealing.get("scheme") not in SCHEMES:
            raise StoreError("file_from_future", case="sealed", path=path, version=version)
    elif version > SCHEMA_VERSION:
        raise StoreError("file_from_future", case="format", path=path, version=version)


def sealed_as_now(meta: Mapping[str, Any]) -> dict[str, Any]:
    """The ``_meta`` of a file sealed by an older Kintsugi (scheme /1), as this one writes it: the
    scheme it seals with named, so that an older Kintsugi, which cannot open a deflated box, is
    told to update rather than take the file for one it reads."""
    file_doc = dict(meta[META_DOC])
    file_doc["sealing"] = {**file_doc["sealing"], "scheme": SCHEME}
    return {**meta, META_DOC: file_doc}


def file_id_of(data: Data) -> str:
    return data[META_TABLE][META_DOC]["file_id"]


def records_of(data: Data) -> dict[str, dict[str, Any]]:
    return {name: table for name, table in data.items() if name != META_TABLE}


def merge_data(ours: Data, theirs: Data, held: Data | None = None) -> tuple[Data, MergeReport]:
    """Two copies of one couple's file (same file id, same format) as one: records and ``_meta``.

    The tables nothing came into are ``ours`` as they are; one a record came into is a new table
    (a ``LazyTable`` stays one, holding its bytes and the records put in). ``held``: for a table
    of ``theirs``, ours of every record it holds (those we hold), already at hand: the merge reads
    those instead of ours' table, which is not looked into (a byte-wise take-in).
    """
    reading = records_of(ours) if not held else {**records_of(ours), **held}
    changes, report = merge_changes(reading, records_of(theirs))
    merged = dict(ours)
    for kind, records in records_of(theirs).items():
        if kind in changes:
            merged[kind] = with_records(ours.get(kind), changes[kind])
        elif kind not in merged and isinstance(records, Mapping):
            merged[kind] = {}
    merged[META_TABLE] = merge_meta(ours[META_TABLE], theirs[META_TABLE])
    return merged, report


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


def _newer_than_held(held: Mapping[str, Any] | None, records: Mapping[str, Any]) -> dict[str, Any]:
    """The ``records`` that ``held`` lacks, or holds only as they were before (by their stamps)."""
    held = held or {}
    return {
        record_id: record
        for record_id, record in records.items()
        if record_id not in held
        or (newest_valid_stamp(record) or "") > (newest_valid_stamp(held[record_id]) or "")
    }


def _newest_in(table: Mapping[str, Any]) -> str | None:
    if isinstance(table, LazyTable):
        return table.newest_stamp()
    return max(filter(None, map(newest_valid_stamp, table.values())), default=None)


def _body_of(table: Mapping[str, Any]) -> tuple[bytes, int, int]:
    """A table's body as written, for ``changed_records`` (a dict one is encoded for it)."""
    if isinstance(table, LazyTable):
        return table.body()
    body = encoded_table([encode_entry(record_id, table[record_id]) for record_id in sorted(table)])
    return body, 0, len(body)


def with_records(table: Mapping[str, Any] | None, put: Mapping[str, Any]) -> Mapping[str, Any]:
    """``table`` with the records ``put`` in it: a new table, whatever kind ``table`` is."""
    if isinstance(table, LazyTable):
        return table.with_records(put)
    return {**(table or {}), **put}


def read_couple_text(path: Path) -> tuple[str, Identity]:
    """The file's text and the identity of the very file it was read from."""
    found, raw = _read(path)
    return _text_of(raw, path), found


def _read(path: Path) -> tuple[Identity, bytes]:
    """The file's bytes and the identity of the very file they were read from."""
    try:
        with path.open("rb") as handle:
            found = identity(os.fstat(handle.fileno()))
            return found, handle.read()
    except PermissionError:
        raise StoreError("file_unreadable", case="denied", path=path) from None
    except FileNotFoundError:
        raise StoreError("file_missing", case="gone", path=path) from None
    except IsADirectoryError:
        raise StoreError("file_unreadable", case="folder", path=path) from None
    except OSError as error:
        raise StoreError("file_unreadable", case="other", path=path, why=error.strerror) from None


def _text_of(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise StoreError("file_not_json", case="not_text", path=path) from None


class Loaded(NamedTuple):
    data: Data  # brought to the current format
    identity: Identity  # of the very file it was read from
    version: int  # the format it was written in
    raw: bytes  # the file's bytes


def load_couple_file(
    path: Path, settle: float | None = None, keyring: Keyring | None = None, *, lazily: bool = False
) -> Loaded:
    """A couple's file read, opened (if it is sealed) and brought to the current format.

    ``lazily``: a plain file of this format is not parsed whole (``open_lazily``); the storage
    opens the couple's file so. A backup, a copy or a leftover is read whole. A file
    that is missing, empty or not JSON is given ``settle`` seconds
    (``SETTLE_S``) to become whole: a sync service may be swapping it in. A
    sealed file needs ``keyring``, holding a key that opens it.
    """
    deadline = time.monotonic() + (SETTLE_S if settle is None else settle)
    while True:
        try:
            found, raw = _read(path)
            try:
                data = open_lazily(raw, path, keyring) if lazily else None
            except Locked:
                raise locked(path) from None
            if data is not None:
                return Loaded(data, found, version_of(data), raw)
            data = parse_couple_file(_text_of(raw, path), path)
            break
        except StoreError as error:
            if error.reason not in _ARRIVING or time.monotonic() >= deadline:
                raise
        time.sleep(0.05)
    if sealing_of(data) is None:
        return Loaded(migrate(data), found, version_of(data), raw)
    if keyring is None:
        raise locked(path)
    try:
        return Loaded(keyring.open_data(data), found, version_of(data), raw)
    except Locked:
        raise locked(path) from None


def locked(path: Path) -> StoreError:
    return StoreError("file_locked", path=path)


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
            disk, found, version, raw = load_couple_file(self.places.real, keyring=self.keyring, lazily=True)
        except StoreError as error:
            self._unreadable = (self._disk_stat(), error)
            raise
        self._unreadable = None
        sealing = sealing_of(disk)
        older_sealing = sealing is not None and sealing.get("scheme") != SCHEME
        if version < SCHEMA_VERSION or older_sealing:  # written by an older Kintsugi
            if self._before_write is not None:
                self._before_write(self.places, force=True)  # keep the file as it was first
            self.unsaved = True  # the next write or refresh saves the new format
        if older_sealing:  # its boxes open as they are; the records sealed from now on are deflated
            disk = {**disk, META_TABLE: sealed_as_now(disk[META_TABLE])}
        self._remember_boxes(raw)
        if self._data is None:
            self._data, self._stat = disk, found
            # A sealed file's records read from this machine's readable copy are not checked: they
            # are never written (their boxes are), and one that does not read is opened from its box.
            self._unchecked = [t for t in disk.values() if isinstance(t, LazyTable) and not t.mends]
            self.generation += 1
        else:
            self._merge_in(disk)
            self._stat = found
        self._recall_writes(found)

    def _recall_writes(self, found: Identity) -> None:
        """Merge in what this machine's saves wrote lately (``app.store.written``): a save a sync
        service replaced unseen is held again, and written back by the next save. A record of the
        file that cannot be read is left to be found where it is read (nothing is written over it)."""
        assert self._data is not None
        if UNOPENED in self._data:
            return
        try:
            lacking = {
                name: missed
                for name, records in recent_writes(self.places, file_id_of(self._data), found).items()
                if (missed := _newer_than_held(self._data.get(name), records))
            }
            if not lacking:
                return
            merged, _ = merge_data(self._data, {**lacking, META_TABLE: self._data[META_TABLE]})
        except StoreError:
            return
        if any(merged[name] is not self._data.get(name) for name in merged if name != META_TABLE):
            self._data = {**merged, META_TABLE: self._data[META_TABLE]}
            self.generation += 1
            self.unsaved = True

    def _remember_boxes(self, raw: bytes) -> None:
        """Keep a sealed file's bytes as read: what a later take-in compares with. Split into boxes
        only when one does (``_held_boxes``): every opening of a plain file would pay for it
        otherwise. The keyring's split, made when it opened them (``Keyring.open_file``), and that
        of a save (``_hold_as_written``) are kept as they are."""
        split = self.keyring.opened_boxes if self.keyring is not None else None
        if split is not None and split.is_over(raw):
            self._boxes, self._boxes_in = split, None
        else:
            self._boxes, self._boxes_in = None, (raw or None)

    def _held_boxes(self) -> LazyTable | None:
        if self._boxes is None and self._boxes_in is not None:
            raw, self._boxes_in = self._boxes_in, None
            spans = table_spans(raw)
            span = spans.get(SEALED_TABLE) if spans else None
            self._boxes = LazyTable.from_body(raw, *span, self.path) if span else None
        return self._boxes

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
            found, raw = _read(self.places.real)
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
            held: dict[str, dict[str, Any]] = {}  # ours of the records that differ, by table
            # The tables the file holds in the clear: a sealed file's others are in its boxes,
            # and a box of ours it lacks is told by the walk below (``missing``).
            in_the_clear = (KEY_KIND,) if ours_sealing is not None else tuple(self._data)
            lacks = meta != self._data[META_TABLE] or any(
                name not in spans and self._data.get(name) for name in in_the_clear if name != UNOPENED
            )
            for name, (start, end) in spans.items():
                if name == META_TABLE:
                    continue
                ours = self._held_boxes() if name == SEALED_TABLE else self._data.get(name, {})
                if ours is None:
                    return False
                body = ours.canonical() if isinstance(ours, LazyTable) else None
                if body is not None and end - start == len(body) and raw.startswith(body, start):
                    continue  # the very bytes we hold: nothing to parse
                walked = changed_records(_body_of(ours), raw, start, end)
                if walked is None:
                    return False
                chunks, mine, missing = walked
                lacks = lacks or missing
                if chunks:
                    changed[name] = json.loads(b"{" + b",".join(chunks) + b"}")
                    if name != SEALED_TABLE:
                        with contextlib.suppress(ValueError, RecursionError):  # else read from ours
                            held[name] = json.loads(b"{" + b",".join(mine) + b"}")
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
        self._merge_in({**changed, META_TABLE: meta}, whole=False, held=held)
        if ours_sealing is not None:
            self._remember_boxes(raw)
        if lacks:
            self.unsaved = True
        self._stat = found
        self._recall_writes(found)
        return True

    def _merge_in(self, theirs: Data, *, whole: bool = True, held: Data | None = None) -> None:
        """Merge another copy of our file (the file on disk, a leftover, a swapped-out copy) into ours.

        ``whole=False``: ``theirs`` holds only the records that differ from ours
        (``_take_in_changes_only``), so whether it lacks something of ours is
        told by the records it holds; ``held``: ours of those, by table, where
        the walk found them (see ``merge_data``).
        """
        assert self._data is not None
        if file_id_of(theirs) != file_id_of(self._data):
            raise StoreError("file_other_couple", case="saving", path=self.path)
        merged, report = merge_data(self._data, theirs, held)
        if merged[META_TABLE] == self._data[META_TABLE]:
            merged[META_TABLE] = self._data[META_TABLE]
        if any(merged[name] is not self._data.get(name) for name in merged):  # a new table: it changed
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

    def _remember_ours(self) -> None:
        """Keep on this machine what the save just made wrote of ours (``app.store.written``)."""
        assert self._data is not None and self._stat is not None
        with contextlib.suppress(OSError):  # the couple's file is saved: this only guards it
            remember_writes(self.places, file_id_of(self._data), self._ours, self._stat)
        self._ours = {}

    def _on_disk(self) -> Data:
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

    def _hold_as_written(self, disk: Data, bodies: dict[str, bytes | memoryview]) -> None:
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
            return StoreError("folder_readonly", case="saving", path=self.path.parent)
        return StoreError(
            "disk_full" if error.errno == 28 else "not_saved_yet", path=self.path, why=error.strerror
        )

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
