"""The practices' tests: a fixed today (a Wednesday) and each practice filled in as a couple a few
weeks into it might have it (Alex is at this machine): ``fill_<name>`` for the practice of that
name, ``fill_calm`` for the calm-down screen."""

from __future__ import annotations

import datetime as dt

from app.domain.calm import RepairPhrase
from app.domain.practices.kindness import CompassionBreak, KindReply
from app.domain.practices.openly import CalmMoment, IStatement, ListeningTurn
from app.domain.practices.origins import Origin, Trigger
from app.domain.practices.patterns import Boundary, Pattern, SpaceWish
from app.domain.practices.support import SessionQuestion, SupportContact, SupportSession
from app.domain.practices.trust import Commitment
from app.domain.practices.wounds import Wound
from app.store.couple import CoupleStore

TODAY = dt.date(2026, 11, 18)  # a Wednesday


def days_ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def fill_wounds(store: CoupleStore) -> None:
    """Step 1: a private wound of Alex's, a shared one, and one of Sam's."""
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


def fill_origins(store: CoupleStore) -> None:
    """Step 2: two of Alex's experiences on the timeline (one private) and a private trigger."""
    alex = store.partners[0]
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


def fill_openly(store: CoupleStore) -> None:
    """Step 3: a private I-statement, a listening turn two days ago, and two calm moments."""
    alex, sam = store.partners
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


def fill_calm(store: CoupleStore) -> None:
    """The calm-down screen: a repair phrase of Sam's."""
    sam = store.partners[1]
    store.add_entry(RepairPhrase, sam.id, text="Can we start over, slowly?")


def fill_support(store: CoupleStore) -> None:
    """Step 4: a contact each, two sessions, two questions (one asked)."""
    alex, sam = store.partners
    store.create(
        SupportContact,
        alex.id,
        name="Dr Lee Okafor",
        kind="counsellor",
        reach="020 7946 0000, or book online",
        notes="Couples work, Tuesdays and Thursdays.",
    )
    store.create(SupportContact, sam.id, name="Relate helpline", kind="helpline", reach="0300 003 0396")
    store.create(
        SupportSession,
        alex.id,
        day=days_ago(13),
        who="both",
        takeaways="We both go quiet when money comes up; naming it helps.",
        homework="Ten minutes on Sunday to look at the budget together.",
    )
    store.create(
        SupportSession,
        sam.id,
        day=days_ago(6),
        who=sam.id,
        takeaways="My fear of being left is older than us.",
    )
    asked = store.create(SessionQuestion, alex.id, text="How do we stop the same argument about money?")
    store.update(SessionQuestion, asked.id, sam.id, asked=True, asked_on=days_ago(6))
    store.create(SessionQuestion, sam.id, text="Is it normal to still feel angry after saying sorry?")


def fill_trust(store: CoupleStore) -> None:
    """Step 5: three commitments, kept over sixty days with gaps."""
    alex, sam = store.partners
    late = store.create(
        Commitment, alex.id, partner=alex.id, what="Text when I'm running late", since=days_ago(60)
    )
    phone = store.create(
        Commitment,
        sam.id,
        partner=sam.id,
        what="Put the phone away at dinner",
        frequency="weekdays",
        since=days_ago(20),
    )
    walk = store.create(
        Commitment,
        alex.id,
        partner=sam.id,
        what="A walk together",
        frequency="weekly",
        weekday=6,
        since=days_ago(40),
    )
    for offset in range(60):
        day = days_ago(offset)
        if offset % 5 != 2 and not 30 < offset < 38:
            store.toggle_kept(late.id, day, alex.id)
        if day.weekday() < 5 and offset % 3 and 0 < offset <= 20:
            store.toggle_kept(phone.id, day, sam.id)
        if day.weekday() == 6 and offset < 40 and offset != 10:
            store.toggle_kept(walk.id, day, sam.id)


def fill_kindness(store: CoupleStore) -> None:
    """Step 6: two kind replies (Sam's shared) and a self-compassion break."""
    alex, sam = store.partners
    store.add_entry(
        KindReply,
        alex.id,
        private=True,
        harsh="You always ruin the evening.",
        kind="You were tired and you snapped. That's human; you can try again.",
    )
    shared = store.add_entry(
        KindReply, sam.id, private=True, harsh="You're too needy.", kind="Needing closeness is not a flaw."
    )
    store.share_entry(KindReply, shared.id, sam.id)
    store.add_entry(CompassionBreak, alex.id, private=True, day=days_ago(2), note="I was tired, not failing.")


def fill_patterns(store: CoupleStore) -> None:
    """Step 7: a pattern, a boundary each, time for myself each."""
    alex, sam = store.partners
    store.create(
        Pattern,
        alex.id,
        trigger="Plans change at the last minute",
        old_reaction="Alex goes quiet; Sam pushes to talk it out now",
        cost="A cold evening, both of us alone",
        new_response="Say 'I need ten minutes', then come back",
    )
    store.create(Boundary, alex.id, text="An hour to myself after work", why="I listen better after.")
    store.create(Boundary, sam.id, text="No reading my messages")
    store.create(SpaceWish, alex.id, what="Climbing with friends", how_often="once a week")
    store.create(SpaceWish, sam.id, what="A long walk with a podcast", how_often="Sunday mornings")
