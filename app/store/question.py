"""The daily question, answered apart and revealed together (commit, then
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
   (``app.domain.question.answer_views``).

At one keyboard both partners' waiting answers are on the same machine;
each is only ever shown to its author until both have answered.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from app.domain.question import Answer, AnswerView, answer_views, both_answered, commitment_for, new_salt
from app.store.errors import StoreError

if TYPE_CHECKING:
    from app.store.couple import CoupleStore

WAITING_ANSWERS = "waiting_answer"
"""Where answers wait in the local file: its private table of this name, by answer id."""


class DailyQuestion:
    """Answering apart, revealing together (mixed into ``CoupleStore``)."""

    def answer_id(self: CoupleStore, partner_id: str, day: dt.date) -> str:
        return self.derived_id("answer", partner_id, day.isoformat())

    def answers_on(self: CoupleStore, day: dt.date) -> list[Answer]:
        """The answers (commitments, and words once revealed) in the couple's file for that day."""
        return [a for a in self.records(Answer) if a.day == day]

    def _waiting(self: CoupleStore) -> dict[str, Any]:
        return self.local.private_table(self.file_id, WAITING_ANSWERS)

    def waiting_words(self: CoupleStore, partner_id: str, day: dt.date) -> str | None:
        """That partner's unrevealed answer for that day, if this machine holds it."""
        held = self._waiting().get(self.answer_id(partner_id, day))
        if not isinstance(held, dict) or held.get("partner") != partner_id:
            return None
        text = held.get("text")
        return text if isinstance(text, str) else None

    def give_answer(self: CoupleStore, partner_id: str, text: str, day: dt.date | None = None) -> Answer:
        """Answer (or change one's answer to) a day's question, keeping the words hidden.

        The words and salt go to this machine's local file; the couple's file gets
        the commitment only. Once both partners have answered, the answers are kept
        as given (StoreError).
        """
        self.partner(partner_id)
        day = day or dt.date.today()
        text = text.strip()
        if not text:
            raise StoreError("empty_text", case="answer")
        partner_ids = [p.id for p in self.partners]
        if both_answered(self.answers_on(day), day, partner_ids):
            raise StoreError("answers_revealed")
        salt = new_salt()
        commitment = commitment_for(salt, text)
        record_id = self.answer_id(partner_id, day)
        # The words first: if the local file cannot be written, nothing reaches the couple's file.
        held = {
            "partner": partner_id,
            "day": day.isoformat(),
            "text": text,
            "salt": salt,
            "commitment": commitment,
        }
        self.local.put_private(self.file_id, WAITING_ANSWERS, record_id, held)
        return self.create(
            Answer,
            partner_id,
            record_id,
            partner=partner_id,
            day=day,
            commitment=commitment,
            text="",
            salt="",
        )

    def publish_answers(self: CoupleStore) -> list[Answer]:
        """Reveal the answers waiting on this machine whose day both partners have answered.

        Returns the answers it revealed. An answer whose record is gone, or now
        holds another commitment (its author changed it elsewhere), can never be
        revealed from here and is forgotten.
        """
        waiting = self._waiting()
        if not waiting:
            return []
        partner_ids = [p.id for p in self.partners]
        published = []
        for record_id, held in list(waiting.items()):
            answer = self.get(Answer, record_id)
            if answer is None:
                continue  # not readable in the couple's file (yet): keep the words
            stale = not isinstance(held, dict) or answer.commitment != held.get("commitment")
            if stale or answer.matches:  # changed elsewhere, or already revealed
                self.local.drop_private(self.file_id, WAITING_ANSWERS, record_id)
                continue
            if not both_answered(self.answers_on(answer.day), answer.day, partner_ids):
                continue
            revealed = self.update(Answer, record_id, answer.partner, text=held["text"], salt=held["salt"])
            published.append(revealed)
            if not self.unsaved:
                self.local.drop_private(self.file_id, WAITING_ANSWERS, record_id)
        return published

    def day_answers(self: CoupleStore, day: dt.date, viewer: str) -> dict[str, AnswerView]:
        """What ``viewer`` may see of each partner's answer on that day (partner id -> view)."""
        partner_ids = [p.id for p in self.partners]
        return answer_views(self.answers_on(day), day, partner_ids, viewer, self.waiting_words(viewer, day))

    def answered_days(self: CoupleStore) -> list[dt.date]:
        """The days anyone answered, newest first."""
        return sorted({a.day for a in self.records(Answer)}, reverse=True)
