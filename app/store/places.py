"""Where everything about one couple's file lives.

- **The file** (``real``): a symlink is followed, so a save goes to its target
  in the synced folder (replacing the link would leave the partner's changes
  unseen and ours unsent).
- **Temporary files** (``.~couple.json.<pid>.tmp``), beside the file for an
  instant: a rename is atomic only within one folder. One left by a process
  that was killed (or one a save swapped out) is merged in and removed the
  next time the file is opened (``leftover_temps``). They are the one thing a
  sync service should be told to ignore (``ignore_pattern``).
- **This machine's folder for the file** (``machine``), in this machine's
  state folder beside its local file, never in the synced folder: the lock
  every Kintsugi on this machine takes before writing, the backups, the
  conflict copies already merged and damaged files set aside. A lock means
  nothing on another machine, and backups in a synced folder would carry full
  copies to the cloud and be rotated by two machines at once.

Kintsugi before this layout kept those in ``.kintsugi/`` beside the file;
``adopt_legacy`` moves what it finds there into the machine's folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_path, user_state_path

from app.store.files import ensure_folder

APP_NAME = "kintsugi"
LEGACY_FOLDER = ".kintsugi"
STALE_TEMP_S = 600.0  # a temporary file this old is left over, whoever's pid it names
_KEPT = ("backups", "merged", "damaged")


@dataclass(frozen=True)
class Places:
    """The places of one couple's file (see the module docstring)."""

    file: Path  # as the couple gave it: what sentences show
    machine_root: Path  # this machine's state folder for couples' files

    @property
    def real(self) -> Path:
        """The file itself: symlinks followed (looked up each time: a link can be changed)."""
        return Path(os.path.realpath(self.file))

    @property
    def machine(self) -> Path:
        real = self.real
        digest = hashlib.sha256(os.fsencode(real)).hexdigest()[:12]
        return self.machine_root / f"{_slug(real.stem)}-{digest}"

    @property
    def lock(self) -> Path:
        return self.machine / "lock"

    @property
    def backups(self) -> Path:
        return self.machine / "backups"

    @property
    def merged(self) -> Path:
        return self.machine / "merged"

    @property
    def damaged(self) -> Path:
        return self.machine / "damaged"

    @property
    def opened_copy(self) -> Path:
        """This machine's readable copy of a sealed file as it last opened it (``app.store.keys``)."""
        return self.machine / "opened.json"

    @property
    def recent_writes(self) -> Path:
        """What this machine's saves wrote lately (``app.store.written``)."""
        return self.machine / "written.json"

    @property
    def ignore_pattern(self) -> str:
        """What a sync service may ignore beside the file: Kintsugi's temporary files."""
        return f".~{self.real.name}.*.tmp"

    def ensure_machine(self) -> Path:
        ensure_folder(self.machine)
        return self.machine

    def leftover_temps(self) -> list[Path]:
        """Temporary files of this file no save is writing now (their process is gone, or long ago).

        Older Kintsugi named them ``.couple.json.<pid>.tmp``; both forms are found.
        """
        real = self.real
        pattern = re.compile(rf"\.~?{re.escape(real.name)}\.(\d+)\.tmp")
        found = []
        with contextlib.suppress(OSError):
            for entry in os.scandir(real.parent):
                match = pattern.fullmatch(entry.name)
                if match is None or int(match[1]) == os.getpid():
                    continue
                with contextlib.suppress(OSError):
                    age = time.time() - entry.stat().st_mtime
                    if not _running(int(match[1])) or age > STALE_TEMP_S:
                        found.append(Path(entry.path))
        return sorted(found)

    def adopt_legacy(self) -> None:
        """Move backups, merged and damaged copies from ``.kintsugi/`` beside the file to this machine."""
        legacy = self.real.parent / LEGACY_FOLDER
        if not legacy.is_dir():
            return
        for name in _KEPT:
            old = legacy / name
            if not old.is_dir():
                continue
            target = ensure_folder_path(self.machine / name)
            for item in sorted(old.iterdir()):
                destination = target / item.name
                if not destination.exists():
                    with contextlib.suppress(OSError):
                        shutil.move(str(item), destination)
            with contextlib.suppress(OSError):
                old.rmdir()
        with contextlib.suppress(OSError):
            (legacy / f"{self.real.name}.lock").unlink()
        with contextlib.suppress(OSError):
            legacy.rmdir()


def user_path(text: str) -> Path:
    """A path as the user typed it, ``~`` expanded when it can be (``~nobody`` stays as typed)."""
    try:
        return Path(text).expanduser()
    except RuntimeError:
        return Path(text)


def default_couple_path() -> Path:
    """``KINTSUGI_DB`` if set, else couple.json in the user data folder."""
    env = os.environ.get("KINTSUGI_DB")
    return user_path(env) if env else user_data_path(APP_NAME, appauthor=False) / "couple.json"


def default_local_path() -> Path:
    """This machine's own file: ``KINTSUGI_LOCAL`` if set, else local.json in the user state folder."""
    env = os.environ.get("KINTSUGI_LOCAL")
    return user_path(env) if env else user_state_path(APP_NAME, appauthor=False) / "local.json"


def machine_root(local_path: Path) -> Path:
    """This machine's folders for couples' files: ``files/`` beside its local file."""
    return local_path.parent / "files"


def default_machine_root() -> Path:
    return machine_root(default_local_path())


def ensure_folder_path(folder: Path) -> Path:
    ensure_folder(folder)
    return folder


def _slug(stem: str) -> str:
    return re.sub(r"[^0-9A-Za-z_-]+", "-", stem)[:40] or "file"


def _running(pid: int) -> bool:
    """True if a process with that pid runs on this machine (it may be ours, saving now)."""
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:  # someone else's process
        return True
    return True
