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
WRITE_BUFFER = 1 << 20  # a big file goes out in a few large writes, not thousands of 8 KiB ones
CHECK_ENV = "KINTSUGI_CHECK_CANONICAL"  # set (the tests do): every CanonicalFile output is checked
_encode_key = json.encoder.encode_basestring_ascii  # what json.dumps(ensure_ascii=True) does to keys
_NOT_CACHED = object()
_ENVELOPE = ("fields", "stamps", "history", "author", "created")  # a record's keys (app.domain.records)


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


class CanonicalFile:
    """``canonical_json`` of the couple's file as chunks of bytes, re-encoding only what changed.

    With an indent, Python encodes JSON in pure Python (~20 µs a record), yet a
    write changes one record. So this keeps, from the last call, each table's
    bytes and each record's, and reuses them while the objects are the same
    ones: a table dict is replaced, never changed in place, when TinyDB or the
    merge changes it, and a record's ``fields``, ``stamps`` and ``history`` are
    new dicts whenever the record changes (``app.domain.records``, the merge,
    TinyDB's ``update``). Code that changed one of them in place would write
    stale bytes: with ``KINTSUGI_CHECK_CANONICAL`` set (the tests set it), every
    output is compared with ``canonical_json`` and a difference raises.
    """

    def __init__(self) -> None:
        self._tables: dict[str, tuple[dict[str, Any], int, bytes]] = {}
        self._records: dict[str, dict[str, tuple[Any, ...]]] = {}

    def chunks(self, data: Any) -> list[bytes]:
        """The bytes of ``canonical_json(data)``, in order, in a few chunks (one a table)."""
        if not (type(data) is dict and all(type(k) is str and type(t) is dict for k, t in data.items())):
            return [canonical_json(data).encode("ascii")]
        out = [b"{\n"]
        for name in sorted(data):
            out.append(f" {_encode_key(name)}: ".encode("ascii"))
            out.append(self._table(name, data[name]))
            out.append(b",\n")
        out[-1] = b"\n}\n" if data else b"{}\n"
        if os.environ.get(CHECK_ENV) and b"".join(out) != canonical_json(data).encode("ascii"):
            raise AssertionError("CanonicalFile differs from canonical_json: was a record changed in place?")
        return out

    def _table(self, name: str, table: dict[str, Any]) -> bytes:
        cached = self._tables.get(name)
        if cached is not None and cached[0] is table and cached[1] == len(table):
            return cached[2]
        known = self._records.get(name, {})
        entries: dict[str, tuple[Any, ...]] = {}
        for record_id in sorted(table):
            record = table[record_id]
            entry = known.get(record_id)
            if (
                entry is None
                or type(record) is not dict
                or record.get("fields") is not entry[0]
                or record.get("stamps") is not entry[1]
                or record.get("history") is not entry[2]
                or record.get("author") != entry[3]
                or record.get("created") != entry[4]
                or len(record) != len(_ENVELOPE)
            ):
                entry = _record_entry(record_id, record)
            entries[record_id] = entry
        text = b"{\n" + b",\n".join([entry[5] for entry in entries.values()]) + b"\n }" if table else b"{}"
        self._records[name] = entries
        self._tables[name] = (table, len(table), text)
        return text


def _record_entry(record_id: str, record: Any) -> tuple[Any, ...]:
    """What ``CanonicalFile`` keeps of a record: the objects it was encoded from, and the text."""
    text = json.dumps(record, sort_keys=True, indent=1, ensure_ascii=True).replace("\n", "\n  ")
    chunk = f"  {_encode_key(record_id)}: {text}".encode("ascii")
    if type(record) is dict and len(record) == len(_ENVELOPE):
        parts = [record.get(key) for key in _ENVELOPE]
        if all(type(part) is dict for part in parts[:3]) and all(type(part) is str for part in parts[3:]):
            return (*parts, chunk)
    return (_NOT_CACHED, _NOT_CACHED, _NOT_CACHED, None, None, chunk)


def atomic_write(path: Path, content: str | bytes | list[bytes]) -> os.stat_result:
    """Replace ``path`` with ``content`` atomically and durably; returns the new file's stat."""
    ensure_folder(path.parent)
    if isinstance(content, str):
        content = [content.encode("utf-8")]
    elif isinstance(content, bytes):
        content = [content]
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        with os.fdopen(fd, "wb", buffering=WRITE_BUFFER) as handle:
            os.fchmod(handle.fileno(), FILE_MODE)
            handle.writelines(content)
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
