"""A seeded couple's file of any size, exactly as Kintsugi would write it.

``make_file(path, n)`` writes ``n`` records of every kind: the two partners,
their progress on the nine steps, a few agreement lists, agreements (signed
by both, some reworded later with the old text in history and signed again,
a few retired), celebrations (some with a reaction from the other partner,
a few deleted) and check-ins, one per partner per day going back in time.
Each partner writes through their own ``HybridClock`` with a fake wall clock
that moves forward day by day, records are built with the real envelope
(``new_record`` / ``with_changes``) from validated models, and the file is
written with ``canonical_json`` and ``atomic_write``: byte for byte what the
app would write. The local file for "me" (the first partner) goes beside it.

``diverged_replicas`` then makes two copies of such a file that were edited
apart (edits and new records on both sides), for the merge benchmark.
"""

from __future__ import annotations

import datetime as dt
import heapq
import json
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.domain import question, repair
from app.domain.clock import HybridClock
from app.domain.models import (
    KINDS,
    SCHEMA_VERSION,
    Agreement,
    AgreementList,
    Celebration,
    CelebrationSize,
    CheckIn,
    Partner,
    Progress,
    RecordModel,
    StepStatus,
    fields_of,
    wording_key,
)
from app.domain.practices import celebrate, origins, present, support, trust
from app.domain.records import RawRecord, new_record, tombstoned, with_changes
from app.store.files import META_DOC, META_TABLE, atomic_write, canonical_json

GENERATOR_VERSION = 3  # bump when the files it makes change, so cached ones are remade
DATA_DIR = Path(__file__).resolve().parent / ".data"
LAST_DAY = dt.date(2026, 11, 1)  # fixed, so a seed always makes the same file
DAY_MS = 86_400_000

Data = dict[str, dict[str, Any]]

NAMES = ("Alex", "Sam", "Robin", "Jo", "Kit", "Noor", "Ari", "Lee")
MOODS = ("hopeful", "tired", "calm", "tender", "frayed", "steady", "light", "raw", "grateful", "")
OPENERS = (
    "Talked through",
    "Made it past",
    "Laughed about",
    "Stayed kind during",
    "Planned",
    "Finally finished",
    "Said sorry for",
    "Took a break from",
    "Cooked together after",
    "Walked home after",
)
SUBJECTS = (
    "the money conversation",
    "the visit to your parents",
    "a long Monday",
    "the broken dishwasher",
    "our first counselling session",
    "the weekend away",
    "the argument about the car",
    "a quiet evening with no phones",
    "the school run chaos",
    "the birthday we nearly forgot",
)
NOTE_BITS = (
    "Nobody raised their voice.",
    "We both asked for a pause and took it.",
    "It took two tries, but we got there.",
    "Tea on the back step, like we used to.",
    "I noticed you listening, really listening.",
    "Small, but it felt like the old us.",
    "We wrote down what we each needed first.",
    "Ended with a long hug in the hallway.",
    "The kids noticed we were laughing.",
    "Neither of us checked out halfway through.",
)
AGREEMENT_TEXTS = (
    "We take a twenty-minute pause when voices rise, and whoever asked for it starts again",
    "Money talks happen on Sunday mornings, never late at night",
    "We each get one evening a week that is entirely our own",
    "Phones stay out of the bedroom",
    "We say what we need before we say what went wrong",
    "Visits to family are agreed a week ahead, with an end time",
    "We check in before making plans that involve the other",
    "A hard conversation starts with one thing that went well",
    "We name it when we feel defensive instead of acting on it",
    "Chores are split by the list on the fridge, reviewed monthly",
)
WHYS = (
    "",
    "Because the late-night talks always went badly.",
    "So neither of us feels ambushed.",
    "We both said we felt unheard last spring.",
    "It worked on holiday and we want to keep it.",
)
LIST_NAMES = (
    "Our agreements",
    "How we argue",
    "Money",
    "Family and friends",
    "Home",
    "Time for ourselves",
    "Intimacy",
    "Parenting",
)

# What ten years of daily use puts in the couple's file, as shares of the records that are not
# partners, progress or lists: the check-ins (two a day) take what the others leave, about 40%.
# Every kind the file can hold is there; a kind with a share too small for the size gets one record.
SHARES: tuple[tuple[str, float], ...] = (
    ("answer", 0.22),  # the daily question, both partners, on most days
    ("celebration", 0.10),
    ("commitment_kept", 0.08),
    ("present_moment", 0.05),
    ("agreement", 0.03),
    ("meeting", 0.025),  # the weekly talk
    ("listening_turn", 0.015),
    ("support_session", 0.01),
    ("session_question", 0.01),
    ("calm_moment", 0.01),
    ("i_statement", 0.008),  # shared ones: the TUI keeps them private until shared
    ("repair", 0.005),
    ("grounding", 0.004),
    ("kind_reply", 0.004),
    ("origin", 0.004),
    ("trigger", 0.003),
    ("wound", 0.003),
    ("shared_goal", 0.003),
    ("commitment", 0.002),
    ("pattern", 0.002),
    ("boundary", 0.002),
    ("space_wish", 0.002),
    ("repair_phrase", 0.001),
    ("support_contact", 0.0005),
)
# "Me"'s private entries, in the local file (not counted in the file's records): compassion
# breaks are always private, the others are the ones never shared. Shares of the same base.
PRIVATE_SHARES: tuple[tuple[str, float], ...] = (
    ("compassion_break", 0.02),
    ("grounding", 0.01),
    ("kind_reply", 0.006),
    ("i_statement", 0.006),
    ("wound", 0.003),
    ("origin", 0.003),
    ("trigger", 0.002),
)
ANSWERS = (
    "The walk by the river, the first spring we met.",
    "When you made soup the week I was ill.",
    "Honestly, today. It was a good, quiet day.",
    "That you still ask how my mum is doing.",
    "Dancing badly in the kitchen.",
)
COMMITMENTS = (
    "Text when I'm running late",
    "Ask about your day before talking about mine",
    "Put the phone in the drawer at dinner",
    "Say one thing I appreciated before bed",
)
TIMES = ("19:30", "Sunday after breakfast", "after the kids are asleep", "")
FEELINGS = ("hurt", "lonely", "anxious", "relieved", "hopeful", "ashamed", "tender", "angry", "tired", "safe")
PLACES = ("at dinner", "in the car", "at your parents'", "at bedtime", "on the phone", "in front of the kids")
NEEDS = (
    "to feel that we are on the same side",
    "a little warning before plans change",
    "to be asked, not told",
    "time to finish my sentence",
    "some quiet after work before we talk",
    "to know the money is not a secret",
)
REQUESTS = (  # what follows "Would you be willing to" in an I-statement
    "tell me when you are running late",
    "sit down with me on Sunday and look at it together",
    "put the phone away while we eat",
    "say it to me first, before your sister",
    "hold my hand when we go in",
)
LINES = (
    "Steam from the kettle and the rain on the window.",
    "Your laugh from the other room.",
    "The dog asleep across both our feet.",
    "Warm bread, cold butter, nobody in a hurry.",
    "Walking the long way round because the light was nice.",
    "Sat on the step until the street lamps came on.",
    "The smell of cut grass on the way to the bus.",
)
SENSE_WORDS = (
    "the clock",
    "a blue mug",
    "wool on my sleeve",
    "traffic far off",
    "coffee",
    "toothpaste",
    "rain",
)
HARSH = (
    "I always ruin things.",
    "I should be over this by now.",
    "Nobody would put up with me for long.",
    "I said the wrong thing again, like I always do.",
)
KIND_WORDS = (
    "You are learning something hard, and you are still here.",
    "One bad evening is not the whole of you.",
    "You noticed it and said sorry. That counts.",
)
PATTERN_PARTS = (
    (
        "one of us comes home late without a message",
        "silence, then sarcasm",
        "a cold evening",
        "a text, and a hug",
    ),
    (
        "money comes up after ten at night",
        "we both dig in",
        "no sleep, no answer",
        "we write it down for Sunday",
    ),
    (
        "a family visit is planned",
        "I agree, then resent it",
        "we fight in the car",
        "we agree an end time first",
    ),
)
BOUNDARIES = (
    "I need an hour alone after a long shift",
    "No shouting, even when we are angry",
    "My journal is mine",
)
SPACE_WISHES = (("a long run on my own", "twice a week"), ("an evening with my old friends", "once a month"))
GOALS = (
    "Walk the coast path",
    "Learn to cook a curry from scratch",
    "Volunteer at the food bank",
    "Sunday pancakes",
)
QUESTIONS = (
    "Why do we always fight about the same thing?",
    "How do we talk about the affair without starting over every time?",
    "What do we do when one of us needs space and the other needs closeness?",
    "How do I stop checking your phone?",
)


def cached_file(n_records: int, seed: int = 7, *, agreements: int | None = None) -> Path:
    """The generated file for (n, seed) under bench/.data/, made the first time it is asked for.

    ``agreements``: a variant holding that many agreements (``make_file``), cached under its own
    name; the default files, and so every other figure's data, are not touched by it.
    """
    variant = "" if agreements is None else f"-a{agreements}"
    path = DATA_DIR / f"couple-v{GENERATOR_VERSION}-n{n_records}-s{seed}{variant}.json"
    if not path.exists() or not local_path_for(path).exists():
        make_file(path, n_records, seed, agreements=agreements)
    return path


def local_path_for(path: Path) -> Path:
    """Where ``make_file`` writes the local file for "me" (beside the couple's file, for benchmarks only)."""
    return path.with_name(path.stem + ".local.json")


def make_file(path: Path, n_records: int, seed: int = 7, *, agreements: int | None = None) -> None:
    """Write a couple's file of exactly ``n_records`` records (see the module docstring).

    ``agreements``: that many agreements instead of their share (``SHARES``), the check-ins
    taking what is left, as ever (for the agreements screen's figure: ~2k at 10k records).
    """
    couple = _Couple(random.Random(seed))
    couple.build(n_records, agreements=agreements)
    assert couple.count() == n_records, (couple.count(), n_records)
    atomic_write(path, canonical_json(couple.data))
    mine = {"me": couple.partner_ids[0], "private": couple.private}
    local = {"replica_id": couple.replicas[0], "files": {couple.file_id: mine}}
    atomic_write(local_path_for(path), canonical_json(local))


def diverged_replicas(path: Path, fraction: float = 0.05, seed: int = 7) -> tuple[Data, Data]:
    """Two copies of the file at ``path``, each changed apart in ``fraction`` of its records.

    Each side edits existing records (a fifth of them the same records as the
    other side, so text conflicts occur) and adds new ones (celebrations and
    its partner's check-ins for the days after the file's last day), through
    its own partner's clock. Both copies are parsed separately from the file,
    as two machines would, so they share no objects.
    """
    text = path.read_text(encoding="utf-8")
    return diverge((json.loads(text), json.loads(text)), fraction, seed)


def diverge(copies: tuple[Data, Data], fraction: float = 0.05, seed: int = 7) -> tuple[Data, Data]:
    """``diverged_replicas`` on two equal copies the caller parsed (or opened) itself, which share
    no objects. The copies' tables are changed in place (a record that changes is replaced by a
    new one): encode or seal them afresh, not with a cache that knows a table by its object."""
    rng = random.Random(seed * 1_000_003 + 11)
    base = copies[0]
    n = sum(len(table) for name, table in base.items() if name != META_TABLE)
    changes = max(2, round(n * fraction))
    edits = changes * 3 // 5
    editable = [
        (kind, record_id)
        for kind in ("celebration", "agreement", "checkin", "progress")
        for record_id in sorted(base.get(kind, {}))
    ]
    shared = rng.sample(editable, edits // 5)
    partner_ids = sorted(base["partner"], key=lambda pid: (base["partner"][pid]["created"], pid))
    latest = max(max(raw["stamps"].values()) for table in records_of(base).values() for raw in table.values())
    start_ms = int(latest.split("-")[0]) + DAY_MS
    for side, data in enumerate(copies):
        me = partner_ids[side]
        clock = _FakeClock(start_ms, _replica_of(base, me))
        own = rng.sample([ref for ref in editable if ref not in shared], edits - len(shared))
        for kind, record_id in [*shared, *own]:
            clock.advance(rng.randrange(60_000, 3_600_000))
            raw = data[kind][record_id]
            data[kind][record_id] = with_changes(raw, _edit(kind, raw, rng, side), clock.tick(), me)
        file_id = data[META_TABLE][META_DOC]["file_id"]
        for number in range(changes - edits):
            clock.advance(rng.randrange(60_000, 3_600_000))
            if number % 2:
                day = LAST_DAY + dt.timedelta(days=1 + number // 2)
                record_id = _derived(file_id, "checkin", me, day.isoformat())
                model: RecordModel = CheckIn(
                    id=record_id, author=me, created="", partner=me, day=day, connection=rng.randint(1, 5)
                )
            else:
                record_id = _uuid(rng)
                model = Celebration(id=record_id, author=me, created="", **_celebration(rng, None))
            data.setdefault(model.KIND, {})[record_id] = new_record(me, clock.tick(), fields_of(model))
    return copies


def records_of(data: Data) -> Data:
    return {name: table for name, table in data.items() if name != META_TABLE}


def _replica_of(data: Data, partner_id: str) -> str:
    """The replica id in that partner's check-in stamps (each check-in is made on its partner's machine)."""
    raw = next(raw for raw in data["checkin"].values() if raw["author"] == partner_id)
    return raw["created"].split("-")[2]


def _edit(kind: str, raw: RawRecord, rng: random.Random, side: int) -> dict[str, Any]:
    fields = raw["fields"]
    if kind == "celebration":
        return {"note": f"{fields['note']} {rng.choice(NOTE_BITS)} ({'ab'[side]})".strip()}
    if kind == "agreement":
        return {"text": f"{fields['text']}, as we said again ({'ab'[side]})"}
    if kind == "checkin":
        return {"mood": rng.choice(MOODS), "note": f"Looking back: {rng.choice(NOTE_BITS)} ({'ab'[side]})"}
    statuses = [s.value for s in StepStatus if s.value != fields["status"]]
    return {"status": rng.choice(statuses)}


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _derived(file_id: str, *parts: object) -> str:
    """Same as CoupleStore.derived_id."""
    return str(uuid.uuid5(uuid.UUID(file_id), "/".join(str(part) for part in parts)))


def _celebration(rng: random.Random, day: dt.date | None) -> dict[str, Any]:
    note = " ".join(rng.sample(NOTE_BITS, rng.choice((0, 0, 1, 1, 2, 3))))
    return {
        "title": f"{rng.choice(OPENERS)} {rng.choice(SUBJECTS)}",
        "note": note,
        "day": day or LAST_DAY,
        "step": rng.choice((None, None, *range(1, 10))),
        "size": rng.choices(list(CelebrationSize), weights=(85, 12, 3))[0],
    }


class _FakeClock(HybridClock):
    """A partner's clock whose wall time the generator moves forward."""

    def __init__(self, start_ms: int, replica: str) -> None:
        self.now = start_ms
        super().__init__(replica, now_ms=lambda: self.now)

    def advance(self, ms: int) -> None:
        self.now += ms


@dataclass(order=True)
class _Event:
    day: int
    seq: int
    action: Callable[[], None] = field(compare=False)


class _Couple:
    """Builds the records day by day, oldest first, so every stamp is later than the last."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.file_id = _uuid(rng)
        self.replicas = [f"{rng.getrandbits(48):012x}" for _ in range(2)]
        self.partner_ids = [_uuid(rng) for _ in range(2)]
        meta = {"file_id": self.file_id, "schema_version": SCHEMA_VERSION}
        self.data: Data = {META_TABLE: {META_DOC: meta}}
        self.private: Data = {}  # "me"'s private entries, for the local file
        self.clocks: list[_FakeClock] = []
        self.events: list[_Event] = []
        self.seq = 0
        self.first_day = LAST_DAY

    def count(self) -> int:
        return sum(len(table) for name, table in self.data.items() if name != META_TABLE)

    # -- the plan ---------------------------------------------------------------------

    def build(self, n: int, agreements: int | None = None) -> None:
        if n < 60:
            raise ValueError("a generated file needs at least 60 records")
        rng = self.rng
        n_progress = min(18, (n - 2) // 10)
        n_lists = min(len(LIST_NAMES), 1 + n // 8000)
        rest = n - 2 - n_progress - n_lists
        counts = {kind: max(1, round(rest * share)) for kind, share in SHARES}
        if agreements is not None:
            counts["agreement"] = max(1, agreements)
        counts["answer"] = max(2, counts["answer"] // 2 * 2)  # both partners answer a day's question
        n_checkins = (rest - sum(counts.values())) // 2 * 2  # two a day, one per partner
        if n_checkins < 2:
            raise ValueError(f"{n} records leave no room for the check-ins beside {agreements} agreements")
        counts["celebration"] += rest - sum(counts.values()) - n_checkins  # what an odd count leaves
        days = n_checkins // 2
        self.first_day = LAST_DAY - dt.timedelta(days=days - 1)
        start_ms = self._day_ms(0) - DAY_MS
        self.clocks = [_FakeClock(start_ms, replica) for replica in self.replicas]

        self._at(0, self._partners)
        for number, name in enumerate(LIST_NAMES[:n_lists]):
            self._at(min(days - 1, number * 30), lambda name=name, number=number: self._list(name, number))
        for number in range(n_progress):
            partner, step = number % 2, number // 2 + 1
            started = (days - 1) * (step - 1) // 9
            self._at(started, lambda p=partner, s=step, d=started: self._progress(p, s, d))
        for day in range(days):
            for partner in (0, 1):
                self._at(day, lambda day=day, partner=partner: self._checkin(day, partner))
        for day in sorted(rng.randrange(days) for _ in range(counts.pop("celebration"))):
            self._at(day, lambda day=day: self._celebration(day))
        list_days = [min(days - 1, number * 30) for number in range(n_lists)]
        for day in sorted(rng.randrange(days) for _ in range(counts.pop("agreement"))):
            lists = [number for number, first in enumerate(list_days) if first <= day] or [0]
            the_list = rng.choice(lists)
            self._at(max(day, list_days[the_list]), lambda day=day, lst=the_list: self._agreement(day, lst))
        for day in sorted(rng.sample(range(days), counts.pop("answer") // 2)):
            self._at(day, lambda day=day: self._answers(day))
        self._commitments(counts.pop("commitment"), counts.pop("commitment_kept"), days)
        for kind, count in counts.items():
            for day in sorted(rng.randrange(days) for _ in range(count)):
                self._at(day, lambda kind=kind, day=day: self._entry(kind, day, rng.randrange(2)))
        for kind, share in PRIVATE_SHARES:
            for day in sorted(rng.randrange(days) for _ in range(max(1, round(rest * share)))):
                self._at(day, lambda kind=kind, day=day: self._entry(kind, day, 0, private=True))
        while self.events:
            heapq.heappop(self.events).action()

    def _at(self, day: int, action: Callable[[], None]) -> None:
        self.seq += 1
        heapq.heappush(self.events, _Event(day, self.seq, action))

    def _day_ms(self, day: int) -> int:
        midnight = dt.datetime.combine(self.first_day, dt.time(), tzinfo=dt.UTC)
        return int(midnight.timestamp() * 1000) + day * DAY_MS

    def _stamp(self, partner: int, day: int) -> str:
        clock = self.clocks[partner]
        clock.now = max(clock.now, self._day_ms(day) + self.rng.randrange(7, 23) * 3_600_000)
        clock.advance(self.rng.randrange(1, 90_000))
        return clock.tick()

    def _put(self, model: RecordModel, partner: int, day: int, *, private: bool = False) -> None:
        author = self.partner_ids[partner]
        raw = new_record(author, self._stamp(partner, day), fields_of(model))
        (self.private if private else self.data).setdefault(model.KIND, {})[model.id] = raw

    def _change(self, kind: str, record_id: str, partner: int, day: int, changes: dict[str, Any]) -> None:
        raw = self.data[kind][record_id]
        stamp = self._stamp(partner, day)
        self.data[kind][record_id] = with_changes(raw, changes, stamp, self.partner_ids[partner])

    def _date(self, day: int) -> dt.date:
        return self.first_day + dt.timedelta(days=day)

    # -- what the couple does ---------------------------------------------------------

    def _partners(self) -> None:
        names = self.rng.sample(NAMES, 2)
        for partner, (name, colour) in enumerate(zip(names, ("gold", "teal"), strict=True)):
            pid = self.partner_ids[partner]
            self._put(Partner(id=pid, author=self.partner_ids[0], created="", name=name, colour=colour), 0, 0)

    def _list(self, name: str, position: int) -> None:
        record_id = _derived(self.file_id, "agreement_list", name.casefold())
        author = self.partner_ids[position % 2]
        model = AgreementList(id=record_id, author=author, created="", name=name, position=position)
        self._put(model, position % 2, position * 30)

    def _progress(self, partner: int, step: int, day: int) -> None:
        pid = self.partner_ids[partner]
        record_id = _derived(self.file_id, "progress", pid, step)
        model = Progress(id=record_id, author=pid, created="", partner=pid, step=step, status="exploring")
        self._put(model, partner, day)
        later = day + self.rng.randrange(20, 200)
        self._at(later, lambda: self._change("progress", record_id, partner, later, {"status": "practising"}))
        if self.rng.random() < 0.6:
            last = later + self.rng.randrange(60, 400)
            done = {"status": "integrated"}
            self._at(last, lambda: self._change("progress", record_id, partner, last, done))

    def _checkin(self, day: int, partner: int) -> None:
        pid = self.partner_ids[partner]
        date = self._date(day)
        rng = self.rng
        note = rng.choice(NOTE_BITS) if rng.random() < 0.3 else ""
        model = CheckIn(
            id=_derived(self.file_id, "checkin", pid, date.isoformat()),
            author=pid,
            created="",
            partner=pid,
            day=date,
            connection=rng.choices(range(1, 6), weights=(5, 15, 35, 30, 15))[0],
            mood=rng.choice(MOODS),
            note=note,
        )
        self._put(model, partner, day)

    def _celebration(self, day: int) -> None:
        rng = self.rng
        partner = rng.randrange(2)
        pid = self.partner_ids[partner]
        record_id = _uuid(rng)
        model = Celebration(id=record_id, author=pid, created="", **_celebration(rng, self._date(day)))
        self._put(model, partner, day)
        roll = rng.random()
        if roll < 0.3:  # the other partner reacts a day or two later
            later, other = day + rng.randrange(0, 3), 1 - partner
            reaction = {f"reaction.{self.partner_ids[other]}": rng.choice(("heart", "hug", "star", "yes"))}
            self._at(later, lambda: self._change("celebration", record_id, other, later, reaction))
        elif roll < 0.31:  # logged by mistake, deleted the same week
            later = day + rng.randrange(0, 7)
            self._at(later, lambda: self._tombstone("celebration", record_id, partner, later))

    def _tombstone(self, kind: str, record_id: str, partner: int, day: int) -> None:
        raw = self.data[kind][record_id]
        stamp = self._stamp(partner, day)
        self.data[kind][record_id] = tombstoned(raw, stamp, self.partner_ids[partner])

    def _agreement(self, day: int, the_list: int) -> None:
        rng = self.rng
        partner = rng.randrange(2)
        pid = self.partner_ids[partner]
        record_id = _uuid(rng)
        list_id = _derived(self.file_id, "agreement_list", LIST_NAMES[the_list].casefold())
        text = rng.choice(AGREEMENT_TEXTS)
        if rng.random() < 0.5:
            text = f"{text}, {rng.choice(SUBJECTS)} included"
        model = Agreement(
            id=record_id, author=pid, created="", list_id=list_id, text=text, why=rng.choice(WHYS)
        )
        self._put(model, partner, day)
        signed = day + rng.randrange(0, 4)
        if rng.random() < 0.85:
            self._at(signed, lambda: self._sign(record_id, (0, 1), signed))
        roll = rng.random()
        if roll < 0.2:  # reworded later, the old wording kept in history, then signed again
            later = signed + rng.randrange(10, 300)
            self._at(later, lambda: self._reword(record_id, 1 - partner, later))
        elif roll < 0.25:
            later = signed + rng.randrange(60, 700)
            self._at(later, lambda: self._change("agreement", record_id, partner, later, {"retired": True}))

    def _sign(self, record_id: str, partners: tuple[int, ...], day: int) -> None:
        for partner in partners:
            text = self.data["agreement"][record_id]["fields"]["text"]
            key = {f"signature.{self.partner_ids[partner]}": wording_key(text)}
            self._change("agreement", record_id, partner, day, key)

    def _reword(self, record_id: str, partner: int, day: int) -> None:
        text = self.data["agreement"][record_id]["fields"]["text"]
        self._change("agreement", record_id, partner, day, {"text": f"{text}, and we talk about it after"})
        resign = day + self.rng.randrange(0, 5)
        self._at(resign, lambda: self._sign(record_id, (0, 1), resign))

    # -- the practices ------------------------------------------------------------------

    def _answers(self, day: int) -> None:
        """Both partners answer the day's question: first the commitment, then the words."""
        date = self._date(day)
        for partner, pid in enumerate(self.partner_ids):
            text = self.rng.choice(ANSWERS)
            salt = f"{self.rng.getrandbits(128):032x}"
            record_id = _derived(self.file_id, "answer", pid, date.isoformat())
            commitment = question.commitment_for(salt, text)
            model = question.Answer(
                id=record_id, author=pid, created="", partner=pid, day=date, commitment=commitment
            )
            self._put(model, partner, day)
            reveal = {"text": text, "salt": salt}
            self._at(day, lambda p=partner, r=record_id, c=reveal: self._change("answer", r, p, day, c))

    def _commitments(self, count: int, kept: int, days: int) -> None:
        """``count`` commitments, each kept on some of the days after it began (``kept`` in all)."""
        rng = self.rng
        for number in range(count):
            partner = number % 2
            pid = self.partner_ids[partner]
            since = rng.randrange(max(1, days // 2))
            model = trust.Commitment(
                id=_uuid(rng),
                author=pid,
                created="",
                partner=pid,
                what=rng.choice(COMMITMENTS),
                frequency=rng.choice(list(trust.Frequency)),
                weekday=rng.randrange(7),
                times=rng.randint(1, 7),
                since=self._date(since),
            )
            self._at(since, lambda m=model, p=partner, d=since: self._put(m, p, d))
            share = kept // count + (number < kept % count)
            for day in sorted(rng.sample(range(since, days), share)):
                date = self._date(day)
                record_id = _derived(self.file_id, *trust.kept_id_parts(model.id, date))
                done = trust.CommitmentKept(
                    id=record_id, author=pid, created="", commitment_id=model.id, day=date
                )
                self._at(day, lambda m=done, p=partner, d=day: self._put(m, p, d))

    def _entry(self, kind: str, day: int, partner: int, *, private: bool = False) -> None:
        """One practice entry, as its form saves it, and what happens to it later."""
        rng = self.rng
        me, other = self.partner_ids[partner], self.partner_ids[1 - partner]
        fields = _practice_fields(kind, rng, self._date(day), me, other)
        model = KINDS[kind](id=_uuid(rng), author=me, created="", **fields)
        self._put(model, partner, day, private=private)
        later = day + rng.randrange(3, 60)
        if kind == "session_question" and not private and rng.random() < 0.7:
            asked = {"asked": True, "asked_on": self._date(later).isoformat()}
            self._at(later, lambda: self._change(kind, model.id, partner, later, asked))
        elif kind == "shared_goal" and not private and rng.random() < 0.4:
            done = {"done_on": self._date(later).isoformat()}
            self._at(later, lambda: self._change(kind, model.id, 1 - partner, later, done))


def _practice_fields(kind: str, rng: random.Random, day: dt.date, me: str, other: str) -> dict[str, Any]:
    """The fields of an entry of ``kind`` that ``me`` wrote on ``day``, in words a couple might use."""
    subject, place = rng.choice(SUBJECTS), rng.choice(PLACES)
    note = rng.choice(NOTE_BITS)
    if kind == "present_moment":
        return {"day": day, "line": rng.choice(LINES)}
    if kind == "compassion_break":
        return {"day": day, "note": rng.choice((*KIND_WORDS, "", ""))}
    if kind == "grounding":
        return {"day": day} | {sense: ", ".join(rng.sample(SENSE_WORDS, 2)) for sense in present.SENSES}
    if kind == "meeting":
        return {
            "day": day,
            "appreciations": {me: f"Thank you for {subject}.", other: note},
            "went_well": rng.choice(NOTE_BITS),
            "issue": subject.capitalize(),
            "issue_notes": rng.choice(("", note)),
            "needs": {me: rng.choice(NEEDS), other: rng.choice(NEEDS)},
        }
    if kind == "listening_turn":
        feeling = rng.choice(FEELINGS)
        heard = [f"You felt {feeling} after {subject}.", f"So it was {place} that it hurt most."]
        return {
            "speaker": me,
            "listener": other,
            "said": f"After {subject} I felt {feeling}, mostly {place}. {note}",
            "paraphrases": heard[: rng.randint(1, 2)],
            "confirmed": rng.random() < 0.8,
            "day": day,
        }
    if kind == "support_session":
        return {
            "day": day,
            "who": rng.choice((support.BOTH, support.BOTH, me)),
            "takeaways": f"{note} We talked about {subject}.",
            "homework": _sentence(rng.choice(REQUESTS)),
        }
    if kind == "session_question":
        return {"text": rng.choice(QUESTIONS)}
    if kind == "calm_moment":
        return {
            "day": day + dt.timedelta(days=rng.randrange(1, 4)),
            "at": rng.choice(TIMES),
            "topic": subject,
        }
    if kind == "i_statement":
        when = f"you on your phone {place}"
        return {
            "when": when,
            "feeling": rng.choice(FEELINGS),
            "need": rng.choice(NEEDS),
            "request": rng.choice(REQUESTS),
        }
    if kind == "repair":
        return {
            "about": subject.capitalize(),
            "day": day,
            "feelings": {me: ", ".join(rng.sample(FEELINGS, 2)), other: rng.choice(FEELINGS)},
            "view": {me: f"It started {place}. {note}", other: rng.choice(NOTE_BITS)},
            "regret": {me: "That I walked out instead of asking for a pause."},
            "apology": {me: "I'm sorry I went quiet and left you guessing."},
            "response": {other: rng.choice(list(repair.ApologyResponse))},
            "next_time": {me: _sentence(rng.choice(REQUESTS))},
        }
    if kind == "kind_reply":
        return {"harsh": rng.choice(HARSH), "kind": rng.choice(KIND_WORDS)}
    if kind == "origin":
        return {
            "kind": rng.choice(list(origins.OriginKind)),
            "when": rng.choice(("age 9", "my first year at university", "2015", "")),
            "year": rng.choice((None, None, 1998, 2012)),
            "happened": f"{note} It was {place}.",
            "mark": f"I still go quiet when I feel {rng.choice(FEELINGS)}.",
            "today": f"It shows up {place}.",
        }
    if kind == "trigger":
        return {
            "trigger": f"Being interrupted {place}",
            "story": note,
            "helps": _sentence(rng.choice(REQUESTS)),
        }
    if kind == "wound":
        return {
            "what": f"Feeling left out {place}",
            "where": f"Mostly after {subject}.",
            "weight": rng.randint(0, 10),
            "feeling": rng.choice(FEELINGS),
        }
    if kind == "shared_goal":
        return {"kind": rng.choice(list(celebrate.GoalKind)), "what": rng.choice(GOALS)}
    if kind == "pattern":
        trigger, old, cost, new = rng.choice(PATTERN_PARTS)
        return {"trigger": trigger, "old_reaction": old, "cost": cost, "new_response": new}
    if kind == "boundary":
        return {"text": rng.choice(BOUNDARIES), "why": rng.choice(WHYS)}
    if kind == "space_wish":
        what, how_often = rng.choice(SPACE_WISHES)
        return {"what": what, "how_often": how_often}
    if kind == "repair_phrase":
        return {
            "text": rng.choice(
                ("Can we start over?", "I'm on your side.", "Pause, please. I want to get this right.")
            )
        }
    if kind == "support_contact":
        return {
            "name": rng.choice(("Dr. Okafor", "The Tuesday couples' group", "Relate helpline")),
            "kind": rng.choice(list(support.SupportKind)),
            "reach": "Tuesdays, 0123 456 789",
            "notes": note,
        }
    raise ValueError(f"no practice entry is generated for {kind!r}")


def _sentence(phrase: str) -> str:
    return f"{phrase[0].upper()}{phrase[1:]}."
