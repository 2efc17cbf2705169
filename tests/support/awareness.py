"""The TUI tests of steps 1 to 3 and the calm-down screen: a fixed today and a filled-in file."""

from __future__ import annotations

import datetime as dt

from app.domain.calm import RepairPhrase
from app.domain.practices.openly import CalmMoment, IStatement, ListeningTurn
from app.domain.practices.origins import Origin, Trigger
from app.domain.practices.wounds import Wound
from app.store.couple import CoupleStore

TODAY = dt.date(2026, 11, 18)  # a Wednesday


def fill_couple(store: CoupleStore) -> None:
    """What a couple a few weeks into steps 1 to 3 might hold (Alex is at this machine)."""
    alex, sam = store.partners
    store.add_entry(
        Wound,
        alex.id,
        private=True,
        what="The birthday that was forgotten",
        where="I go quiet when plans change at the last minute",
        weight=7,
        feeling="hurt",
    )
    store.add_entry(Wound, alex.id, what="Moving away from my friends", weight=4, feeling="lonely")
    store.add_entry(
        Wound, sam.id, what="Being talked over at dinner", where="I stop offering ideas", weight=5
    )
    store.add_entry(
        Origin,
        alex.id,
        private=True,
        kind="childhood",
        when="age 9",
        happened="Dad left, and the house went quiet",
        mark="I learned to keep my needs small",
        today="I apologise before I ask for anything",
    )
    store.add_entry(
        Origin,
        alex.id,
        kind="past_relationship",
        when="my twenties",
        year=2012,
        happened="A partner who read my messages",
        mark="Trust feels risky",
    )
    store.add_entry(
        Trigger,
        alex.id,
        private=True,
        trigger="A door closed hard",
        story="At home a slammed door meant days of silence",
        helps="Saying out loud that you are coming back",
    )
    store.add_entry(
        IStatement,
        alex.id,
        private=True,
        when="the dishes left in the sink",
        feeling="tired",
        need="to know we are a team",
        request="do them on weekdays",
    )
    store.add_entry(
        ListeningTurn,
        alex.id,
        speaker=alex.id,
        listener=sam.id,
        said="I miss our evenings together",
        paraphrases=["You're angry about the evenings", "You miss the time we had together"],
        confirmed=True,
        day=TODAY - dt.timedelta(days=2),
    )
    store.add_entry(
        CalmMoment,
        sam.id,
        day=TODAY + dt.timedelta(days=4),
        at="after breakfast",
        topic="Sharing the evenings",
    )
    store.add_entry(CalmMoment, alex.id, at="Sunday after our walk", topic="Money for the holiday")
    store.add_entry(RepairPhrase, sam.id, text="Can we start over, slowly?")
