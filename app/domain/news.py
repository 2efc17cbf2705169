"""What is new: the records a partner added, changed or deleted since a clock stamp."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.domain.models import RecordModel


@dataclass(frozen=True)
class News:
    """A record the partner added (``added``), changed, or deleted (``deleted``) since a clock stamp."""

    record: RecordModel
    added: bool
    deleted: bool = False

    @property
    def kind(self) -> str:
        return type(self.record).KIND


def news_since(
    records: Iterable[RecordModel], since: str, partner_id: str, deleted: Iterable[RecordModel] = ()
) -> list[News]:
    """What ``partner_id`` added or last changed after the stamp ``since``, newest first; and of
    ``deleted`` (records as they stood when deleted), those ``partner_id`` deleted after it."""
    found = []
    for record in records:
        if record.author == partner_id and record.created > since:
            found.append(News(record, added=True))
        elif record.edited_by == partner_id and record.updated > since:
            found.append(News(record, added=False))
    found += [
        News(record, added=False, deleted=True)
        for record in deleted
        if record.edited_by == partner_id and record.updated > since
    ]
    return sorted(found, key=lambda news: news.record.updated, reverse=True)
