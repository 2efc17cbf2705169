"""Reads and writes for what the two of you do together, over a ``CoupleStore``.

The daily question is answered apart and revealed together (commit, then
reveal; docs/SYNC.md says it for other tools):

1. ``give_answer`` keeps the words and a fresh salt in the author's local
   file (never synced) and puts only ``commitment = sha256(salt + words)``
   into the couple's file, in an ``answer`` record whose id derives from
   the partner and the day.
2. ``publish_answers`` is run whenever an app reads the file (the TUI runs
   it on open and after every change; a CLI or watcher can run it too):
   for each answer waiting in this machine's local file whose day now has
   both partners' commitments, it writes the words and the salt into the
   record, and forgets the local copy.
3. Readers check revealed words against their commitment
   (``app.domain.together.answer_views``).

At one keyboard both partners' waiting answers are on the same machine;
each is only ever shown to its author until both have answered.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.domain.models import Celebration, CelebrationSize
from app.domain.practices.celebrate import SharedGoal
from app.domain.question import Answer, AnswerView, answer_views, both_answered, commitment_for, new_salt
from app.domain.repair import Repair, half_changes
from app.store.couple import CoupleStore
from app.store.storage import StoreError

WAITING_ANSWERS = "waiting_answer"
"""Where answers wait in the local file: its private table of this name, by answer id."""
GOAL_CELEBRATION_STEP = 9
"""Celebrations of shared goals belong to step 9, "Celebrate every step forward"."""


# -- the daily question ---------------------------------------------------------------------


def answer_id(store: CoupleStore, partner_id: str, day: dt.date) -> str:
    return store.derived_id("answer", partner_id, day.isoformat())


def answers_on(store: CoupleStore, day: dt.date) -> list[Answer]:
    """The answers (commitments, and words once revealed) in the couple's file for that day."""
    return [a for a in store.records(Answer) if a.day == day]


def _waiting(store: CoupleStore) -> dict[str, Any]:
    return store.local.private_table(store.file_id, WAITING_ANSWERS)


def waiting_words(store: CoupleStore, partner_id: str, day: dt.date) -> str | None:
    """That partner's unrevealed answer for that day, if this machine holds it."""
    held = _waiting(store).get(answer_id(store, partner_id, day))
    if not isinstance(held, dict) or held.get("partner") != partner_id:
        return None
    text = held.get("text")
    return text if isinstance(text, str) else None


def give_answer(store: CoupleStore, partner_id: str, text: str, day: dt.date | None = None) -> Answer:
    """Answer (or change one's answer to) a day's question, keeping the words hidden.

    The words and salt go to this machine's local file; the couple's file gets
    the commitment only. Once both partners have answered, the answers are kept
    as given (StoreError).
    """
    store.partner(partner_id)
    day = day or dt.date.today()
    text = text.strip()
    if not text:
        raise StoreError("empty_text", case="answer")
    partner_ids = [p.id for p in store.partners]
    if both_answered(answers_on(store, day), day, partner_ids):
        raise StoreError("answers_revealed")
    salt = new_salt()
    commitment = commitment_for(salt, text)
    record_id = answer_id(store, partner_id, day)
    # The words first: if the local file cannot be written, nothing reaches the couple's file.
    held = {
        "partner": partner_id,
        "day": day.isoformat(),
        "text": text,
        "salt": salt,
        "commitment": commitment,
    }
    store.local.put_private(store.file_id, WAITING_ANSWERS, record_id, held)
    return store.create(
        Answer, partner_id, record_id, partner=partner_id, day=day, commitment=commitment, text="", salt=""
    )


def publish_answers(store: CoupleStore) -> list[Answer]:
    """Reveal the answers waiting on this machine whose day both partners have answered.

    Returns the answers it revealed. An answer whose record is gone, or now
    holds another commitment (its author changed it elsewhere), can never be
    revealed from here and is forgotten.
    """
    waiting = _waiting(store)
    if not waiting:
        return []
    partner_ids = [p.id for p in store.partners]
    published = []
    for record_id, held in list(waiting.items()):
        answer = store.get(Answer, record_id)
        if answer is None:
            continue  # not readable in the couple's file (yet): keep the words
        stale = not isinstance(held, dict) or answer.commitment != held.get("commitment")
        if stale or answer.matches:  # changed elsewhere, or already revealed
            store.local.drop_private(store.file_id, WAITING_ANSWERS, record_id)
            continue
        if not both_answered(answers_on(store, answer.day), answer.day, partner_ids):
            continue
        revealed = store.update(Answer, record_id, answer.partner, text=held["text"], salt=held["salt"])
        published.append(revealed)
        if not store.unsaved:
            store.local.drop_private(store.file_id, WAITING_ANSWERS, record_id)
    return published


def day_answers(store: CoupleStore, day: dt.date, viewer: str) -> dict[str, AnswerView]:
    """What ``viewer`` may see of each partner's answer on that day (partner id -> view)."""
    partner_ids = [p.id for p in store.partners]
    return answer_views(answers_on(store, day), day, partner_ids, viewer, waiting_words(store, viewer, day))


def answered_days(store: CoupleStore) -> list[dt.date]:
    """The days anyone answered, newest first."""
    return sorted({a.day for a in store.records(Answer)}, reverse=True)


# -- shared goals ---------------------------------------------------------------------------


def celebrate_goal(store: CoupleStore, author: str, goal_id: str) -> Celebration:
    """Log a done shared goal as a celebration (only when a partner accepted the offer)."""
    goal = store.get(SharedGoal, goal_id)
    if goal is None:
        raise StoreError("unknown_record", case="goal")
    return store.add_celebration(
        author,
        goal.what,
        day=goal.done_on or dt.date.today(),
        step=GOAL_CELEBRATION_STEP,
        size=CelebrationSize.SMALL,
    )


# -- repair conversations -------------------------------------------------------------------


def save_half(
    store: CoupleStore,
    partner_id: str,
    half: dict[str, str],
    *,
    repair_id: str | None = None,
    about: str | None = None,
    day: dt.date | None = None,
) -> Repair:
    """Write ``partner_id``'s whole half of a repair (the other half is left as it is).

    Without ``repair_id`` a new repair conversation starts, about ``about``.
    Each part is one entry of a map keyed by partner id, so halves written
    on two machines merge; an empty part is taken out of the map.
    """
    store.partner(partner_id)
    if repair_id is None:
        changes = half_changes(None, partner_id, half)
        return store.create(Repair, partner_id, about=about or "", day=day or dt.date.today(), **changes)
    repair = store.get(Repair, repair_id)
    if repair is None:
        raise StoreError("unknown_record", case="repair")
    fields: dict[str, Any] = half_changes(repair, partner_id, half)
    if about is not None:
        fields["about"] = about
    if day is not None:
        fields["day"] = day
    return store.update(Repair, repair_id, partner_id, **fields)
