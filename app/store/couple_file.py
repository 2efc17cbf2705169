"""The couple's file as data: read (whole, or lazily: ``open_lazily``), checked, opened if it is
sealed and brought to the current format (``load_couple_file``), and two copies of it merged
(``merge_data``, records and ``_meta``): what the storage and every other way two copies meet
(a backup, a conflict copy, a leftover, a machine asking to join) use."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from app.domain.merge import MergeReport, merge_changes, merge_meta
from app.domain.models import SCHEMA_VERSION
from app.store.errors import StoreError
from app.store.files import META_DOC, META_TABLE, Identity, identity, table_spans
from app.store.keys import Keyring, Locked, sealing_of
from app.store.lazy import LazyTable
from app.store.migrations import migrate, version_of
from app.store.sealing import SCHEME, SCHEMES, SEALED_FORMAT, SEALED_TABLE

SETTLE_S = 1.0  # how long a missing, empty or half-written file is given to arrive
_ARRIVING = frozenset({"file_missing", "file_empty", "file_not_json"})

Data = dict[str, Mapping[str, Any]]  # table name -> record id -> record (a table: a dict or a LazyTable)


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


def with_records(table: Mapping[str, Any] | None, put: Mapping[str, Any]) -> Mapping[str, Any]:
    """``table`` with the records ``put`` in it: a new table, whatever kind ``table`` is."""
    if isinstance(table, LazyTable):
        return table.with_records(put)
    return {**(table or {}), **put}


def read_couple_text(path: Path) -> tuple[str, Identity]:
    """The file's text and the identity of the very file it was read from."""
    found, raw = read_couple_bytes(path)
    return _text_of(raw, path), found


def read_couple_bytes(path: Path) -> tuple[Identity, bytes]:
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
            found, raw = read_couple_bytes(path)
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
