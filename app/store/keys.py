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
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.domain.machines import machine_id_of
from app.store.files import (
    META_DOC,
    META_TABLE,
)
from app.store.keys_copy import KeepsAReadableCopy
from app.store.keys_opening import OpensBoxes
from app.store.keys_sealing import SealsRecords
from app.store.lazy import LazyTable
from app.store.sealing import (
    KEY_KIND,
    RECOVERY,
    SCHEME,
    SCHEMES,
    SEALED_FORMAT,
    FileKey,
    SealError,
    unwrap_for_machine,
    unwrap_with_code,
)

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    from app.store.local import LocalState

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


class Keyring(OpensBoxes, SealsRecords, KeepsAReadableCopy):
    """This machine's keys and what they open (see the module docstring): opening is ``OpensBoxes``
    (``app.store.keys_opening``), sealing ``SealsRecords`` (``keys_sealing``), and the readable copy
    ``KeepsAReadableCopy`` (``keys_copy``)."""

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

    def _remember(
        self, key_id: str, kind: str, record_id: str, raw: Any, stored_id: str, held: dict[str, Any]
    ) -> None:
        """What a box opened to, or was sealed from. A record is known by the very object: the
        store never changes one in place (``CoupleStore._put`` writes a new one)."""
        self._opened[stored_id] = (held["box"], kind, record_id, raw, held)
        self._sealed[(key_id, kind, record_id)] = (raw, stored_id, held)


def sealed_meta(meta: Mapping[str, Any], file_key: FileKey) -> dict[str, Any]:
    """The ``_meta`` of a file sealed with ``file_key``."""
    file_doc = dict(meta.get(META_DOC, {}))
    file_doc["schema_version"] = SEALED_FORMAT
    file_doc["sealing"] = {"scheme": SCHEME, "key": file_key.id}
    return {**meta, META_DOC: file_doc}
