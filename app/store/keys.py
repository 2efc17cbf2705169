"""This machine's keys, and the file keys they open.

A ``Keyring`` holds this machine's private keys (from its local file) and,
for a sealed couple's file, turns the file as it is on disk into the records
the store works with (``open_data``) and back (``seal_data``). It keeps what
it opened and sealed, by stored id and by record, so a save seals only the
records that changed and a read opens only the boxes that changed.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.domain.machines import machine_id_of
from app.store.files import CHECK_ENV, atomic_write, encode_entry, encoded_table, ensure_folder
from app.store.lazy import REMOVED, LazyTable
from app.store.sealing import (
    KEY_KIND,
    PLAIN_KINDS,
    RECOVERY,
    SCHEME,
    SEALED_FORMAT,
    SEALED_TABLE,
    UNOPENED,
    FileKey,
    SealError,
    opened_record,
    unwrap_for_machine,
    unwrap_with_code,
)

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    from app.store.local import LocalState

_PLAIN_ID = re.compile(r"[0-9a-f]+")
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")
TAG_CHARS = 24  # a box's last base64 characters: its 16-byte tag, which follows every byte of the record
META_TABLE = "_meta"
META_DOC = "file"
Data = dict[str, dict[str, Any]]


class Locked(Exception):
    """The file is sealed and this machine holds no key that opens it."""


def sealing_of(data: Mapping[str, Any]) -> dict[str, Any] | None:
    """How the file is sealed (``_meta.file.sealing``), or None for a plain file."""
    meta = data.get(META_TABLE, {}).get(META_DOC, {})
    sealing = meta.get("sealing") if isinstance(meta, Mapping) else None
    return sealing if isinstance(sealing, dict) else None


def key_record_id(key_id: str, holder: str) -> str:
    """The id of the key record wrapping file key ``key_id`` for ``holder`` (a machine id, or recovery)."""
    return f"{key_id}/{holder}"


class Keyring:
    """This machine's keys and what they open (see the module docstring)."""

    def __init__(self, local: LocalState, opened_copy: Path | None = None) -> None:
        self.local = local
        self.opened_copy = opened_copy  # this machine's readable copy of what it last opened (see open_data)
        self._copy: dict[str, tuple[str, str, str, Any]] | None = None  # stored id -> tag, kind, id, record
        self._file_keys: dict[tuple[str, str], FileKey] = {}
        # stored id -> (box, kind, id, record, the file's entry holding the box)
        self._opened: dict[str, tuple[str, str, str, Any, dict[str, Any]]] = {}
        # (key id, kind, id) -> (the record it was sealed from, stored id, the entry holding its box)
        self._sealed: dict[tuple[str, str, str], tuple[Any, str, dict[str, Any]]] = {}
        # key id -> kind -> (the table object last sealed, its length, its boxes by stored id)
        self._tables: dict[str, dict[str, tuple[Any, int, dict[str, Any]]]] = {}
        # key id -> the sealed table as last sealed: the boxes of ``_tables``, as bytes an entry
        self._boxes: dict[str, LazyTable] = {}

    # -- this machine -----------------------------------------------------------------------

    @cached_property
    def _private(self) -> tuple[Ed25519PrivateKey, X25519PrivateKey]:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

        keys = self.local.machine_keys()
        sign = Ed25519PrivateKey.from_private_bytes(base64.b64decode(keys["sign"]))
        box = X25519PrivateKey.from_private_bytes(base64.b64decode(keys["box"]))
        return sign, box

    @cached_property
    def sign_key(self) -> str:
        """This machine's public signing key (base64)."""
        return self.local.machine_keys()["sign_public"]

    @cached_property
    def box_key(self) -> str:
        """This machine's public key the file key is wrapped to (base64)."""
        return self.local.machine_keys()["box_public"]

    @property
    def machine_id(self) -> str:
        return machine_id_of(self.sign_key)

    def sign(self, payload: bytes) -> str:
        return base64.b64encode(self._private[0].sign(payload)).decode("ascii")

    # -- file keys -------------------------------------------------------------------------

    def file_key(self, data: Mapping[str, Any], code: str | None = None) -> FileKey:
        """The key of the sealed ``data``, unwrapped for this machine (or with a recovery code).

        Raises ``Locked`` if this machine holds no wrap of it (it has not been
        let in yet) and no code that opens one.
        """
        sealing = sealing_of(data)
        file_id = data[META_TABLE][META_DOC]["file_id"]
        if sealing is None or sealing.get("scheme") != SCHEME:
            raise Locked("not a file this version can open")
        key_id = str(sealing.get("key", ""))
        cached = self._file_keys.get((file_id, key_id))
        if cached is not None:
            return cached
        wraps = data.get(KEY_KIND, {})
        holder = RECOVERY if code is not None else self.machine_id
        record = wraps.get(key_record_id(key_id, holder))
        try:
            wrap = record["fields"]["wrap"] if isinstance(record, dict) else None
            if not isinstance(wrap, dict):
                raise SealError("no wrap for this machine")
            if code is not None:
                key = unwrap_with_code(wrap, code, file_id)
            else:
                key = unwrap_for_machine(wrap, self._private[1], file_id)
        except (SealError, KeyError, TypeError) as error:
            raise Locked(str(error)) from error
        found = FileKey(key, file_id)
        if found.id != key_id:
            raise Locked("the wrapped key is not this file's key")
        self._file_keys[(file_id, key_id)] = found
        return found

    def keep(self, file_key: FileKey) -> None:
        """Hold a file key this machine made or unwrapped some other way (init, encrypt, recovery)."""
        self._file_keys[(file_key.file_id, file_key.id)] = file_key

    # -- the file, opened and sealed ---------------------------------------------------------

    def open_data(self, disk: Data) -> Data:
        """The records of a sealed file as the store works with them.

        A box seen before (the same bytes) is not opened again; the new ones
        are opened, and their JSON parsed in one go. A box that does not open
        (damaged, or sealed under a key this machine does not hold) is kept
        under ``UNOPENED`` and written back as it is.

        This machine keeps a readable copy of what it opened (``opened_copy``,
        in its own state folder beside its keys, never synced: whoever can read
        it can read the keys that open the file anyway), so that opening the
        file in a new process opens only the boxes that changed since: a box is
        taken from the copy when its tag (the last characters of its text, the
        GCM-SIV tag, which follows every byte of the record) is the same. The
        copy is written when the file is opened so, if many boxes were new to
        it, and not when a running app takes in the partner's copy: that opens
        only the boxes that differ, and writing every record out then would
        cost more than opening them (the next opening opens them, and writes
        the copy).
        """
        key = self.file_key(disk)
        out: Data = {name: table for name, table in disk.items() if name != SEALED_TABLE}
        sealed = disk.get(SEALED_TABLE, {})
        opening = len(self._opened) < len(sealed) // 2  # most of the file not opened yet by this process
        copy = self._read_copy(key) if opening else {}
        fresh: list[tuple[str, dict[str, Any], bytes]] = []
        for stored_id, held in sealed.items():
            known = self._opened.get(stored_id)
            if known is not None and (known[4] is held or known[0] == held.get("box")):
                out.setdefault(known[1], {})[known[2]] = known[3]
                continue
            kept = copy.get(stored_id)
            box = held.get("box")
            if kept is not None and isinstance(box, str) and box[-TAG_CHARS:] == kept[0]:
                self._remember(key.id, kept[1], kept[2], kept[3], stored_id, held)
                out.setdefault(kept[1], {})[kept[2]] = kept[3]
                continue
            try:
                fresh.append((stored_id, held, key.open_plain(stored_id, held.get("box"))))
            except SealError:
                out.setdefault(UNOPENED, {})[stored_id] = held
        for (stored_id, held, _), opened in zip(
            fresh, _parse_all([plain for *_, plain in fresh]), strict=True
        ):
            try:
                kind, record_id, raw = opened_record(opened)
            except SealError:
                out.setdefault(UNOPENED, {})[stored_id] = held
                continue
            self._remember(key.id, kind, record_id, raw, stored_id, held)
            out.setdefault(kind, {})[record_id] = raw
        if opening and self.opened_copy is not None and len(fresh) > max(64, len(sealed) // 50):
            self._write_copy(key, sealed)
        return out

    def _read_copy(self, key: FileKey) -> dict[str, tuple[str, str, str, Any]]:
        """This machine's readable copy of the file as it last opened it, if it is of this file and key."""
        if self._copy is not None or self.opened_copy is None:
            return self._copy or {}
        self._copy = {}
        try:
            kept = json.loads(self.opened_copy.read_bytes())
            if kept.get("file") == key.file_id and kept.get("key") == key.id:
                data = kept["data"]
                self._copy = {
                    stored_id: (tag, kind, record_id, data[kind][record_id])
                    for stored_id, (tag, kind, record_id) in kept["boxes"].items()
                }
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self._copy = {}
        return self._copy

    def _write_copy(self, key: FileKey, sealed: Mapping[str, Any]) -> None:
        """Keep a readable copy of every record opened from ``sealed`` (a lost copy only costs time)."""
        boxes: dict[str, list[str]] = {}
        data: Data = {}
        for stored_id, held in sealed.items():
            known = self._opened.get(stored_id)
            if known is None or not isinstance(held.get("box"), str):
                continue
            boxes[stored_id] = [known[0][-TAG_CHARS:], known[1], known[2]]
            data.setdefault(known[1], {})[known[2]] = known[3]
        document = {"file": key.file_id, "key": key.id, "boxes": boxes, "data": data}
        with contextlib.suppress(OSError):
            ensure_folder(self.opened_copy.parent)  # type: ignore[union-attr]
            atomic_write(self.opened_copy, json.dumps(document, separators=(",", ":"), ensure_ascii=True))  # type: ignore[arg-type]
        self._copy = None

    def seal_data(self, data: Data) -> Data:
        """``data`` as it goes to disk: every record but the machines and their keys in a box.

        A record unchanged since it was last opened or sealed keeps its box (the
        very same entry), and a table that is the same object as last time keeps
        all of them. The sealed table is a ``LazyTable`` over the bytes of the one
        sealed last time, with the boxes that changed put in: a save seals and
        encodes only the records that changed, and the entries of the others are
        written as the bytes they were.
        """
        key = self.file_key(data)
        check = bool(os.environ.get(CHECK_ENV))
        out: Data = {}
        added: dict[str, Any] = {}
        gone: set[str] = set()
        tables = self._tables.setdefault(key.id, {})
        for name in [name for name in tables if name not in data]:  # a table no longer there
            gone.update(tables.pop(name)[2])
        for name, table in data.items():
            if name in PLAIN_KINDS or name == META_TABLE:
                out[name] = table
                continue
            cached = tables.get(name)
            if cached is not None and cached[0] is table and cached[1] == len(table) and not check:
                continue
            sealed = dict(table) if name == UNOPENED else self._sealed_table(key, name, table, check)
            tables[name] = (table, len(table), sealed)
            before = cached[2] if cached is not None else {}
            added.update(
                (stored_id, held) for stored_id, held in sealed.items() if before.get(stored_id) is not held
            )
            gone.update(stored_id for stored_id in before if stored_id not in sealed)
        held_now = [entries for _, _, entries in tables.values()]
        changes = {stored_id: REMOVED for stored_id in gone if not any(stored_id in e for e in held_now)}
        changes.update(added)
        boxes = self._boxes.get(key.id)
        boxes = _boxes_of(held_now) if boxes is None else boxes.with_records(changes).rebased()
        self._boxes[key.id] = boxes
        if check and dict(boxes.items()) != {k: v for e in held_now for k, v in e.items()}:
            raise AssertionError("the sealed table's bytes are not the boxes of the records")
        out[SEALED_TABLE] = boxes
        return out

    def _sealed_table(self, key: FileKey, name: str, table: Mapping[str, Any], check: bool) -> dict[str, Any]:
        """The boxes of one table's records, by stored id: a record known by the very object keeps its box."""
        sealed: dict[str, dict[str, Any]] = {}
        for record_id, raw in table.items():
            known = self._sealed.get((key.id, name, record_id))
            if known is not None and known[0] is raw:
                if check and key.seal(name, record_id, raw).box != known[2]["box"]:
                    raise AssertionError("a sealed record was kept though it changed in place")
                sealed[known[1]] = known[2]
                continue
            box = key.seal(name, record_id, raw)
            held = {"box": box.box}
            self._remember(key.id, name, record_id, raw, box.stored_id, held)
            sealed[box.stored_id] = held
        return sealed

    def _remember(
        self, key_id: str, kind: str, record_id: str, raw: Any, stored_id: str, held: dict[str, Any]
    ) -> None:
        """What a box opened to, or was sealed from. A record is known by the very object: the
        store never changes one in place (``CoupleStore._put`` writes a new one)."""
        self._opened[stored_id] = (held["box"], kind, record_id, raw, held)
        self._sealed[(key_id, kind, record_id)] = (raw, stored_id, held)


def _boxes_of(tables: list[dict[str, Any]]) -> LazyTable:
    """The sealed table holding every box of ``tables``, encoded whole (the first save of a file)."""
    entries = {stored_id: held for table in tables for stored_id, held in table.items()}
    body = encoded_table([_box_entry(stored_id, entries[stored_id]) for stored_id in sorted(entries)])
    table = LazyTable.from_body(body, 0, len(body), Path(SEALED_TABLE))
    assert table is not None  # laid out as canonical_json lays it out: it was just encoded so
    return table


def _box_entry(stored_id: str, held: dict[str, Any]) -> bytes:
    """``encode_entry(stored_id, held)``, written out for a box as the keyring seals it (hex id,
    base64 box: nothing to escape), which json.dumps with an indent encodes ~20x slower."""
    box = held.get("box")
    if len(held) == 1 and isinstance(box, str) and _PLAIN_ID.fullmatch(stored_id) and _BASE64.fullmatch(box):
        return f'  "{stored_id}": {{\n   "box": "{box}"\n  }}'.encode("ascii")
    return encode_entry(stored_id, held)  # a box that did not open, as it came


def _parse_all(plains: list[bytes]) -> list[Any]:
    """Each box's JSON, parsed in one call (one per box only if one of them is not JSON)."""
    if not plains:
        return []
    try:
        values = json.loads(b"[" + b",".join(plains) + b"]")
        if isinstance(values, list) and len(values) == len(plains):
            return values
    except ValueError:
        pass
    parsed: list[Any] = []
    for plain in plains:
        try:
            parsed.append(json.loads(plain))
        except ValueError:
            parsed.append(None)
    return parsed


def sealed_meta(meta: Mapping[str, Any], file_key: FileKey) -> dict[str, Any]:
    """The ``_meta`` of a file sealed with ``file_key``."""
    file_doc = dict(meta.get(META_DOC, {}))
    file_doc["schema_version"] = SEALED_FORMAT
    file_doc["sealing"] = {"scheme": SCHEME, "key": file_key.id}
    return {**meta, META_DOC: file_doc}
