"""The last good versions of the couple's file, kept beside it.

Before the store writes, if the newest backup is more than an hour old, the
file as it stands (which the store has read and understood, so it is good)
is copied into ``.kintsugi/backups/``; the newest ``KEEP`` copies are kept.
``kintsugi check --restore`` puts the newest good one back.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.store.files import atomic_write, ensure_folder
from app.store.storage import StoreError, parse_couple_file, work_folder

KEEP = 10
EVERY = dt.timedelta(hours=1)


def backup_folder(path: Path) -> Path:
    return work_folder(path) / "backups"


def backups(path: Path) -> list[Path]:
    """Backups of that file, newest first."""
    folder = backup_folder(path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{path.stem}-*{path.suffix}"), reverse=True)


def back_up(path: Path, now: dt.datetime | None = None) -> Path:
    """Copy the file into the backups now and drop the oldest beyond KEEP."""
    now = now or dt.datetime.now()
    target = backup_folder(path) / f"{path.stem}-{now:%Y%m%d-%H%M%S-%f}{path.suffix}"
    ensure_folder(target.parent)
    atomic_write(target, path.read_bytes())
    for old in backups(path)[KEEP:]:
        old.unlink(missing_ok=True)
    return target


def back_up_if_due(path: Path, now: dt.datetime | None = None, *, force: bool = False) -> Path | None:
    """Back the file up if ``force`` or the newest backup is older than EVERY (or there is none)."""
    now = now or dt.datetime.now()
    existing = backups(path)
    if not force and existing and now - dt.datetime.fromtimestamp(existing[0].stat().st_mtime) < EVERY:
        return None
    return back_up(path, now)


def newest_good_backup(path: Path) -> Path | None:
    """The newest backup that parses as a couple's file, if any."""
    for candidate in backups(path):
        try:
            parse_couple_file(candidate.read_text(encoding="utf-8"), candidate)
        except (StoreError, OSError, UnicodeDecodeError):
            continue
        return candidate
    return None


def restore(path: Path, backup: Path) -> Path | None:
    """Put ``backup`` back in place of ``path``; the file it replaces is kept aside.

    Returns where the replaced file was kept (in ``.kintsugi/damaged/``), if there was one.
    """
    text = backup.read_text(encoding="utf-8")
    parse_couple_file(text, backup)
    kept = None
    if path.exists():
        kept = (
            work_folder(path) / "damaged" / f"{path.stem}-{dt.datetime.now():%Y%m%d-%H%M%S-%f}{path.suffix}"
        )
        ensure_folder(kept.parent)
        atomic_write(kept, path.read_bytes())
    atomic_write(path, text)
    return kept
