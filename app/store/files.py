"""Writing files so that a crash or a full disk never leaves a half-written one.

Every file Kintsugi writes goes through ``write_temp``: a temporary file in
the same folder, created 0600, written and fsynced. ``atomic_write`` then
renames it over the old one with ``os.replace`` and fsyncs the folder, so a
reader (or the partner's sync service) sees either the whole old file or the
whole new one. The couple's file goes further (``swap_in``): it is exchanged
with the file in place, in one step, so that whatever stood there (the
partner's copy a sync service renamed in a moment ago) is never unlinked
unseen.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FILE_MODE = 0o600
FOLDER_MODE = 0o700
WRITE_BUFFER = 1 << 20  # a big file goes out in a few large writes, not thousands of 8 KiB ones
CHECK_ENV = "KINTSUGI_CHECK_CANONICAL"  # set (the tests do): every CanonicalFile output is checked
_encode_key = json.encoder.encode_basestring_ascii  # what json.dumps(ensure_ascii=True) does to keys
_NOT_CACHED = object()
_TABLE_HEAD = re.compile(rb'\n "((?:[^"\\\n]|\\.)*)": ')  # a table's first line, one space in
_RECORD_HEAD = re.compile(rb'\n  "((?:[^"\\\n]|\\.)*)": ')  # a record's first line, two spaces in
_THE_OBJECT = object()
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
        self._source: dict[str, tuple[Any, ...]] = {}  # the file last parsed, by table (``seed``)
        self._ordered: dict[str, tuple[bytes, tuple[list[bytes], list[bytes]]]] = {}

    def chunks(self, data: Any) -> list[bytes]:
        """The bytes of ``canonical_json(data)``, in order, in a few chunks (one a table)."""
        if not (type(data) is dict and all(type(k) is str and type(t) in _TABLES for k, t in data.items())):
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

    def seed(self, data: dict[str, Any], text: bytes) -> None:
        """Take ``text``, the file ``data`` was just parsed from, as the bytes of what has not changed.

        A save then re-encodes only what changed instead of every record
        (~20 µs each): a table that is still the very table parsed from
        ``text`` is written as the bytes it had there, and in a table that
        changed, each record still the one parsed keeps its bytes. Only a file
        laid out as ``canonical_json`` lays it out is taken (``table_spans``);
        the records' bytes are found the first time a table changes. A record
        whose bytes were not what ``canonical_json`` makes (a file edited by
        hand) keeps them until it changes, on every machine alike.
        """
        spans = table_spans(text)
        if spans is None or sorted(spans) != sorted(data) or not all(type(t) is dict for t in data.values()):
            self._source = {}
            return
        self._source = {name: (data[name], text, start, end) for name, (start, end) in spans.items()}

    def ordered_records(self, name: str, table: dict[str, Any]) -> tuple[list[bytes], list[bytes]]:
        """The table's records as this would write them now, in id order: their ids (as written,
        between the quotes) and their bytes. Kept while the table is the same object."""
        body = self._table(name, table)
        known = self._ordered.get(name)
        if known is not None and known[0] is body:
            return known[1]
        ordered = split_records(body, 0, len(body))
        self._ordered[name] = (body, ordered)
        return ordered

    def _from_source(self, name: str, table: dict[str, Any]) -> bytes | None:
        """The table's bytes as parsed, if it is unchanged; else its records' bytes remembered."""
        found = self._source.pop(name, None)
        if found is None:
            return None
        parsed, text, start, end = found
        if parsed is table and len(table) == len(parsed):
            body = text[start:end]
            return body if (body == b"{}") == (not table) else None
        spans = record_spans(text, start, end)
        if spans is None or [record_id for record_id, *_ in spans] != sorted(parsed):
            return None
        entries: dict[str, tuple[Any, ...]] = {}
        for record_id, first, last in spans:
            record = parsed[record_id]
            parts = [record.get(key) for key in _ENVELOPE] if type(record) is dict else []
            if len(record) == len(_ENVELOPE) and all(type(part) is dict for part in parts[:3]):
                entries[record_id] = (*parts, text[first:last])
        self._records[name] = entries
        return None

    def _table(self, name: str, table: dict[str, Any]) -> bytes:
        if type(table) is Encoded:
            return table.canonical
        cached = self._tables.get(name)
        if cached is not None and cached[0] is table and cached[1] == len(table):
            return cached[2]
        if self._source:
            as_parsed = self._from_source(name, table)
            if as_parsed is not None:
                self._tables[name] = (table, len(table), as_parsed)
                return as_parsed
        known = self._records.get(name, {})
        entries: dict[str, tuple[Any, ...]] = {}
        for record_id in sorted(table):
            record = table[record_id]
            entry = known.get(record_id)
            if entry is None or not _unchanged(entry, record):
                entry = _record_entry(record_id, record)
            entries[record_id] = entry
        text = encoded_table([entry[5] for entry in entries.values()])
        self._records[name] = entries
        self._tables[name] = (table, len(table), text)
        return text


class Encoded(dict):  # type: ignore[type-arg]
    """A table that comes with its canonical bytes (``canonical``), made by whoever built it.

    ``CanonicalFile`` writes those bytes as they are: the keyring keeps a
    sealed file's table this way, since it knows which boxes changed.
    """

    canonical: bytes


_TABLES = (dict, Encoded)


def table_spans(text: bytes) -> dict[str, tuple[int, int]] | None:
    """Where each table's body lies in a file laid out as ``canonical_json`` lays it out.

    None if ``text`` is not laid out so (tables in order, each at one space).
    """
    if not text.startswith(b"{\n") or not text.endswith(b"\n}\n"):
        return None
    heads = list(_TABLE_HEAD.finditer(text))
    spans: dict[str, tuple[int, int]] = {}
    ends = [head.start() - 1 for head in heads[1:]] + [len(text) - 3]
    for head, end in zip(heads, ends, strict=True):
        name = _decoded(head[1])
        if name is None or (spans and name <= next(reversed(spans))):
            return None
        spans[name] = (head.end(), end)
    return spans


_NEXT_RECORD = b',\n  "'


def changed_records(
    ours: tuple[list[bytes], list[bytes]], text: bytes, start: int, end: int
) -> tuple[list[bytes], bool] | None:
    """The records of the table body ``text[start:end]`` whose bytes are not ours, and whether it
    lacks any of ours; ``ours`` is our table's records' ids and bytes, in id order
    (``CanonicalFile.ordered_records``).

    The body lists its records in id order too, so one walk compares the two,
    in place: an equal record costs one comparison of bytes, and only the
    others are handed back, to be parsed. None if the body is not laid out as
    ``canonical_json`` lays it out.
    """
    ids, chunks = ours
    if text[start:end] == b"{}":
        return [], bool(ids)
    if not (text.startswith(b"{\n", start) and text[end - 3 : end] == b"\n }"):
        return None
    b, b_end = start + 2, end - 3
    i, count = 0, len(ids)
    changed: list[bytes] = []
    lacks = False
    while b < b_end:
        if i < count:
            chunk = chunks[i]
            after = b + len(chunk)
            if text.startswith(chunk, b) and (after == b_end or text.startswith(_NEXT_RECORD, after)):
                i += 1
                b = after + 2
                continue
        eb = text.find(_NEXT_RECORD, b, b_end)
        eb = b_end if eb < 0 else eb
        record_id = text[b + 3 : text.find(b'"', b + 3, eb)]
        while i < count and ids[i] < record_id:  # a record of ours the body lacks
            lacks = True
            i += 1
        chunk = text[b:eb]
        b = eb + 2
        if i < count and ids[i] == record_id:
            i += 1
            if chunks[i - 1] == chunk:  # equal after all: it only stood after a record of ours it lacks
                continue
        changed.append(chunk)
    return changed, lacks or i < count


def split_records(text: bytes, start: int, end: int) -> tuple[list[bytes], list[bytes]]:
    """The records of the table body ``text[start:end]`` (laid out canonically): their ids (as
    written, between the quotes) and their bytes, in order."""
    ids: list[bytes] = []
    chunks: list[bytes] = []
    if text[start:end] != b"{}":
        first, last_end = start + 2, end - 3
        while first < last_end:
            last = text.find(_NEXT_RECORD, first, last_end)
            last = last_end if last < 0 else last
            chunks.append(text[first:last])
            ids.append(text[first + 3 : text.find(b'"', first + 3, last)])
            first = last + 2
    return ids, chunks


def record_spans(text: bytes, start: int, end: int) -> list[tuple[str, int, int]] | None:
    """Each record's id and bytes (first, last) in the table body ``text[start:end]``, ids in order."""
    if text[start:end] == b"{}":
        return []
    if not text.startswith(b"{\n", start) or text[end - 3 : end] != b"\n }":
        return None
    heads = list(_RECORD_HEAD.finditer(text, start, end))
    spans: list[tuple[str, int, int]] = []
    ends = [head.start() - 1 for head in heads[1:]] + [end - 3]
    for head, last in zip(heads, ends, strict=True):
        record_id = _decoded(head[1])
        if record_id is None or (spans and record_id <= spans[-1][0]):
            return None
        spans.append((record_id, head.start() + 1, last))
    return spans


def _decoded(quoted: bytes) -> str | None:
    """A key as written between quotes (ASCII, JSON escapes written out), as the key itself."""
    if b"\\" not in quoted:
        return quoted.decode("ascii", "replace")
    try:
        return json.loads(b'"' + quoted + b'"')
    except ValueError:
        return None


def encode_entry(record_id: str, record: Any) -> bytes:
    """One entry of a table as ``canonical_json`` writes it (indented as a record is)."""
    return _record_entry(record_id, record)[5]


def encoded_table(entries: list[bytes]) -> bytes:
    """A table's canonical bytes from its entries' (``encode_entry``), in the order of their ids."""
    return b"{\n" + b",\n".join(entries) + b"\n }" if entries else b"{}"


def _unchanged(entry: tuple[Any, ...], record: Any) -> bool:
    """True if ``record`` is still what ``entry`` was encoded from (see ``CanonicalFile``)."""
    if entry[1] is _THE_OBJECT:  # not a record envelope (a sealed file's box): the very same object
        return record is entry[0]
    return (
        type(record) is dict
        and record.get("fields") is entry[0]
        and record.get("stamps") is entry[1]
        and record.get("history") is entry[2]
        and record.get("author") == entry[3]
        and record.get("created") == entry[4]
        and len(record) == len(_ENVELOPE)
    )


def _record_entry(record_id: str, record: Any) -> tuple[Any, ...]:
    """What ``CanonicalFile`` keeps of a record: the objects it was encoded from, and the text.

    A record envelope is known by its parts; any other entry (a sealed file's
    ``{"box": ...}``, which the keyring hands out as the same object while the
    record is unchanged) by the object itself.
    """
    text = json.dumps(record, sort_keys=True, indent=1, ensure_ascii=True).replace("\n", "\n  ")
    chunk = f"  {_encode_key(record_id)}: {text}".encode("ascii")
    if type(record) is dict and len(record) == len(_ENVELOPE):
        parts = [record.get(key) for key in _ENVELOPE]
        if all(type(part) is dict for part in parts[:3]) and all(type(part) is str for part in parts[3:]):
            return (*parts, chunk)
    if type(record) is dict and all(type(value) is str for value in record.values()):
        return (record, _THE_OBJECT, _NOT_CACHED, None, None, chunk)
    return (_NOT_CACHED, _NOT_CACHED, _NOT_CACHED, None, None, chunk)


Identity = tuple[int, int, int]  # (inode, size, mtime in ns): a file as we last saw it


def identity(stat: os.stat_result) -> Identity:
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def temp_name(path: Path) -> Path:
    """The temporary file a save of ``path`` writes for an instant, beside it.

    ``.~`` starts the name: hidden, and a prefix sync services know for
    temporary files; the pid keeps two writers apart and tells a leftover
    (``app.store.places``) from a save under way.
    """
    return path.with_name(f".~{path.name}.{os.getpid()}.tmp")


def write_temp(path: Path, content: str | bytes | list[bytes]) -> tuple[Path, Identity]:
    """Write ``content`` durably to the temporary file for ``path``; its name and identity."""
    ensure_folder(path.parent)
    if isinstance(content, str):
        content = [content.encode("utf-8")]
    elif isinstance(content, bytes):
        content = [content]
    tmp = temp_name(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        with os.fdopen(fd, "wb", buffering=WRITE_BUFFER) as handle:
            os.fchmod(handle.fileno(), FILE_MODE)
            handle.writelines(content)
            handle.flush()
            os.fsync(handle.fileno())
            written = identity(os.fstat(handle.fileno()))
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return tmp, written


def atomic_write(path: Path, content: str | bytes | list[bytes]) -> os.stat_result:
    """Replace ``path`` with ``content`` atomically and durably; returns the new file's stat."""
    tmp, _ = write_temp(path, content)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_folder(path.parent)
    return path.stat()


def fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# -- putting a new version in place without losing the one that is there ---------------------


@dataclass(frozen=True)
class Intruder:
    """A file that took the place of the one we read, found as we put ours in place.

    ``swapped``: it was exchanged with ours and now sits at ``path`` (our
    temporary name; ours is in place). Otherwise ours was not put in place,
    and ``path`` is the file itself.
    """

    path: Path
    swapped: bool


def swap_in(tmp: Path, path: Path, expected: Identity | None) -> Intruder | None:
    """Put ``tmp`` in place of ``path``, which should still be the file we read (``expected``).

    Where the system can exchange two names in one step (Linux ``renameat2``,
    macOS ``renamex_np``), it does, and then looks at what it took out: if
    that is not what we read, it is handed back as an ``Intruder`` to merge,
    never unlinked unseen. Elsewhere (a file system without the exchange: a
    USB stick's FAT, some network shares) the file is checked just before an
    ordinary rename, which leaves a window of microseconds
    (docs/RELIABILITY.md measures it). ``None`` when ours is in place and
    nothing was overwritten but what we read.
    """
    exchanged = _exchange(tmp, path) if expected is not None else None
    if exchanged is None:  # nothing there to exchange with, or no exchange on this system
        try:
            now = identity(path.stat())
        except FileNotFoundError:
            now = None
        if now is not None and now != expected:
            return Intruder(path, swapped=False)
        if now is None and _rename_no_replace(tmp, path) is False:
            return Intruder(path, swapped=False)  # it appeared just now
        if now is not None:
            os.replace(tmp, path)
        return None
    try:
        out = identity(tmp.stat())
    except FileNotFoundError:  # cannot happen unless someone removed our temporary file
        return None
    if out == expected:
        tmp.unlink()
        return None
    return Intruder(tmp, swapped=True)


def swap_back(intruder: Intruder, path: Path) -> None:
    """Undo ``swap_in``: the intruder back in place, ours (now at its name) removed."""
    if intruder.swapped and _exchange(intruder.path, path):
        intruder.path.unlink(missing_ok=True)


_AT_FDCWD = -100
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EPERM}


def _rename_call() -> Any:
    """libc's two-name rename with flags, or None where there is none."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if sys.platform == "darwin":
            call = libc.renamex_np
            call.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
        else:
            call = libc.renameat2
            call.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    except (OSError, AttributeError):
        return None
    call.restype = ctypes.c_int
    return call


_RENAME = _rename_call()
_EXCHANGE = 0x2  # RENAME_EXCHANGE (Linux) and RENAME_SWAP (macOS) are both 2
_NO_REPLACE = 0x4 if sys.platform == "darwin" else 0x1  # RENAME_EXCL, RENAME_NOREPLACE


def _rename_with(flags: int, source: Path, target: Path) -> int:
    """0, or the errno of the failed call; ENOSYS when there is no such call here."""
    if _RENAME is None:
        return errno.ENOSYS
    a, b = os.fsencode(source), os.fsencode(target)
    done = _RENAME(a, b, flags) if sys.platform == "darwin" else _RENAME(_AT_FDCWD, a, _AT_FDCWD, b, flags)
    return 0 if done == 0 else ctypes.get_errno()


def _exchange(a: Path, b: Path) -> bool | None:
    """Exchange two names in one step: True; None when ``b`` is missing or the system cannot."""
    error = _rename_with(_EXCHANGE, a, b)
    if error == 0:
        return True
    if error == errno.ENOENT or error in _UNSUPPORTED:
        return None
    raise OSError(error, os.strerror(error), str(b))


def _rename_no_replace(source: Path, target: Path) -> bool:
    """Rename unless ``target`` exists (then False); a plain rename where that cannot be asked."""
    error = _rename_with(_NO_REPLACE, source, target)
    if error == 0:
        return True
    if error == errno.EEXIST:
        return False
    if error in _UNSUPPORTED:
        if target.exists():
            return False
        os.replace(source, target)
        return True
    raise OSError(error, os.strerror(error), str(target))
