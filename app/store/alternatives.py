"""Text both partners wrote apart: the value that lost a merge, kept in history, offered back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.domain.models import KINDS, record_problem
from app.domain.records import is_alive, unseen_history, with_changes, with_seen
from app.store.couple_file import records_of

if TYPE_CHECKING:
    from app.store.couple import CoupleStore


@dataclass(frozen=True)
class Alternative:
    """What one partner wrote (words, a number, a choice) that lost to the other's write of the
    same field apart, kept in history."""

    kind: str
    record_id: str
    field: str
    current: Any
    stamp: str
    value: Any
    author: str
    """Whose record it is (who made it)."""


class Alternatives:
    """What a merge kept beside the winning value (mixed into ``CoupleStore``)."""

    def alternatives(self: CoupleStore) -> list[Alternative]:
        """Every field where a merge kept the other partner's value beside the winning one.

        A signature (and its proof) is kept in history too but not offered
        back: it is given again by its partner, at their machine, not restored.
        """
        found = []
        for kind, table in records_of(self._data()).items():
            if kind not in KINDS:
                continue
            for record_id, raw in table.items():
                if not isinstance(raw, dict) or record_problem(kind, record_id, raw) or not is_alive(raw):
                    continue
                for name, kept in unseen_history(raw).items():
                    if name.startswith(("signature.", "proof.")):
                        continue
                    current, author = raw["fields"].get(name), raw["author"]
                    found.extend(
                        Alternative(kind, record_id, name, current, stamp, value, author)
                        for stamp, value in kept
                    )
        return found

    def restore_alternative(self: CoupleStore, alternative: Alternative, editor: str) -> None:
        """Put the kept text back in place; the text it replaces is kept in history in turn."""
        raw = self.raw_table(alternative.kind)[alternative.record_id]
        raw = with_seen(raw, alternative.field, alternative.stamp)
        model = KINDS[alternative.kind]
        self._validated(
            model,
            {**model.from_raw(alternative.record_id, raw).model_dump(), alternative.field: alternative.value},
        )
        self._put(
            alternative.kind,
            alternative.record_id,
            with_changes(raw, {alternative.field: alternative.value}, self._tick(), editor),
        )

    def keep_current(self: CoupleStore, alternative: Alternative) -> None:
        """The couple looked at the kept text and keeps what is there now (the kept text stays in history)."""
        raw = self.raw_table(alternative.kind)[alternative.record_id]
        self._put(
            alternative.kind, alternative.record_id, with_seen(raw, alternative.field, alternative.stamp)
        )
