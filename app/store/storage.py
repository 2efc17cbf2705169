"""A TinyDB storage that is safe to keep in a synced folder.

TinyDB's own JSONStorage truncates the file and writes it in place: a crash
in between leaves half a file, and a sync service may upload it. This one:

- re-reads the file only when its stat (inode, size, mtime) changed, and
  otherwise serves what it holds in memory;
- on every write takes a lock, re-reads the file if someone else changed it
  (the partner's sync service may have replaced it a moment ago), merges
  that copy with ours (``app.domain.merge``), and writes the result
  atomically (``app.store.files``), canonically, 0600;
- never writes over a file it could not understand.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from tinydb import Storage
from tinydb.table import Table

from app.domain.merge import MergeReport, merge_replicas
from app.domain.models import SCHEMA_VERSION
from app.domain.text import printable
from app.store.files import FILE_MODE, CanonicalFile, atomic_write, ensure_folder
from app.store.migrations import migrate, version_of

META_TABLE = "_meta"
META_DOC = "file"
LOCK_TIMEOUT_S = 10.0
WORK_FOLDER = ".kintsugi"

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


def work_folder(path: Path) -> Path:
    """Where Kintsugi keeps its lock, backups and merged copies, beside the file."""
    return path.parent / WORK_FOLDER


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
    if version > SCHEMA_VERSION:
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


class CoupleStorage(Storage):
    """TinyDB storage for the couple's file (see the module docstring)."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        on_change: Callable[[MergeReport], None] | None = None,
        before_write: Callable[..., object] | None = None,
    ):
        self.path = Path(path)
        self._before_write = before_write  # e.g. keep a backup of the good file about to be replaced
        self._data: Data | None = None
        self._stat: tuple[int, int, int] | None = None
        self._on_change = on_change
        self.unsaved = False  # True after a write failed: our change is held in memory only
        self.generation = 0  # bumped whenever the data held in memory changes
        self._canonical = CanonicalFile()
        self._lock = FileLock(
            work_folder(self.path) / f"{self.path.name}.lock",
            mode=FILE_MODE,
            thread_local=False,
            timeout=LOCK_TIMEOUT_S,
        )

    # -- TinyDB's Storage interface -------------------------------------------------

    def read(self) -> Data | None:
        stat = self._disk_stat()
        if stat is not None and stat != self._stat:
            disk = self._load()
            if version_of(disk) < SCHEMA_VERSION:  # written by an older Kintsugi
                if self._before_write is not None:
                    self._before_write(self.path, force=True)  # keep the file as it was first
                disk = migrate(disk)
                self.unsaved = True  # the next write or refresh saves the new format
            self._take_in(disk, stat)
        return self._data

    def write(self, data: Data) -> None:
        self._data = data
        self.generation += 1
        self.unsaved = True
        with self._locked():
            stat = self._disk_stat()
            if stat is not None and stat != self._stat:
                self._take_in(self._load(), stat)
            self._save()

    def close(self) -> None:
        pass

    # -- ours -----------------------------------------------------------------------

    def create(self, data: Data) -> None:
        """Write a brand-new file; refuses to replace one that exists."""
        with self._locked():
            if self.path.exists() and self.path.stat().st_size > 0:
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
        if self.unsaved:
            with self._locked():
                self.read()
                self._save()
        else:
            self.read()
        return self.generation != before

    def _take_in(self, disk: Data, stat: tuple[int, int, int]) -> None:
        """Merge the copy on disk into what we hold in memory."""
        if self._data is None:
            self._data, self._stat = disk, stat
            self.generation += 1
            return
        if file_id_of(disk) != file_id_of(self._data):
            raise StoreError(
                "file_other_couple",
                f"{self.path} now holds another couple's file; nothing was written to it.",
                path=self.path,
            )
        merged_records, report = merge_replicas(records_of(self._data), records_of(disk))
        merged: Data = {**merged_records, META_TABLE: self._data[META_TABLE]}
        if merged != self._data:
            self._data = merged
            self.generation += 1
        self._stat = stat
        if merged != disk:
            self.unsaved = True
        if report.anything and self._on_change is not None:
            self._on_change(report)

    def _load(self) -> Data:
        try:
            text = self.path.read_text(encoding="utf-8")
        except PermissionError:
            raise StoreError(
                "file_unreadable", f"{self.path} cannot be read (permission denied).", path=self.path
            ) from None
        except UnicodeDecodeError:
            raise StoreError(
                "file_not_json",
                f"{self.path} is not valid JSON (not UTF-8 text).",
                path=self.path,
                detail="not UTF-8",
            ) from None
        except FileNotFoundError:
            raise StoreError("file_missing", f"{self.path} does not exist.", path=self.path) from None
        except OSError as error:
            raise StoreError(
                "file_unreadable",
                f"{self.path} cannot be read ({error.strerror}).",
                path=self.path,
                detail=error.strerror,
            ) from None
        return parse_couple_file(text, self.path)

    def _save(self) -> None:
        assert self._data is not None
        try:
            if self._before_write is not None and self._stat is not None and self._disk_stat() == self._stat:
                self._before_write(self.path)  # only a file we have read and understood
            stat = atomic_write(self.path, self._canonical.chunks(self._data))
        except PermissionError:
            raise StoreError(
                "folder_readonly",
                f"{self.path.parent} cannot be written to; your change is kept here but not saved yet.",
                path=self.path.parent,
            ) from None
        except OSError as error:
            raise StoreError(
                "disk_full" if error.errno == 28 else "not_saved_yet",
                f"{self.path} could not be saved ({error.strerror}); your change is kept "
                "here but not saved yet.",
                path=self.path,
                detail=error.strerror,
            ) from None
        self._stat = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
        self.unsaved = False

    def _disk_stat(self) -> tuple[int, int, int] | None:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        except PermissionError:
            raise StoreError(
                "file_unreadable", f"{self.path} cannot be read (permission denied).", path=self.path
            ) from None
        return (stat.st_ino, stat.st_size, stat.st_mtime_ns)

    def _locked(self) -> FileLock:
        try:
            ensure_folder(work_folder(self.path))
        except PermissionError:
            raise StoreError(
                "folder_readonly", f"{self.path.parent} cannot be written to.", path=self.path.parent
            ) from None
        return _LockGuard(self._lock, self.path)  # type: ignore[return-value]


class _LockGuard:
    """The file lock, turning a timeout into a sentence for the couple."""

    def __init__(self, lock: FileLock, path: Path) -> None:
        self._lock, self._path = lock, path

    def __enter__(self) -> None:
        try:
            self._lock.acquire()
        except Timeout:
            raise StoreError(
                "file_busy",
                f"{self._path} is busy: another Kintsugi has held it for {LOCK_TIMEOUT_S:.0f} seconds.",
                path=self._path,
            ) from None

    def __exit__(self, *exc: object) -> None:
        self._lock.release()
