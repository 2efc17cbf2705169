"""What this machine's saves wrote lately, kept on this machine so a sync service cannot take it away.

A sync service renames the partner's copy in without our lock, after checking that the file did
not change since it looked (Syncthing does so). A save of ours that lands between that check and
the rename is replaced unseen: the exchange (``app.store.files.swap_in``) closes our own window,
not the service's, which is short but open for as long as a busy machine keeps the service
waiting. So every save also puts the records of ours it wrote in this file, in this machine's
folder for the couple's file, where they stay ``KEEP_S``; a read of the couple's file merges them
back in (``CoupleStorage``) and the next save writes what the file lacked. A record that lost its
place in the couple's file is back as soon as any Kintsugi on this machine reads it again.

Every save on this machine merges these records in first, so the file as a save left it holds
them all: a read finding the file just as this machine's last save left it (``saved``) has
nothing to take back, and parses none of them.

Not fsynced: it guards against a rename, not a power cut (the couple's file is fsynced). A file
that cannot be read is treated as empty: it only ever holds copies of what was saved.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Mapping
from typing import Any

from app.store.files import Identity, atomic_write, canonical_json
from app.store.places import Places

KEEP_S = 600.0
"""How long a save's records are kept: far longer than any service keeps a rename waiting."""

Records = dict[str, dict[str, Any]]  # table name -> record id -> record


def recent_writes(places: Places, file_id: str, found: Identity | None) -> Records:
    """The records this machine's saves of the file ``file_id`` wrote in the last ``KEEP_S``, unless
    the file ``found`` is just as the last of them left it."""
    kept = _read(places, file_id)
    if kept is None or (found is not None and list(found) == kept.get("saved")):
        return {}
    recalled: Records = {}
    for write in _recent(kept, time.time()):
        for name, records in write["records"].items():
            recalled.setdefault(name, {}).update(records)
    return recalled


def remember_writes(
    places: Places, file_id: str, records: Mapping[str, Mapping[str, Any]], saved: Identity
) -> None:
    """Keep ``records`` (what a save of ours just wrote, leaving the file ``saved``) with the saves
    of the last ``KEEP_S``; under the machine's lock."""
    kept = _read(places, file_id)
    now = time.time()
    writes = _recent(kept, now) if kept is not None else []
    if any(records.values()):
        writes.append({"at": now, "records": records})
    elif not writes:
        return
    text = canonical_json({"file_id": file_id, "saved": list(saved), "writes": writes}, compact=True)
    atomic_write(places.recent_writes, text, durable=False)


def _read(places: Places, file_id: str) -> dict[str, Any] | None:
    """What is kept for the file ``file_id``; not even read when its newest save is too old."""
    try:
        with places.recent_writes.open("rb") as kept_file:
            if abs(time.time() - os.fstat(kept_file.fileno()).st_mtime) >= KEEP_S:
                return None
            kept = json.loads(kept_file.read())
    except (OSError, ValueError):
        return None
    return kept if isinstance(kept, dict) and kept.get("file_id") == file_id else None


def _recent(kept: dict[str, Any], now: float) -> list[dict[str, Any]]:
    """The saves kept, within ``KEEP_S`` of now either way (a clock put right drops what was kept
    while it was ahead)."""
    recent = []
    with contextlib.suppress(TypeError, KeyError, AttributeError, ValueError):
        for write in kept["writes"]:
            if abs(now - float(write["at"])) < KEEP_S and isinstance(write["records"], dict):
                recent.append(write)
    return recent
