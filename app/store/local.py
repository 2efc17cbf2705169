"""The local file: what belongs to this machine and is never synced.

It holds this machine's replica id (for the clock), which partner "me" is for
each couple's file it has opened (keyed by the file's ``file_id``), the
entries a partner keeps private (never written to the couple's file), and the
user's preferences. It lives in the platform's user state folder
(platformdirs), or where ``KINTSUGI_LOCAL`` points, never beside the
couple's file, so a sync service never carries it to the partner.

Two Kintsugi on one machine (the app and a command, two terminals) share it,
so every change is made under a lock, to the file as it is on disk at that
moment, and written atomically: neither overwrites what the other wrote.

The replica id belongs to one machine: a home folder copied to a second
laptop (or restored onto one) brings this file along, and two machines
stamping with one replica id could stamp two different writes alike. The file
notes which machine made its replica id (``this_machine``); on another, a
new one is made.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.domain.clock import REPLICA_RE, new_replica_id
from app.store.files import Identity, atomic_write, canonical_json, ensure_folder, identity
from app.store.lock import MachineLock
from app.store.places import default_local_path
from app.store.storage import StoreError, held

_MACHINE_ID_FILES = ("/etc/machine-id", "/var/lib/dbus/machine-id")


def this_machine(local_path: Path) -> str:
    """A fingerprint of this machine, this user and where the local file lives."""
    machine = ""
    for candidate in _MACHINE_ID_FILES:
        with contextlib.suppress(OSError):
            machine = Path(candidate).read_text(encoding="ascii", errors="replace").strip()
            if machine:
                break
    if not machine:
        machine = f"{uuid.getnode():x}/{platform.node()}"
    user = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "")
    where = os.path.realpath(local_path)
    return hashlib.sha256("\0".join((machine, user, where)).encode()).hexdigest()[:16]


class LocalState:
    """This machine's own small file (see the module docstring)."""

    def __init__(self, path: Path | None = None, machine: str | None = None) -> None:
        self.path = path or default_local_path()
        self.machine = machine or this_machine(self.path)
        self._data: dict[str, Any] = {}
        self._stat: Identity | None = None
        self._lock: MachineLock | None = None
        self._fresh()

    # -- the file ------------------------------------------------------------------

    def _fresh(self) -> dict[str, Any]:
        """What the file holds now (read again only when another process changed it)."""
        try:
            found = identity(self.path.stat())
        except FileNotFoundError:
            found = None
        except OSError:
            raise self._damaged() from None
        if found != self._stat:
            self._data = self._load() if found is not None else {}
            self._stat = found
        return self._data

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            data = {}
        except (OSError, ValueError):
            raise self._damaged() from None
        if not isinstance(data, dict) or not isinstance(data.get("files", {}), dict):
            raise self._damaged()
        return data

    def _damaged(self) -> StoreError:
        return StoreError("local_damaged", path=self.path)

    def _change(self, apply: Callable[[dict[str, Any]], object]) -> None:
        """Apply one change to the file as it is now, under the lock, and save it atomically."""
        try:
            ensure_folder(self.path.parent)
            if self._lock is None:
                lock_path = self.path.with_name(self.path.name + ".lock")
                self._lock = MachineLock(lock_path)
            with held(self._lock, self.path):
                data = self._fresh()
                apply(data)
                stat = atomic_write(self.path, canonical_json(data, compact=True))
                self._stat = identity(stat)
        except OSError as error:
            self._stat = None  # read it again next time: what we hold may not be on disk
            raise StoreError("local_unwritable", path=self.path, why=error.strerror) from None

    # -- what it holds -------------------------------------------------------------

    @property
    def replica_id(self) -> str:
        """This machine's replica id; a new one if the file came from another machine."""
        data = self._fresh()
        replica, machine = data.get("replica_id"), data.get("machine")
        if isinstance(replica, str) and REPLICA_RE.match(replica) and machine == self.machine:
            return replica

        def mine(data: dict[str, Any]) -> None:
            current = data.get("replica_id")
            valid = isinstance(current, str) and REPLICA_RE.match(current)
            # A file from before machines were noted is taken to be this machine's own.
            if not valid or data.get("machine", self.machine) != self.machine:
                data["replica_id"] = new_replica_id()
            data["machine"] = self.machine

        self._change(mine)
        return self._data["replica_id"]

    def machine_keys(self) -> dict[str, str]:
        """This machine's own private keys (base64: Ed25519 to sign, X25519 to receive), made on first use,
        with their public halves (``sign_public``, ``box_public``).

        The private keys never leave this file; the public halves are published
        in the couple's file (``app.domain.machines``). They are kept here too, so
        that opening a plain file needs no cryptography (~40 ms of a cold start).
        """
        keys = self._fresh().get("keys")
        if _valid_keys(keys) and _valid_keys(keys, PUBLIC_HALVES):
            return keys

        def make(data: dict[str, Any]) -> None:
            if not _valid_keys(data.get("keys")):
                data["keys"] = _new_keys()
            elif not _valid_keys(data["keys"], PUBLIC_HALVES):  # kept by a Kintsugi before they were
                data["keys"] = {**data["keys"], **_public_halves(data["keys"])}

        self._change(make)
        return self._data["keys"]

    def _file(self, file_id: str) -> dict[str, Any]:
        entry = self._fresh().get("files", {}).get(file_id, {})
        return entry if isinstance(entry, dict) else {}

    def me(self, file_id: str) -> str | None:
        """The partner id that is "me" on this machine for that file, if known."""
        me = self._file(file_id).get("me")
        return me if isinstance(me, str) else None

    def set_me(self, file_id: str, partner_id: str) -> None:
        self._change(lambda data: _file_entry(data, file_id).__setitem__("me", partner_id))

    def knows(self, real_path: Path) -> bool:
        """True if a couple's file was opened at that path on this machine."""
        wanted = os.fsdecode(real_path)
        return any(
            isinstance(entry, dict) and entry.get("path") == wanted
            for entry in self._fresh().get("files", {}).values()
        )

    def remember_path(self, file_id: str, real_path: Path) -> None:
        """Note where that couple's file lives (so its absence later is noticed, not mistaken for a start)."""
        if self._file(file_id).get("path") != os.fsdecode(real_path):
            self._change(lambda data: _file_entry(data, file_id).__setitem__("path", os.fsdecode(real_path)))

    def private_table(self, file_id: str, kind: str) -> dict[str, Any]:
        """This machine's private records of that kind for that couple's file (never synced)."""
        private = self._file(file_id).get("private", {})
        table = private.get(kind, {}) if isinstance(private, dict) else {}
        return table if isinstance(table, dict) else {}

    def put_private(self, file_id: str, kind: str, record_id: str, raw: dict[str, Any]) -> None:
        def put(data: dict[str, Any]) -> None:
            _file_entry(data, file_id).setdefault("private", {}).setdefault(kind, {})[record_id] = raw

        self._change(put)

    def drop_private(self, file_id: str, kind: str, record_id: str) -> None:
        def drop(data: dict[str, Any]) -> None:
            _file_entry(data, file_id).get("private", {}).get(kind, {}).pop(record_id, None)

        self._change(drop)

    def keep_drafts(self, file_id: str, kind: str, record_id: str, history: dict[str, Any]) -> None:
        """Keep the wordings a private entry had before it was shared (here only, never synced)."""

        def keep(data: dict[str, Any]) -> None:
            drafts = _file_entry(data, file_id).setdefault("drafts", {}).setdefault(kind, {})
            kept = drafts.setdefault(record_id, {})
            for name, entries in history.items():
                kept.setdefault(name, {}).update(entries)

        self._change(keep)

    def preference(self, name: str, default: Any = None) -> Any:
        return self._fresh().get("preferences", {}).get(name, default)

    def set_preference(self, name: str, value: Any) -> None:
        self._change(lambda data: data.setdefault("preferences", {}).__setitem__(name, value))


PRIVATE_KEYS = ("sign", "box")
PUBLIC_HALVES = ("sign_public", "box_public")


def _valid_keys(keys: object, names: tuple[str, ...] = PRIVATE_KEYS) -> bool:
    return isinstance(keys, dict) and all(isinstance(keys.get(name), str) for name in names)


def _new_keys() -> dict[str, str]:
    import base64

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    def raw(key: Ed25519PrivateKey | X25519PrivateKey) -> str:
        return base64.b64encode(key.private_bytes_raw()).decode("ascii")

    keys = {"sign": raw(Ed25519PrivateKey.generate()), "box": raw(X25519PrivateKey.generate())}
    return {**keys, **_public_halves(keys)}


def _public_halves(keys: dict[str, str]) -> dict[str, str]:
    import base64

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    sign = Ed25519PrivateKey.from_private_bytes(base64.b64decode(keys["sign"])).public_key()
    box = X25519PrivateKey.from_private_bytes(base64.b64decode(keys["box"])).public_key()
    return {
        "sign_public": base64.b64encode(sign.public_bytes_raw()).decode("ascii"),
        "box_public": base64.b64encode(box.public_bytes_raw()).decode("ascii"),
    }


def _file_entry(data: dict[str, Any], file_id: str) -> dict[str, Any]:
    return data.setdefault("files", {}).setdefault(file_id, {})
