"""Shared bits for the TUI tests of steps 4 to 7: a fixed today and a filled-in file."""

from __future__ import annotations

import datetime as dt

from app.domain.practices.kindness import CompassionBreak, KindReply
from app.domain.practices.patterns import Boundary, Pattern, SpaceWish
from app.domain.practices.support import SessionQuestion, SupportContact, SupportSession
from app.domain.practices.trust import Commitment
from app.store.couple import CoupleStore

TODAY = dt.date(2026, 11, 18)  # a Wednesday


def days_ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def fill_couple(store: CoupleStore) -> None:
    """What a couple a few weeks into steps 4 to 7 might hold (Alex is at this machine)."""
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
