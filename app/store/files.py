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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FILE_MODE = 0o600
FOLDER_MODE = 0o700
WRITE_BUFFER = 1 << 20  # a big file goes out in a few large writes, not thousands of 8 KiB ones
CHECK_ENV = "KINTSUGI_CHECK_CANONICAL"  # set (the tests do): every canonical_chunks output is checked
META_TABLE = "_meta"  # the table of what the file is: its id, its format, how it is sealed
META_DOC = "file"  # its one entry
_encode_key = json.encoder.encode_basestring_ascii  # what json.dumps(ensure_ascii=True) does to keys
_TABLE_HEAD = re.compile(rb'\n "((?:[^"\\\n]|\\.)*)": ')  # a table's first line, one space in
RECORD_HEAD = re.compile(rb'\n  "((?:[^"\\\n]|\\.)*)": ')  # a record's first line, two spaces in
_PLAIN_KEY = re.compile(r"[0-9a-f]+")
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")


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


def canonical_json(data: Any, *, compact: bool = False) -> str:
    """The one way Kintsugi writes JSON: two copies holding the same data are byte-identical.

    The couple's file is laid out a record a line group (``indent=1``: what the byte-wise
    take-in and a git diff read); ``compact`` writes it on one line, with Python's C encoder
    (several times faster), for this machine's own file, which nobody diffs or merges.
    """
    # ensure_ascii: a lone surrogate from a damaged copy still writes as valid JSON.
    if compact:
        return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True) + "\n"
    return json.dumps(data, sort_keys=True, indent=1, ensure_ascii=True, default=_as_dict) + "\n"


def _as_dict(value: object) -> dict[str, Any]:
    """A table kept as bytes (``app.store.lazy``) is written as the dict it stands for."""
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def canonical_chunks(
    data: dict[str, Any], spans: dict[str, tuple[int, int]] | None = None
) -> tuple[list[bytes | memoryview], dict[str, bytes | memoryview]]:
    """``canonical_json(data)`` as chunks of bytes (to write), and the body of each table encoded.

    With an indent, Python encodes JSON in pure Python (~20 µs a record), yet a
    write changes one record. A table that comes with its bytes is not
    encoded again: a ``LazyTable`` (a plain file's table, or a sealed file's
    boxes as the keyring keeps them: its records' bytes as read or last written,
    only the changed ones encoded), given in pieces (``LazyTable.pieces``: runs of
    its bytes, not joined into one copy of the table). A plain dict is encoded whole.
    ``spans``: filled with where each table's body lies in the output (as ``table_spans`` finds it).
    With ``KINTSUGI_CHECK_CANONICAL`` set (the tests set it), the output is
    compared with ``canonical_json``, and a difference raises: a record changed
    in place would otherwise be written as its stale bytes.
    """
    out: list[bytes | memoryview] = [b"{\n"]
    bodies: dict[str, bytes | memoryview] = {}
    for name in sorted(data):
        table = data[name]
        pieces = getattr(table, "pieces", None)  # LazyTable: its bytes, and the records changed encoded
        if pieces is not None:
            parts = pieces()
        else:
            body = encoded_table([encode_entry(record_id, table[record_id]) for record_id in sorted(table)])
            bodies[name], parts = body, [body]
        head = f" {_encode_key(name)}: ".encode("ascii")
        if spans is not None:
            start = sum(map(len, out)) + len(head)
            spans[name] = (start, start + sum(map(len, parts)))
        out += [head, *parts, b",\n"]
    out[-1] = b"\n}\n" if data else b"{}\n"
    if os.environ.get(CHECK_ENV) and b"".join(out) != canonical_json(data).encode("ascii"):
        raise AssertionError("the chunks differ from canonical_json: was a record changed in place?")
    return out, bodies


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
        name = decoded_key(head[1])
        if name is None or (spans and name <= next(reversed(spans))):
            return None
        spans[name] = (head.end(), end)
    return spans


_NEXT_RECORD = b',\n  "'
_FIRST_BLOCK = 1 << 11  # bytes compared at once by ``changed_records``: two or three records


def changed_records(
    ours: tuple[bytes, int, int], text: bytes, start: int, end: int
) -> tuple[list[memoryview], list[memoryview], bool] | None:
    """The records of the table body ``text[start:end]`` whose bytes are not ours; ours of the
    same ids, where we hold them; and whether the body lacks any record of ours. ``ours`` is our
    table's body as ``canonical_json`` writes it: its bytes, and where it starts and ends in them
    (``app.store.lazy.LazyTable.body``).

    Both bodies list their records in id order, so one walk compares the two,
    in place, neither split beforehand nor copied: an equal record costs a search
    for its end and one comparison of bytes, and only the others are handed back
    (views of the bytes), to be parsed. None if the body is not laid out as
    ``canonical_json`` lays it out.
    """
    mine, a, a_end = ours
    if text[start:end] == b"{}":
        return [], [], a_end - a > 2
    if not (text.startswith(b"{\n", start) and text[end - 3 : end] == b"\n }"):
        return None
    a, a_end = (a + 2, a_end - 3) if a_end - a > 2 else (a, a)  # our records, inside the braces
    b, b_end = start + 2, end - 3
    view, mine_view = memoryview(text), memoryview(mine)  # a record compared where it lies
    changed: list[memoryview] = []
    held: list[memoryview] = []
    lacks = False
    block = _FIRST_BLOCK
    while b < b_end:
        # A run of records both hold alike, skipped at once: the bytes compared a block at a time
        # (twice as long after each block alike, a quarter after one that is not), up to the last
        # record that starts in the block.
        if block <= b_end - b and a + block <= a_end and mine.startswith(view[b : b + block], a):
            cut = text.rfind(_NEXT_RECORD, b, b + block)
            if cut > b:
                a, b, block = a + cut + 2 - b, cut + 2, block * 2
                continue
        block = max(block // 4, _FIRST_BLOCK)
        eb = text.find(_NEXT_RECORD, b, b_end)
        eb = b_end if eb < 0 else eb
        first, b = b, eb + 2
        chunk = view[first:eb]
        after = a + eb - first
        if (
            a < a_end
            and mine.startswith(chunk, a)
            and (after == a_end or (after < a_end and mine.startswith(_NEXT_RECORD, after)))
        ):
            a = after + 2  # the very bytes of ours
            continue
        record_id = text[first + 3 : text.find(b'"', first + 3, eb)]
        while a < a_end:
            ea = mine.find(_NEXT_RECORD, a, a_end)
            ea = a_end if ea < 0 else ea
            mine_id = mine[a + 3 : mine.find(b'"', a + 3, ea)]
            if mine_id < record_id:
                lacks = True  # a record of ours the body lacks
                a = ea + 2
                continue
            if mine_id == record_id:
                same = ea - a == len(chunk) and mine.startswith(chunk, a)
                if not same:  # (equal after all: it only stood after a record of ours it lacks)
                    changed.append(chunk)
                    held.append(mine_view[a:ea])
                a = ea + 2
                break
            changed.append(chunk)  # one we do not hold
            break
        else:
            changed.append(chunk)
    return changed, held, lacks or a < a_end


def decoded_key(quoted: bytes) -> str | None:
    """A key as written between quotes (ASCII, JSON escapes written out), as the key itself."""
    if b"\\" not in quoted:
        return quoted.decode("ascii", "replace")
    try:
        return json.loads(b'"' + quoted + b'"')
    except ValueError:
        return None


def encode_entry(record_id: str, record: Any) -> bytes:
    """One entry of a table as ``canonical_json`` writes it (indented as a record is).

    A sealed file's box (a hex id, ``{"box": <base64>}``: nothing to escape) is written out
    directly, which ``json.dumps`` with an indent (pure Python) does ~20x slower."""
    if type(record) is dict and len(record) == 1:
        box = record.get("box")
        if isinstance(box, str) and _PLAIN_KEY.fullmatch(record_id) and _BASE64.fullmatch(box):
            return f'  "{record_id}": {{\n   "box": "{box}"\n  }}'.encode("ascii")
    text = json.dumps(record, sort_keys=True, indent=1, ensure_ascii=True, default=_as_dict)
    return f"  {_encode_key(record_id)}: {text.replace(chr(10), chr(10) + '  ')}".encode("ascii")


def encoded_table(entries: Sequence[bytes | memoryview]) -> bytes:
    """A table's canonical bytes from its entries' (``encode_entry``, or runs of them as written),
    in the order of their ids: joined in one copy (a table of many megabytes is not copied again
    for its braces)."""
    return b"".join(table_parts(entries))


def table_parts(entries: Sequence[bytes | memoryview]) -> list[bytes | memoryview]:
    """``encoded_table(entries)`` as the pieces it joins: the braces and commas between the entries."""
    if not entries:
        return [b"{}"]
    parts: list[bytes | memoryview] = [b",\n"] * (2 * len(entries) + 1)
    parts[1::2] = entries
    parts[0], parts[-1] = b"{\n", b"\n }"
    return parts


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


def write_temp(
    path: Path, content: str | bytes | list[bytes], *, durable: bool = True
) -> tuple[Path, Identity]:
    """Write ``content`` to the temporary file for ``path`` (durably: fsynced); its name and identity."""
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
            if durable:
                os.fsync(handle.fileno())
            written = identity(os.fstat(handle.fileno()))
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return tmp, written


def atomic_write(path: Path, content: str | bytes | list[bytes], *, durable: bool = True) -> os.stat_result:
    """Replace ``path`` with ``content`` atomically (and durably: fsynced, with its folder); returns
    the new file's stat."""
    tmp, _ = write_temp(path, content, durable=durable)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if durable:
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
