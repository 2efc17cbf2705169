"""Writing files so that a crash or a full disk never leaves a half-written one.

Every file Kintsugi writes goes through ``atomic_write``: a temporary file in
the same folder, created 0600, written, fsynced, renamed over the old one with
``os.replace``, and the folder fsynced, so a reader (or the partner's sync
service) sees either the whole old file or the whole new one.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def ensure_folder(folder: Path) -> None:
    """Create ``folder`` (and its parents) 0700 if it does not exist yet.

    A folder that already exists (a Dropbox or Syncthing folder, say) is left
    with the permissions its owner gave it.
    """
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        folder = folder.parent
    for new in reversed(missing):  # every folder we create is 0700, not just the last
        new.mkdir(mode=FOLDER_MODE, exist_ok=True)


def canonical_json(data: Any) -> str:
    """The one way Kintsugi writes JSON: two copies holding the same data are byte-identical."""
    # ensure_ascii: a lone surrogate from a damaged copy still writes as valid JSON.
    return json.dumps(data, sort_keys=True, indent=1, ensure_ascii=True) + "\n"


def atomic_write(path: Path, content: str | bytes) -> os.stat_result:
    """Replace ``path`` with ``content`` atomically and durably; returns the new file's stat."""
    ensure_folder(path.parent)
    data = content.encode("utf-8") if isinstance(content, str) else content
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), FILE_MODE)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_folder(path.parent)
    return path.stat()


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
