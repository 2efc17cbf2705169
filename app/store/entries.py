"""Practice entries a partner may keep private: a private entry lives in this machine's local
file only, under its author; sharing one moves its current wording into the couple's file, and
taking it back leaves a tombstone there.
"""

from __future__ import annotations

import copy
import uuid
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from app.domain.models import RecordModel, fields_of
from app.domain.records import is_alive, new_record, with_changes
from app.store.errors import StoreError
from app.store.reading import M

if TYPE_CHECKING:
    from app.store.couple import CoupleStore


class PrivateEntries:
    """Entries private or shared (mixed into ``CoupleStore``)."""

    def add_entry(
        self: CoupleStore, model: type[M], author: str, *, private: bool = False, **fields: Any
    ) -> M:
        """Add a practice entry; a private one goes to this machine's local file only."""
        if not private:
            return self.create(model, author, **fields)
        record_id = str(uuid.uuid4())
        checked = self._validated(model, {**fields, "id": record_id, "author": author, "created": ""})
        raw = new_record(author, self._tick(), fields_of(checked))
        self.local.put_private(self.file_id, model.KIND, record_id, raw)
        return model.from_raw(record_id, raw)

    def is_private(self: CoupleStore, model: type[RecordModel], record_id: str) -> bool:
        return record_id in self.local.private_table(self.file_id, model.KIND)

    def private_ids(self: CoupleStore, model: type[RecordModel]) -> frozenset[str]:
        """The ids of this machine's private entries of that kind (kept in the local file only)."""
        return frozenset(self.local.private_table(self.file_id, model.KIND))

    def entries(self: CoupleStore, model: type[M], viewer: str) -> list[M]:
        """What ``viewer`` may see: the shared entries and their own private ones, oldest first."""
        found: list[M] = self.records(model)
        for record_id, raw in self.local.private_table(self.file_id, model.KIND).items():
            if raw.get("author") == viewer and is_alive(raw):
                try:
                    found.append(model.from_raw(record_id, raw))
                except (ValidationError, KeyError, TypeError):
                    continue
        return sorted(found, key=lambda entry: (entry.created, entry.id))

    def edit_entry(self: CoupleStore, model: type[M], record_id: str, editor: str, **changes: Any) -> M:
        raw = self.local.private_table(self.file_id, model.KIND).get(record_id)
        if raw is None:
            return self.update(model, record_id, editor, **changes)
        changed = self._validated(model, {**model.from_raw(record_id, raw).model_dump(), **changes})
        updated = with_changes(raw, fields_of(changed), self._tick(), editor)
        self.local.put_private(self.file_id, model.KIND, record_id, updated)
        return model.from_raw(record_id, updated)

    def delete_entry(self: CoupleStore, model: type[RecordModel], record_id: str, editor: str) -> None:
        """Delete an entry: a private one is simply gone, a shared one leaves a tombstone."""
        if self.is_private(model, record_id):
            self.local.drop_private(self.file_id, model.KIND, record_id)
        else:
            self.delete(model, record_id, editor)

    def share_entry(self: CoupleStore, model: type[M], record_id: str, editor: str) -> M:
        """Move a private entry into the couple's file, where the partner can read it.

        Only its current wording is shared: the wordings it had while private
        (its history) stay in this machine's local file, never in the couple's.
        """
        raw = self.local.private_table(self.file_id, model.KIND).get(record_id)
        if raw is None:
            raise StoreError("unknown_record", case="shared")
        self._put(model.KIND, record_id, {**raw, "history": {}})
        if raw.get("history"):
            self.local.keep_drafts(self.file_id, model.KIND, record_id, raw["history"])
        self.local.drop_private(self.file_id, model.KIND, record_id)
        return model.from_raw(record_id, raw)

    def unshare_entry(self: CoupleStore, model: type[M], record_id: str, editor: str) -> M:
        """Take a shared entry back: private to its author again, on this machine only.

        The couple's file keeps a tombstone (so the partner's copy stops showing it once it syncs)
        and the entry goes back into this machine's local file under a new id, its ``created``
        kept, so it stays in its place and can be shared again. What the partner's copy has
        already synced stays there: the tombstone hides it, it does not unsay it.
        """
        raw = self.raw_table(model.KIND).get(record_id)
        if raw is None or not is_alive(raw):
            raise StoreError("unknown_record", case="not_shared")
        if raw.get("author") != editor:
            raise StoreError("not_yours")
        private_id = str(uuid.uuid4())
        kept = copy.deepcopy(raw)
        self.local.put_private(self.file_id, model.KIND, private_id, kept)
        try:
            self.delete(model, record_id, editor)
        except StoreError:
            self.local.drop_private(self.file_id, model.KIND, private_id)
            raise
        return model.from_raw(private_id, kept)
