"""The local file: what belongs to this machine and is never synced.

It holds this machine's replica id (for the clock), which partner "me" is for
each couple's file it has opened (keyed by the file's ``file_id``), the
entries a partner keeps private (never written to the couple's file), and the
user's preferences. It lives in the platform's user state folder
(platformdirs), or where ``KINTSUGI_LOCAL`` points, never beside the
couple's file, so a sync service never carries it to the partner.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from platformdirs import user_data_path, user_state_path

from app.domain.clock import REPLICA_RE, new_replica_id
from app.store.files import atomic_write, canonical_json
from app.store.storage import StoreError

APP_NAME = "kintsugi"


def user_path(text: str) -> Path:
    """A path as the user typed it, ``~`` expanded when it can be (``~nobody`` stays as typed)."""
    try:
        return Path(text).expanduser()
    except RuntimeError:
        return Path(text)


def default_couple_path() -> Path:
    """``KINTSUGI_DB`` if set, else couple.json in the user data folder."""
    env = os.environ.get("KINTSUGI_DB")
    return user_path(env) if env else user_data_path(APP_NAME, appauthor=False) / "couple.json"


def default_local_path() -> Path:
    env = os.environ.get("KINTSUGI_LOCAL")
    return user_path(env) if env else user_state_path(APP_NAME, appauthor=False) / "local.json"


class LocalState:
    """This machine's own small file (see the module docstring)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_local_path()
        self._data: dict[str, Any] = self._load()

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            data = {}
        except (OSError, ValueError):
            raise StoreError(
                "local_damaged", f"This machine's own file {self.path} cannot be read.", path=self.path
            ) from None
        if not isinstance(data, dict) or not isinstance(data.get("files", {}), dict):
            raise StoreError(
                "local_damaged", f"This machine's own file {self.path} cannot be read.", path=self.path
            )
        return data

    def _save(self) -> None:
        try:
            atomic_write(self.path, canonical_json(self._data))
        except OSError as error:
            raise StoreError(
                "local_unwritable",
                f"This machine's own file {self.path} cannot be saved ({error.strerror}).",
                path=self.path,
            ) from None

    @property
    def replica_id(self) -> str:
        replica = self._data.get("replica_id")
        if not (isinstance(replica, str) and REPLICA_RE.match(replica)):
            replica = self._data["replica_id"] = new_replica_id()
            self._save()
        return replica

    def me(self, file_id: str) -> str | None:
        """The partner id that is "me" on this machine for that file, if known."""
        entry = self._data.get("files", {}).get(file_id, {})
        me = entry.get("me") if isinstance(entry, dict) else None
        return me if isinstance(me, str) else None

    def set_me(self, file_id: str, partner_id: str) -> None:
        self._data.setdefault("files", {}).setdefault(file_id, {})["me"] = partner_id
        self._save()

    def private_table(self, file_id: str, kind: str) -> dict[str, Any]:
        """This machine's private records of that kind for that couple's file (never synced)."""
        entry = self._data.get("files", {}).get(file_id, {})
        table = entry.get("private", {}).get(kind, {}) if isinstance(entry, dict) else {}
        return table if isinstance(table, dict) else {}

    def put_private(self, file_id: str, kind: str, record_id: str, raw: dict[str, Any]) -> None:
        files = self._data.setdefault("files", {}).setdefault(file_id, {})
        files.setdefault("private", {}).setdefault(kind, {})[record_id] = raw
        self._save()

    def drop_private(self, file_id: str, kind: str, record_id: str) -> None:
        self.private_table(file_id, kind).pop(record_id, None)
        self._save()

    def preference(self, name: str, default: Any = None) -> Any:
        return self._data.get("preferences", {}).get(name, default)

    def set_preference(self, name: str, value: Any) -> None:
        self._data.setdefault("preferences", {})[name] = value
        self._save()
