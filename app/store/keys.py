"""This machine's keys, and the file keys they open.

A ``Keyring`` holds this machine's private keys (from its local file) and,
for a sealed couple's file, turns the file as it is on disk into the records
the store works with (``open_file``, as a plain file is opened: each record
parsed when first read; ``open_data`` for a copy parsed whole) and back
(``seal_data``). It keeps what it opened and sealed, by stored id and by
record, so a save seals only the records that changed and a read opens only
the boxes that changed.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import json
import os
import zlib
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.domain.machines import machine_id_of
from app.store.errors import StoreError
from app.store.files import (
    CHECK_ENV,
    META_DOC,
    META_TABLE,
    atomic_write,
    canonical_chunks,
    encode_entry,
    encoded_table,
    ensure_folder,
    table_spans,
)
from app.store.lazy import REMOVED, LazyTable
from app.store.sealing import (
    KEY_KIND,
    PLAIN_KINDS,
    RECOVERY,
    SCHEME,
    SCHEMES,
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

# Boxes put in the sealed table since its bytes were joined (a save writes them in pieces) before
# they are joined again: this many, or an eighth of the table.
REBASE_AFTER = 256
COPY_BOXES = "~boxes"  # in the readable copy: the sealed table as it was when the copy was written
COPY_INDEX = "~index"  # in the readable copy: each box's kind and record id, as one JSON text
COPY_SPLIT = "~split"  # in the readable copy: where each of its boxes lay in the file (``LazyTable.layout``)
COPY_LAYOUT = "~layout"  # in the readable copy: each table's ids, where its records lie, their checksums
COPY_SPANS = "~~spans"  # the readable copy's last table: where the others lie (it is not scanned for them)
# the readable copy's tables that are no kind
_COPY_ONLY = (COPY_BOXES, COPY_INDEX, COPY_LAYOUT, COPY_SPLIT, COPY_SPANS)
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
        self.opened_copy = opened_copy  # this machine's readable copy of what it last opened (see open_file)
        self._file_keys: dict[tuple[str, str], FileKey] = {}
        # stored id -> (box, kind, id, record, the file's entry holding the box)
        self._opened: dict[str, tuple[str, str, str, Any, dict[str, Any]]] = {}
        # (key id, kind, id) -> (the record it was sealed from, stored id, the entry holding its box)
        self._sealed: dict[tuple[str, str, str], tuple[Any, str, dict[str, Any]]] = {}
        # key id -> kind -> (the table object last sealed, its length, its boxes by stored id; None
        # for a table opened lazily, whose boxes are those of ``_boxes`` for its records)
        self._tables: dict[str, dict[str, tuple[Any, int, dict[str, Any]]]] = {}
        self.opened_boxes: LazyTable | None = None  # the sealed table as ``open_file`` last split it
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
        if sealing is None or sealing.get("scheme") not in SCHEMES:
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
        """The records of a sealed file parsed whole (a partner's changed boxes, a copy, a
        backup) as the store works with them.

        A box seen before (the same bytes) is not opened again; the new ones
        are opened, and their JSON parsed in one go. A box that does not open
        (damaged, or sealed under a key this machine does not hold) is kept
        under ``UNOPENED`` and written back as it is.
        """
        key = self.file_key(disk)
        out: Data = {name: table for name, table in disk.items() if name != SEALED_TABLE}
        todo: list[tuple[str, dict[str, Any]]] = []
        seen, tables = self._opened, {}
        for stored_id, held in disk.get(SEALED_TABLE, {}).items():
            known = seen.get(stored_id)
            if known is not None and (known[4] is held or known[0] == held.get("box")):
                table = tables.get(known[1])
                if table is None:
                    table = tables[known[1]] = out.setdefault(known[1], {})
                table[known[2]] = known[3]
            else:
                todo.append((stored_id, held))
        opened, unopened = self._open_boxes(key, todo)
        for _, _, kind, record_id, raw in opened:
            out.setdefault(kind, {})[record_id] = raw
        if unopened:
            out.setdefault(UNOPENED, {}).update(unopened)
        return out

    def open_file(
        self,
        raw: bytes,
        spans: Mapping[str, tuple[int, int]],
        plain: Data,
        path: Path,
        *,
        copy_read: bool = True,
    ) -> Data | None:
        """A sealed file laid out canonically, opened as a plain file is: ``plain`` is its ``_meta``
        and plain tables; None if its sealed table is not laid out so (it is parsed whole then).

        Opening every box costs more than reading a plain file whole (AES-GCM-SIV
        and a JSON parse each), so this machine keeps a readable copy of what it
        opened (``opened_copy``, in its own state folder beside its keys, never
        synced: whoever can read it can read the keys that open the file anyway),
        laid out as the couple's file is: the records by kind, the sealed table
        as it was then, and each box's kind and id. The sealed table is split into
        boxes by their bytes; a box whose bytes are the copy's is not opened,
        its record is the copy's, read lazily (``LazyTable``: parsed when first
        read), and only the boxes that differ are opened. A copy of another file
        or key is not read; one that does not parse, or whose layout (each table's
        ids and places, kept so that nothing is split again) does not match its
        checksum, is not trusted at all. The copy is a cache and the file the
        truth: a record of the copy whose bytes do not match the checksum it was
        written with is opened from its box in the file (``LazyTable.guarded``).

        The copy is written here, when many boxes were new to it, and not when
        a running app takes in the partner's copy or writes: those change a few
        boxes, and writing every record out then would cost more than opening
        them at the next opening (which writes the copy). It is not fsynced: one
        left not whole by a crash fails its checksums, and is written again.
        """
        key = self.file_key(plain)
        span = spans.get(SEALED_TABLE)
        body, span = (raw, span) if span else (b"{}", (0, 2))
        copy = self._read_copy(key) if copy_read else None
        tables: dict[str, Any] = copy[2] if copy is not None else {}
        kept = None
        copied = _boxes_as_copied(copy, body, span, path) if copy is not None else None
        if copied is not None:  # the file's sealed table is the copy's: split as the copy says
            boxes, fresh, gone = copied, [], []
        else:
            kept = _copy_boxes(copy, path) if copy is not None else None
            boxes = LazyTable.from_body(body, *span, path)
            if boxes is None:
                return None
            if kept is None:
                tables, copy = {}, None
                fresh, gone = list(boxes), []
            else:
                fresh, gone = boxes.differing(kept)
        opened, unopened = self._open_boxes(key, [(stored_id, boxes[stored_id]) for stored_id in fresh])
        index: dict[str, list[str]] | None = None
        doubtful = [*gone, *unopened]  # boxes the copy may hold a record of, and nothing replaces
        doubtful += [o[0] for o in opened if key.stored_id(o[2], o[3]) != o[0]]
        changes: dict[str, dict[str, Any]] = {}
        try:
            if kept is not None and any(stored_id in kept for stored_id in doubtful):
                assert copy is not None
                index = _index_of(copy[0], copy[1])
                for stored_id in doubtful:
                    if stored_id in index:
                        kind, record_id = index[stored_id]
                        changes.setdefault(kind, {})[record_id] = REMOVED
            if copy is not None and index is None and len(opened) > max(64, len(boxes) // 50):
                index = _index_of(copy[0], copy[1])  # for the copy written below
        except (ValueError, KeyError, TypeError):  # an index that does not read: the copy is not trusted
            return self.open_file(raw, spans, plain, path, copy_read=False)
        for _, _, kind, record_id, record in opened:
            changes.setdefault(kind, {})[record_id] = record
        out: Data = dict(plain)
        for kind in {*tables, *changes}:
            table = tables.get(kind)
            put = changes.get(kind, {})
            if table is not None:
                out[kind] = table.with_records(put)
            else:
                out[kind] = {record_id: record for record_id, record in put.items() if record is not REMOVED}
        if unopened:
            out[UNOPENED] = unopened
        self._boxes[key.id] = self.opened_boxes = boxes
        self._tables[key.id] = {
            kind: (out[kind], len(out[kind]), None if isinstance(out[kind], LazyTable) else {})
            for kind in {*tables, *changes}
        }
        for stored_id, held, kind, _, _ in opened:
            sealed = self._tables[key.id][kind][2]
            if sealed is not None:
                sealed[stored_id] = held
        if self.opened_copy is not None and len(opened) > max(64, len(boxes) // 50):
            self._write_copy(key, out, boxes, index or {}, opened, [*gone, *unopened])
        return out

    def _open_boxes(
        self, key: FileKey, todo: list[tuple[str, dict[str, Any]]]
    ) -> tuple[list[tuple[str, dict[str, Any], str, str, Any]], dict[str, Any]]:
        """Each box of ``todo`` (stored id, entry) opened: (stored id, entry, kind, id, record)
        for those that open to a record, and the entries of those that do not, by stored id."""
        fresh: list[tuple[str, dict[str, Any], bytes]] = []
        unopened: dict[str, Any] = {}
        for stored_id, held in todo:
            try:
                fresh.append((stored_id, held, key.open_plain(stored_id, held.get("box"))))
            except SealError:
                unopened[stored_id] = held
        opened = []
        for (stored_id, held, _), found in zip(
            fresh, _parse_all([plain for *_, plain in fresh]), strict=True
        ):
            try:
                kind, record_id, raw = opened_record(found)
            except SealError:
                unopened[stored_id] = held
                continue
            self._remember(key.id, kind, record_id, raw, stored_id, held)
            opened.append((stored_id, held, kind, record_id, raw))
        return opened, unopened

    def _read_copy(
        self, key: FileKey
    ) -> tuple[bytes, dict[str, tuple[int, int]], dict[str, LazyTable]] | None:
        """This machine's readable copy (its bytes, where its tables lie, its records by kind), if it
        is of this file and key and laid out as it is written."""
        if self.opened_copy is None:
            return None
        try:
            text = self.opened_copy.read_bytes()
            spans = _copy_spans(text)
            if spans is None or not {COPY_BOXES, COPY_INDEX, COPY_LAYOUT, COPY_SPLIT} <= spans.keys():
                return None
            meta = json.loads(text[slice(*spans[META_TABLE])])[META_DOC]
            if meta["file_id"] != key.file_id or meta["key"] != key.id:
                return None
            layout = json.loads(text[slice(*spans[COPY_LAYOUT])])
            names = [name for name in spans if name not in (META_TABLE, *_COPY_ONLY)]
            if sorted(layout) != names:
                return None
            tables: dict[str, LazyTable] = {}
            for name in names:  # each split as its layout says (checked whole), not by looking
                ids, at = layout[name]["ids"], layout[name]["at"]
                places, sums = (
                    base64.b64decode(layout[name]["places"]),
                    base64.b64decode(layout[name]["sums"]),
                )
                if _layout_check(ids, places, sums) != layout[name]["check"]:
                    return None
                table = LazyTable.laid_out(text, *spans[name], ids, places, self.opened_copy, at)
                guarded = table.guarded(sums, functools.partial(self._mended, key, name)) if table else None
                if guarded is None:
                    return None
                tables[name] = guarded
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return text, spans, tables

    def _mended(self, key: FileKey, kind: str, record_id: str) -> Any:
        """A record of the readable copy whose bytes there are damaged, opened from its box in the
        file (a record is in the copy only while its box in the file is the bytes it was opened from)."""
        stored_id = key.stored_id(kind, record_id)
        boxes = self._boxes.get(key.id)
        held = boxes.get(stored_id) if boxes is not None else None
        try:
            found = key.open(stored_id, held.get("box") if isinstance(held, dict) else None)
        except SealError:
            found = None
        if found is None or found[:2] != (kind, record_id):
            raise StoreError("file_not_json", case="record", path=self.opened_copy, id=record_id[:12])
        return found[2]

    def _write_copy(
        self,
        key: FileKey,
        out: Data,
        boxes: LazyTable,
        index: dict[str, list[str]],
        opened: list[tuple[str, dict[str, Any], str, str, Any]],
        lacking: list[str],
    ) -> None:
        """Keep a readable copy of every record opened from ``boxes`` (a lost copy only costs time):
        a box that did not open is left out of it, to be tried again at the next opening."""
        index = {stored_id: kind_id for stored_id, kind_id in index.items() if stored_id in boxes}
        index.update((stored_id, [kind, record_id]) for stored_id, _, kind, record_id, _ in opened)
        for stored_id in lacking:
            index.pop(stored_id, None)
        document: dict[str, Any] = {META_TABLE: {META_DOC: {"file_id": key.file_id, "key": key.id}}}
        for name, table in out.items():
            if name not in PLAIN_KINDS and name not in (META_TABLE, UNOPENED):
                document[name] = _as_lazy(table, self.opened_copy).rebased()  # type: ignore[arg-type]
        kinds: dict[str, tuple[int, int]] = {}
        canonical_chunks(document, kinds)  # where each kind lies: the copy's own tables come after
        layout: dict[str, dict[str, Any]] = {}
        for name, (start, _) in kinds.items():
            if name != META_TABLE:
                ids, places = document[name].layout(start)
                sums = document[name].record_sums()
                layout[name] = {"at": start, "ids": ids, "check": _layout_check(ids, places, sums)}
                layout[name].update(
                    places=base64.b64encode(places).decode(), sums=base64.b64encode(sums).decode()
                )
        written = boxes.with_records({stored_id: REMOVED for stored_id in lacking}).rebased()
        ids, places = written.layout()
        document[COPY_BOXES] = written
        document[COPY_SPLIT] = {
            "at": written.body_start,
            "check": _layout_check(ids, places, b""),
            "ids": json.dumps(ids),
            "places": base64.b64encode(places).decode(),
        }
        document[COPY_INDEX] = {"all": json.dumps(index, sort_keys=True, separators=(",", ":"))}
        document[COPY_LAYOUT] = layout
        spans: dict[str, tuple[int, int]] = {}
        chunks = canonical_chunks(document, spans)[0]
        if any(spans[name] != span for name, span in kinds.items()):  # cannot be: they come first
            return
        trailer = encode_entry("all", {"spans": json.dumps(spans, sort_keys=True, separators=(",", ":"))})
        chunks[-1:] = [b",\n", f' "{COPY_SPANS}": '.encode("ascii"), encoded_table([trailer]), b"\n}\n"]
        with contextlib.suppress(OSError):  # not fsynced: one not whole is not used (its checksums)
            ensure_folder(self.opened_copy.parent)  # type: ignore[union-attr]
            atomic_write(self.opened_copy, chunks, durable=False)  # type: ignore[arg-type]

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
            gone.update(self._stored_ids(key, name, tables.pop(name)))
        for name, table in data.items():
            if name in PLAIN_KINDS or name == META_TABLE:
                out[name] = table
                continue
            cached = tables.get(name)
            if cached is not None and cached[0] is table and cached[1] == len(table) and not check:
                continue
            puts = self._puts_over(cached, table)
            if puts is not None:
                self._seal_puts(key, name, puts, added, gone)
                tables[name] = (table, len(table), None)
                continue
            sealed = self._sealed_over(key, name, cached, table, check) if name != UNOPENED else None
            if sealed is None:
                sealed = dict(table) if name == UNOPENED else self._sealed_table(key, name, table, check)
            tables[name] = (table, len(table), sealed)
            before: Mapping[str, Any] = {}
            if cached is not None:  # the boxes it held (one opened lazily: its records' stored ids)
                before = (
                    cached[2] if cached[2] is not None else dict.fromkeys(self._stored_ids(key, name, cached))
                )
            added.update(
                (stored_id, held) for stored_id, held in sealed.items() if before.get(stored_id) is not held
            )
            gone.update(stored_id for stored_id in before if stored_id not in sealed)
        held_now = [entries for _, _, entries in tables.values() if entries is not None]
        changes = {stored_id: REMOVED for stored_id in gone if not any(stored_id in e for e in held_now)}
        changes.update(added)
        boxes = self._boxes.get(key.id)
        boxes = _boxes_of(held_now) if boxes is None else boxes.with_records(changes)
        if boxes.changed_count() > max(REBASE_AFTER, len(boxes) // 8):
            boxes = boxes.rebased()
        self._boxes[key.id] = boxes
        if check and not self._holds_the_records(key, dict(boxes.items()), tables):
            raise AssertionError("the sealed table's bytes are not the boxes of the records")
        out[SEALED_TABLE] = boxes
        return out

    @staticmethod
    def _puts_over(
        cached: tuple[Any, int, dict[str, Any] | None] | None, table: Any
    ) -> dict[str, Any] | None:
        """What was put in ``table`` since a table opened lazily (``cached``) it was made from."""
        if cached is None or cached[2] is not None or not isinstance(table, LazyTable):
            return None
        return table.puts_over(cached[0]) if isinstance(cached[0], LazyTable) else None

    def _seal_puts(
        self, key: FileKey, name: str, puts: Mapping[str, Any], added: dict[str, Any], gone: set[str]
    ) -> None:
        """The boxes of the records put in a table opened lazily, and those of the records taken
        out: its other records' boxes are the bytes they were."""
        for record_id, raw in puts.items():
            if raw is REMOVED:
                gone.add(key.stored_id(name, record_id))
                continue
            known = self._sealed.get((key.id, name, record_id))
            if known is not None and known[0] is raw:
                added[known[1]] = known[2]
                continue
            box = key.seal(name, record_id, raw)
            held = {"box": box.box}
            self._remember(key.id, name, record_id, raw, box.stored_id, held)
            added[box.stored_id] = held

    @staticmethod
    def _stored_ids(key: FileKey, name: str, cached: tuple[Any, int, dict[str, Any] | None]) -> list[str]:
        """The stored ids of the boxes of a table as last sealed (or opened)."""
        if cached[2] is not None:
            return list(cached[2])
        return [key.stored_id(name, record_id) for record_id in cached[0]]

    @staticmethod
    def _holds_the_records(
        key: FileKey, boxes: Mapping[str, Any], tables: Mapping[str, tuple[Any, int, dict[str, Any] | None]]
    ) -> bool:
        """Whether ``boxes`` are the boxes of the records, and nothing else: a table's boxes as it was
        sealed, and each record of a table opened lazily in a box that opens to it (one kept from a
        Kintsugi before holds it as that one sealed it): what ``KINTSUGI_CHECK_CANONICAL`` checks."""
        expected: dict[str, Any] = {}
        for name, (table, _, entries) in tables.items():
            if entries is not None:
                expected.update(entries)
            else:
                expected.update((key.stored_id(name, rid), (name, rid, raw)) for rid, raw in table.items())
        if boxes.keys() != expected.keys():
            return False
        for stored_id, wanted in expected.items():
            held = boxes[stored_id]
            if not isinstance(wanted, tuple):
                if held != wanted:
                    return False
                continue
            try:
                if key.open(stored_id, held.get("box")) != wanted:
                    return False
            except SealError:
                return False
        return True

    def _sealed_over(
        self,
        key: FileKey,
        name: str,
        cached: tuple[Any, int, dict[str, Any] | None] | None,
        table: Mapping[str, Any],
        check: bool,
    ) -> dict[str, Any] | None:
        """The boxes of a table held as a dict, sealed before (``cached``): the boxes of the records
        that are the very objects it held then are kept without looking them up one by one (a
        merge or a save hands a new dict holding the same record objects but a few). None if it
        was not sealed so before, or records were taken out of it: it is sealed whole then."""
        if cached is None or cached[2] is None or isinstance(cached[0], LazyTable):
            return None
        before, sealed = cached[0], dict(cached[2])
        for record_id, raw in table.items():
            if before.get(record_id) is raw:
                continue
            known = self._sealed.get((key.id, name, record_id))
            if known is not None and known[0] is raw:
                sealed[known[1]] = known[2]
                continue
            box = key.seal(name, record_id, raw)
            held = {"box": box.box}
            self._remember(key.id, name, record_id, raw, box.stored_id, held)
            sealed[box.stored_id] = held
        if len(sealed) != len(table):
            return None
        if check and sealed != self._sealed_table(key, name, table, check):
            raise AssertionError("a table sealed over the one before differs from it sealed whole")
        return sealed

    def _sealed_table(self, key: FileKey, name: str, table: Mapping[str, Any], check: bool) -> dict[str, Any]:
        """The boxes of one table's records, by stored id: a record known by the very object keeps its box."""
        sealed: dict[str, dict[str, Any]] = {}
        for record_id, raw in table.items():
            known = self._sealed.get((key.id, name, record_id))
            if known is not None and known[0] is raw:
                if check and key.open(known[1], known[2]["box"]) != (name, record_id, raw):
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
    body = encoded_table([encode_entry(stored_id, entries[stored_id]) for stored_id in sorted(entries)])
    table = LazyTable.from_body(body, 0, len(body), Path(SEALED_TABLE))
    assert table is not None  # laid out as canonical_json lays it out: it was just encoded so
    return table


def _as_lazy(table: Mapping[str, Any], path: Path) -> LazyTable:
    """A table as it goes into the readable copy: a record whose bytes in the copy it was read from
    are damaged written as its box holds it (``LazyTable.sound``); one held as a dict encoded."""
    if isinstance(table, LazyTable):
        return table.sound()
    body = encoded_table([encode_entry(record_id, table[record_id]) for record_id in sorted(table)])
    lazy = LazyTable.from_body(body, 0, len(body), path, parsed=dict(table))
    assert lazy is not None  # laid out as canonical_json lays it out: it was just encoded so
    return lazy


def _copy_spans(text: bytes) -> dict[str, tuple[int, int]] | None:
    """Where the readable copy's tables lie, as its last table says (each checked where it starts
    and ends: they follow one another as ``table_spans`` would find them), or as found by looking."""
    head = f'\n "{COPY_SPANS}": '.encode("ascii")
    at = text.rfind(head, max(0, len(text) - (1 << 16)))
    try:
        said = json.loads(json.loads(text[at + len(head) : len(text) - 3])["all"]["spans"]) if at > 0 else {}
        spans = {name: (int(start), int(end)) for name, (start, end) in said.items()}
        begins = [2, *(end + 2 for _, end in spans.values())]  # where each table's line starts
        if (
            spans
            and list(spans) == sorted(spans)
            and begins[-1] == at + 1  # the last table's line
            and text.endswith(b"\n}\n")
            and all(
                text.startswith(f' "{name}": '.encode("ascii"), begin)
                and begin + len(name) + 5 == start
                and text.startswith(b",\n", end)
                for (name, (start, end)), begin in zip(spans.items(), begins, strict=False)
            )
        ):
            return spans
    except (ValueError, KeyError, TypeError, AttributeError):
        pass
    return table_spans(text)


def _copy_split(copy: tuple[bytes, dict[str, tuple[int, int]], Any]) -> tuple[list[str], bytes, int] | None:
    """The ids of the sealed table the readable copy was written from, where each box lay in the
    couple's file, and where the table started in it."""
    text, spans, _ = copy
    try:
        split = json.loads(text[slice(*spans[COPY_SPLIT])])
        ids, places = json.loads(split["ids"]), base64.b64decode(split["places"])
        if _layout_check(ids, places, b"") != split["check"]:
            return None  # a split damaged would put the file's boxes where they are not
        return ids, places, int(split["at"])
    except (ValueError, KeyError, TypeError):
        return None


def _layout_check(ids: list[str], places: bytes, sums: bytes) -> int:
    """The checksum of a table's layout in the readable copy (a layout damaged is not used)."""
    return zlib.crc32("\n".join(ids).encode("utf-8", "surrogatepass"), zlib.crc32(places + sums))


def _boxes_as_copied(
    copy: tuple[bytes, dict[str, tuple[int, int]], Any], body: bytes, span: tuple[int, int], path: Path
) -> LazyTable | None:
    """The file's sealed table, split as the copy's was, if its bytes are the copy's (it is not split
    again); None if they are not, or the copy's split does not fit them."""
    text, spans, _ = copy
    start, end = spans[COPY_BOXES]
    if end - start != span[1] - span[0] or not body.startswith(memoryview(text)[start:end], span[0]):
        return None
    split = _copy_split(copy)
    return LazyTable.laid_out(body, *span, *split[:2], path, split[2]) if split is not None else None


def _copy_boxes(copy: tuple[bytes, dict[str, tuple[int, int]], Any], path: Path) -> LazyTable | None:
    """The sealed table the readable copy was written from, split as the copy says it is (a split
    that does not fit its bytes is not used)."""
    split = _copy_split(copy)
    if split is None:
        return None
    return LazyTable.laid_out(copy[0], *copy[1][COPY_BOXES], *split[:2], path, split[2])


def _index_of(text: bytes, spans: Mapping[str, tuple[int, int]]) -> dict[str, list[str]]:
    """The readable copy's index: stored id -> [kind, record id] of each box it holds a record of."""
    index = json.loads(json.loads(text[slice(*spans[COPY_INDEX])])["all"])
    if not isinstance(index, dict):
        raise ValueError("the readable copy's index is not one")
    return index


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
