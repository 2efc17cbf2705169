"""A sample couple, Alex and Sam, for trying Kintsugi out (``kintsugi demo``).

They are a few months into mending things after a hard year: both have
started on the steps (at their own pace), logged celebrations big and small,
written down a handful of agreements, and checked in most days. Everything
is derived from ``today`` and a fixed seed, so the same day gives the same
couple (record ids and clock stamps aside, which are always fresh).
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from app.domain.models import Agreement, CelebrationSize, StepStatus
from app.store.agreements import DEFAULT_LIST
from app.store.couple import CoupleStore
from app.store.local import LocalState

SEED = 20_240_917
CHECKIN_DAYS = 60
HARD_TIMES_LIST = "When things get hard"

# (partner, step, status): Alex reads ahead, Sam lives a step in deeper.
PROGRESS = (
    ("Alex", 1, StepStatus.INTEGRATED),
    ("Alex", 2, StepStatus.PRACTISING),
    ("Alex", 3, StepStatus.PRACTISING),
    ("Alex", 4, StepStatus.EXPLORING),
    ("Alex", 6, StepStatus.EXPLORING),
    ("Sam", 1, StepStatus.INTEGRATED),
    ("Sam", 2, StepStatus.INTEGRATED),
    ("Sam", 3, StepStatus.PRACTISING),
    ("Sam", 4, StepStatus.PRACTISING),
    ("Sam", 5, StepStatus.EXPLORING),
)

# (days ago, who logged it, title, note, step, size)
CELEBRATIONS = (
    (
        86,
        "Sam",
        "We said the hard thing out loud",
        "Sat on the back step until the tea went cold. Nobody walked off.",
        1,
        CelebrationSize.MILESTONE,
    ),
    (
        74,
        "Alex",
        "First Sunday walk in months",
        "The same loop by the river. We mostly talked about the dog, and that was fine.",
        None,
        CelebrationSize.SMALL,
    ),
    (
        63,
        "Alex",
        "Booked our first session with a couples counsellor",
        "",
        4,
        CelebrationSize.MILESTONE,
    ),
    (
        48,
        "Sam",
        "Talked about my dad without it turning into a row about us",
        "Alex just listened. It helped more than I expected.",
        2,
        CelebrationSize.SMALL,
    ),
    (
        35,
        "Sam",
        "Ten years since our first date",
        "Back at the noodle place. It has new chairs; we have a few new scars. Still us.",
        None,
        CelebrationSize.ANNIVERSARY,
    ),
    (
        22,
        "Alex",
        "Paused an argument and actually came back to it",
        "Twenty minutes apart, then we finished the conversation kindly.",
        3,
        CelebrationSize.MILESTONE,
    ),
    (
        10,
        "Sam",
        "Phones stayed in the hall at dinner all week",
        "",
        5,
        CelebrationSize.SMALL,
    ),
    (
        2,
        "Alex",
        "Laughed until we cried over the washing-up",
        "Haven't done that in a long time.",
        None,
        CelebrationSize.SMALL,
    ),
)

# (list, proposed by, text, signed by, review in days or None)
AGREEMENTS = (
    (
        DEFAULT_LIST,
        "Sam",
        "When a talk gets heated, either of us can ask for a twenty-minute pause, "
        "and whoever asked for it starts the conversation again.",
        ("Sam", "Alex"),
        None,
    ),
    (
        DEFAULT_LIST,
        "Alex",
        "Phones stay in the hall during dinner.",
        ("Alex", "Sam"),
        21,
    ),
    (
        DEFAULT_LIST,
        "Alex",
        "Before sleep, we each say one thing we appreciated about the other that day.",
        ("Alex",),
        None,
    ),
    (
        HARD_TIMES_LIST,
        "Sam",
        "No big decisions after ten at night.",
        ("Sam", "Alex"),
        None,
    ),
    (
        HARD_TIMES_LIST,
        "Alex",
        "If one of us says 'yellow light', the other listens without trying to fix anything.",
        ("Alex", "Sam"),
        None,
    ),
)

MOODS = {
    1: ("lonely", "hurt", "tired", "raw"),
    2: ("uncertain", "wistful", "tired", "fragile", "anxious"),
    3: ("calm", "curious", "hopeful", "tired", "uncertain"),
    4: ("hopeful", "content", "grateful", "relieved", "close"),
    5: ("loved", "playful", "grateful", "close", "proud"),
}

NOTES = (
    "Long day at work, but the evening was gentle.",
    "We argued about the dishes and then laughed about arguing about the dishes.",
    "Missed each other today. Texted more than usual.",
    "Counselling session. Tiring, but good tired.",
    "Quiet evening on the sofa. Nothing special, which felt special.",
    "Felt a bit on edge; said so instead of snapping.",
    "Cooked together for the first time in ages.",
    "Old hurt came up again. We didn't fix it, but we stayed.",
)


def make_demo_couple(path: Path, local: LocalState, today: dt.date) -> CoupleStore:
    """Write Alex and Sam's notebook to ``path`` (Alex is "me" in ``local``) and return its store."""
    rng = random.Random(SEED)
    store = CoupleStore(path, local)
    alex, sam = store.init("Alex", "Sam")
    ids = {"Alex": alex.id, "Sam": sam.id}

    for name, step, status in PROGRESS:
        store.set_progress(ids[name], step, status)

    for days_ago, name, title, note, step, size in CELEBRATIONS:
        day = today - dt.timedelta(days=days_ago)
        store.add_celebration(ids[name], title, note=note, day=day, step=step, size=size)

    for list_name, proposer, text, signers, review_in in AGREEMENTS:
        agreement = store.add_agreement(ids[proposer], text, list_name=list_name)
        for signer in signers:
            store.sign(agreement.id, ids[signer])
        if review_in is not None:
            review_on = today + dt.timedelta(days=review_in)
            store.update(Agreement, agreement.id, ids[proposer], review_on=review_on)

    for name, start, gain in (("Alex", 2.2, 1.7), ("Sam", 2.6, 1.4)):
        for days_ago in range(CHECKIN_DAYS - 1, -1, -1):
            if rng.random() < 0.12:  # a few days each of them forgot, or didn't feel like it
                continue
            trend = start + gain * (CHECKIN_DAYS - days_ago) / CHECKIN_DAYS
            score = min(5, max(1, round(trend + rng.uniform(-1.2, 1.2))))
            note = rng.choice(NOTES) if rng.random() < 0.15 else ""
            store.check_in(
                ids[name],
                score,
                mood=rng.choice(MOODS[score]),
                note=note,
                day=today - dt.timedelta(days=days_ago),
            )
    return store
