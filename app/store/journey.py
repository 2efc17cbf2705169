"""The journey's reads and writes over a ``CoupleStore``: reactions to celebrations, the
suggestions offered and let pass, weekly meetings, and what this machine has already seen
(a celebration itself, from a suggestion or not, is ``CoupleStore.add_celebration``).

Two things live in this machine's local file, never in the couple's file:
the suggestions let pass here, and the newest clock stamp the dashboard has
shown ("new from Sam since you last looked" is what came after it). Both are
kept per couple's file (by its ``file_id``) under the ``journey`` preference.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from app.domain.meeting import Meeting
from app.domain.models import (
    Agreement,
    Celebration,
    CheckIn,
    Progress,
    RecordModel,
)
from app.domain.news import News, news_since
from app.domain.suggestions import Suggestion, suggestions
from app.store.couple import CoupleStore
from app.store.storage import StoreError
from app.store.support import commitments, kept_days

REACTION_MAX = 280
NEWS_KINDS: tuple[type[RecordModel], ...] = (Celebration, Agreement, CheckIn, Progress, Meeting)
"""The kinds of record "new since you last looked" tells about."""
_PREFERENCE = "journey"


# -- celebrations ------------------------------------------------------------------------------


def react(store: CoupleStore, celebration_id: str, partner_id: str, text: str) -> Celebration:
    """Set that partner's reaction to a celebration (empty text takes it away)."""
    celebration = store.get(Celebration, celebration_id)
    if celebration is None:
        raise StoreError("unknown_record", case="id", kind="celebration", id=celebration_id[:12])
    store.partner(partner_id)
    text = " ".join(text.split())
    if len(text) > REACTION_MAX:
        raise StoreError("too_long", limit=REACTION_MAX)
    reactions = {p: words for p, words in celebration.reactions.items() if p != partner_id}
    if text:
        reactions[partner_id] = text
    return store.update(Celebration, celebration_id, partner_id, reactions=reactions)


# -- meetings ----------------------------------------------------------------------------------


def hold_meeting(
    store: CoupleStore,
    author: str,
    *,
    day: dt.date,
    appreciations: Mapping[str, str],
    went_well: str = "",
    issue: str = "",
    issue_notes: str = "",
    needs: Mapping[str, str],
    agreement: str = "",
) -> Meeting:
    """Save a weekly meeting as one record; a new agreement is proposed on the agreements list."""
    store.partner(author)
    fields: dict[str, Any] = {
        "day": day,
        "appreciations": {p: t.strip() for p, t in appreciations.items() if t.strip()},
        "went_well": went_well.strip(),
        "issue": issue.strip(),
        "issue_notes": issue_notes.strip(),
        "needs": {p: t.strip() for p, t in needs.items() if t.strip()},
    }
    try:
        checked = Meeting.model_validate({**fields, "id": "-", "author": author, "created": ""})
    except ValidationError:
        raise StoreError("invalid", case="meeting") from None
    if checked.is_empty and not agreement.strip():
        raise StoreError("empty_meeting")
    if agreement.strip():
        fields["agreement_id"] = store.add_agreement(author, agreement).id
    return store.create(Meeting, author, **fields)


def meetings(store: CoupleStore) -> list[Meeting]:
    """Newest first."""
    return sorted(store.records(Meeting), key=lambda m: (m.day, m.created), reverse=True)


# -- what this machine has seen -----------------------------------------------------------------


def _journey_state(store: CoupleStore) -> dict[str, Any]:
    """This couple's file's entry in the local ``journey`` preference (a copy)."""
    held = store.local.preference(_PREFERENCE, {})
    entry = held.get(store.file_id) if isinstance(held, dict) else None
    return dict(entry) if isinstance(entry, dict) else {}


def _save_journey_state(store: CoupleStore, entry: dict[str, Any]) -> None:
    held = store.local.preference(_PREFERENCE, {})
    held = dict(held) if isinstance(held, dict) else {}
    held[store.file_id] = entry
    store.local.set_preference(_PREFERENCE, held)


def dismissed_suggestions(store: CoupleStore) -> frozenset[str]:
    keys = _journey_state(store).get("dismissed", [])
    return frozenset(k for k in keys if isinstance(k, str)) if isinstance(keys, list) else frozenset()


def dismiss_suggestion(store: CoupleStore, key: str) -> None:
    """Never offer that moment again on this machine."""
    entry = _journey_state(store)
    keys = sorted(dismissed_suggestions(store) | {key})
    entry["dismissed"] = keys
    _save_journey_state(store, entry)


def open_suggestions(store: CoupleStore, today: dt.date) -> list[Suggestion]:
    """The moments worth offering now, newest first (see ``app.domain.journey.suggestions``)."""
    partner_ids = [p.id for p in store.partners]
    days = kept_days(store)
    return suggestions(
        store.records(Progress),
        store.agreements(),
        store.records(Celebration),
        partner_ids,
        today,
        commitments=[(c, frozenset(days.get(c.id, ()))) for c in commitments(store)],
        dismissed=dismissed_suggestions(store),
    )


def newest_stamp(store: CoupleStore) -> str:
    """The newest clock stamp anywhere in the couple's file ("" for a file with no records)."""
    return store.newest_stamp() or ""


def last_seen(store: CoupleStore) -> str | None:
    """The newest stamp this machine's dashboard has shown, or None if it never has."""
    stamp = _journey_state(store).get("last_seen")
    return stamp if isinstance(stamp, str) else None


def mark_seen(store: CoupleStore, stamp: str) -> None:
    """Remember that this machine has shown everything up to ``stamp`` (never goes back)."""
    entry = _journey_state(store)
    held = entry.get("last_seen")
    if isinstance(held, str) and held >= stamp:
        return
    entry["last_seen"] = stamp
    _save_journey_state(store, entry)


def news_from(store: CoupleStore, partner_id: str, since: str) -> list[News]:
    """What ``partner_id`` added, changed or deleted in the file after ``since``, newest first
    (of what was deleted, the agreements: what the two of you agreed to is not undone unseen)."""
    found: list[RecordModel] = [
        record for model in NEWS_KINDS for record in store.changed_since(model, since)
    ]
    return news_since(found, since, partner_id, deleted=store.deleted_since(Agreement, since))
