"""The last good versions of the couple's file, kept on this machine, and restoring from them.

Before the store writes, if the newest backup is more than an hour old, the
file as it stands (which the store has read and understood, so it is good)
is copied into this machine's folder for the file (``Places.backups``); the
newest ``KEEP`` copies are kept. Backups are numbered in the order they were
taken (``couple-000042-20261207-103000.json``): the number, never the time
in the name or the file's mtime, says which is newest, so a clock that was
wrong once can neither make an old backup look new nor stop backups for good.

A restore is a merge, not a replacement (``plan_restore``): every good
backup, every record of the damaged file that can still be read, and the
copies this machine still holds (conflict copies it merged, a save's
leftover temporary file) become one file by the same merge as any sync, so
the present is never thrown away for the past. The damaged file is set aside
first, whole.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from app.store.couple_file import Data, file_id_of, load_couple_file, merge_data, read_couple_text, records_of
from app.store.files import META_TABLE, atomic_write, canonical_json, ensure_folder
from app.store.keys import Keyring, Locked, sealing_of
from app.store.lock import MachineLock
from app.store.places import Places
from app.store.sealing import UNOPENED
from app.store.storage import StoreError, held

KEEP = 10
EVERY = dt.timedelta(hours=1)
_NUMBERED = re.compile(r"-(\d{6,})-\d{8}-\d{6}$")


def backups(places: Places) -> list[Path]:
    """Backups of that file, newest first (by the order they were taken)."""
    folder = places.backups
    if not folder.is_dir():
        return []
    real = places.real
    found = [p for p in folder.glob(f"{real.stem}-*{real.suffix}") if p.is_file()]
    return sorted(found, key=_order, reverse=True)


def _order(path: Path) -> tuple[int, str]:
    """Numbered backups by number; those of older Kintsugi (named by time alone) before them, by name."""
    match = _NUMBERED.search(path.stem)
    return (int(match[1]) if match else -1, path.name)


def back_up(places: Places, now: dt.datetime | None = None) -> Path:
    """Copy the file into the backups now and drop the oldest beyond KEEP."""
    now = now or dt.datetime.now()
    existing = backups(places)
    number = max((_order(p)[0] for p in existing), default=0) + 1
    real = places.real
    target = places.backups / f"{real.stem}-{number:06d}-{now:%Y%m%d-%H%M%S}{real.suffix}"
    ensure_folder(target.parent)
    atomic_write(target, real.read_bytes())
    for old in backups(places)[KEEP:]:
        old.unlink(missing_ok=True)
    return target


def taken_at(backup: Path) -> dt.datetime:
    return dt.datetime.fromtimestamp(backup.stat().st_mtime)


def back_up_if_due(places: Places, now: dt.datetime | None = None, *, force: bool = False) -> Path | None:
    """Back the file up if ``force``, if there is no backup, or if the newest is an hour old.

    A newest backup that seems to be from the future (the clock was ahead
    when it was taken, or is behind now) does not count as recent: one is
    taken now, and from then on the hour is counted from it.
    """
    now = now or dt.datetime.now()
    existing = backups(places)
    if not force and existing:
        age = now - taken_at(existing[0])
        if dt.timedelta(0) <= age < EVERY:
            return None
    return back_up(places, now)


def good_backups(places: Places, keyring: Keyring | None = None) -> list[tuple[Path, Data]]:
    """The backups that read as a couple's file (opened, if sealed), newest first."""
    found = []
    for candidate in backups(places):
        try:
            found.append((candidate, load_couple_file(candidate, settle=0, keyring=keyring).data))
        except StoreError:
            continue
    return found


def newest_good_backup(places: Places, keyring: Keyring | None = None) -> Path | None:
    good = good_backups(places, keyring)
    return good[0][0] if good else None


# -- a damaged file's records ---------------------------------------------------------------

_TABLE = re.compile(r' ("(?:[^"\\]|\\.)*"): \{')
_RECORD = re.compile(r'  ("(?:[^"\\]|\\.)*"): \{')
_RECORD_END = ("  }", "  },")


def salvage(text: str) -> tuple[Data, list[tuple[str, str | None]]]:
    """The records of a damaged file that still read, by table, and the (kind, id) of those that do not.

    Kintsugi writes one record a block of lines (canonical JSON, indent 1), so
    a file cut short or with a few bytes gone still gives up every block that
    is whole; ``_meta`` comes back the same way. An unreadable block's id is
    None when even its first line is damaged.
    """
    tables: Data = {}
    unreadable: list[tuple[str, str | None]] = []
    lines = text.split("\n")
    kind: str | None = None
    i = 0
    while i < len(lines):
        table = _TABLE.fullmatch(lines[i])
        if table:
            kind = _name(table[1])
            i += 1
            continue
        start = _RECORD.fullmatch(lines[i])
        if start is None or kind is None:
            i += 1
            continue
        j = i + 1
        while j < len(lines) and lines[j] not in _RECORD_END and not _RECORD.fullmatch(lines[j]):
            if _TABLE.fullmatch(lines[j]):
                break
            j += 1
        record_id = _name(start[1])
        try:
            if j >= len(lines) or lines[j] not in _RECORD_END or record_id is None:
                raise ValueError("cut short")
            value = json.loads("{" + "\n".join(lines[i + 1 : j]) + "}")
            if not isinstance(value, dict):
                raise ValueError("not an object")
        except ValueError:
            unreadable.append((kind, record_id))
            i = j if j > i + 1 else i + 1
            continue
        tables.setdefault(kind, {})[record_id] = value
        i = j + 1
    return tables, unreadable


def _name(quoted: str) -> str | None:
    try:
        name = json.loads(quoted)
    except ValueError:
        return None
    return name if isinstance(name, str) else None


# -- restoring ------------------------------------------------------------------------------


@dataclass
class RestorePlan:
    """What a restore would write, and what it says beforehand."""

    data: Data
    backups: list[Path] = field(default_factory=list)  # merged, newest first
    from_file: int = 0  # records of the damaged file that read and are carried over
    unreadable: list[tuple[str, str | None]] = field(default_factory=list)  # of the file: (kind, id)
    others: list[Path] = field(default_factory=list)  # other copies this machine held, merged too

    @property
    def lost(self) -> int:
        """Unreadable records of the file that no backup or copy holds: only the copy set aside keeps them."""
        return sum(1 for kind, rid in self.unreadable if rid is None or rid not in self.data.get(kind, {}))

    @property
    def recovered(self) -> int:
        """Unreadable records of the file put back from a backup or copy (as they were there)."""
        return len(self.unreadable) - self.lost

    @property
    def newest(self) -> Path | None:
        return self.backups[0] if self.backups else None


def plan_restore(places: Places, keyring: Keyring | None = None) -> RestorePlan:
    """Everything this machine has of the file, merged: the backups, what reads of the file, other copies.

    Raises a StoreError if there is nothing to restore from.
    """
    good = good_backups(places, keyring)
    current, unreadable = _readable_part(places.real, keyring)
    anchor = good[0][1] if good else current
    if anchor is None or META_TABLE not in anchor:
        raise StoreError("no_backup", path=places.file)
    file_id = file_id_of(anchor)
    plan = RestorePlan(data=anchor, unreadable=unreadable)
    for path, data in reversed(good):
        if file_id_of(data) == file_id:
            plan.data = merge_data(plan.data, data)[0]
            plan.backups.insert(0, path)
    if current is not None and _file_id(current) in (None, file_id):
        plan.from_file = sum(len(table) for table in records_of(current).values())
        plan.data = merge_data(plan.data, {**current, META_TABLE: plan.data[META_TABLE]})[0]
    for other in [*_copies(places.merged), *places.leftover_temps()]:
        try:
            data = load_couple_file(other, settle=0, keyring=keyring).data
        except StoreError:
            continue
        if file_id_of(data) == file_id:
            plan.data = merge_data(plan.data, data)[0]
            plan.others.append(other)
    return plan


def _readable_part(real: Path, keyring: Keyring | None) -> tuple[Data | None, list[tuple[str, str | None]]]:
    """What of the file reads (all of it, or the records ``salvage`` finds), and which records do not."""
    try:
        return load_couple_file(real, settle=0, keyring=keyring).data, []
    except StoreError:
        pass
    try:
        text = read_couple_text(real)[0]
    except StoreError:
        return None, []
    tables, unreadable = salvage(text)
    if sealing_of(tables) is not None and keyring is not None:
        try:
            tables = keyring.open_data(tables)
        except Locked:
            return None, unreadable
        unreadable += [(UNOPENED, sid) for sid in tables.pop(UNOPENED, {})]
    return (tables or None), unreadable


def _file_id(data: Data) -> str | None:
    try:
        return file_id_of(data)
    except (KeyError, TypeError):
        return None


def _copies(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*") if p.is_file()) if folder.is_dir() else []


def restore(
    places: Places, plan: RestorePlan, now: dt.datetime | None = None, keyring: Keyring | None = None
) -> Path | None:
    """Write the plan in place of the file; the file it replaces is set aside whole first.

    Returns where the replaced file was kept (``Places.damaged``), if there was one.
    """
    now = now or dt.datetime.now()
    real = places.real
    kept = None
    places.ensure_machine()
    with held(MachineLock(places.lock), real):
        if real.exists():
            kept = places.damaged / f"{real.stem}-{now:%Y%m%d-%H%M%S-%f}{real.suffix}"
            ensure_folder(kept.parent)
            atomic_write(kept, real.read_bytes())
        data = plan.data
        if sealing_of(data) is not None and keyring is not None:
            data = keyring.seal_data(data)
        atomic_write(real, canonical_json(data))
    return kept
