"""The merge, checked with Hypothesis: the heart of the product.

Three replicas (the domain alone, no files) each hold a ``Tables`` dict and a
hybrid clock whose wall clock is skewed, lags behind, or is set back mid-run.
They create, edit, delete and sign records and sync pairs in random orders,
observing the stamps they receive as the real store does. Whatever happens,
after a full sync round they hold the same records, write byte-identical
JSON, and nothing any of them typed is missing.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import tempfile
import uuid
from dataclasses import dataclass, field
from itertools import permutations
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from app.domain.clock import HybridClock, all_stamps, format_stamp, is_stamp, parse_stamp
from app.domain.merge import Tables, merge_replicas
from app.domain.models import (
    Agreement,
    Celebration,
    CelebrationSize,
    fields_of,
    record_problem,
    wording_key,
)
from app.domain.records import (
    DELETED,
    EDITED_BY,
    HISTORY_LIMIT,
    RawRecord,
    envelope_problem,
    is_alive,
    latest_stamp,
    new_record,
    tombstoned,
    unseen_history,
    with_changes,
)
from app.store.couple_file import merge_data
from app.store.files import canonical_json
from app.store.keys import Keyring, sealed_meta
from app.store.local import LocalState
from app.store.sealing import FileKey

ALEX = "0a1e0000-0000-4000-8000-00000000a1e0"
SAM = "05a30000-0000-4000-8000-0000000005a3"
LIST_ID = "11570000-0000-4000-8000-000000001157"
# Replica 0 is Alex's laptop, 1 is Sam's, 2 is Alex's phone.
PARTNER_OF = (ALEX, SAM, ALEX)
REPLICA_IDS = ("laptop", "sam", "phone")
BASE_MS = 1_750_000_000_000
TEXT_FIELDS = {"celebration": ("title", "note"), "agreement": ("text", "why", "revisit")}
ID_NAMESPACE = uuid.UUID("6ba7b810-9dad-11d1-80b4-00c04fd430c8")

BIG = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SMALL = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def merged(a: Tables, b: Tables) -> Tables:
    return merge_replicas(a, b)[0]


def same(a: Tables, b: Tables) -> None:
    assert a == b
    assert canonical_json(a) == canonical_json(b)


# -- three replicas doing random things ------------------------------------------------------


@dataclass
class Replica:
    index: int
    offset: list[int]  # this machine's clock error in ms (mutable: it is set back mid-run)
    now: list[int]  # shared "real" time
    tables: Tables = field(default_factory=dict)
    made: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.clock = HybridClock(REPLICA_IDS[self.index], now_ms=self._now_ms)

    def _now_ms(self) -> int:
        return max(0, BASE_MS + self.now[0] + self.offset[0])

    @property
    def partner(self) -> str:
        return PARTNER_OF[self.index]

    def tick(self) -> str:
        stamp = self.clock.tick()
        assert not self.made or stamp > self.made[-1], "a clock went backwards"
        self.made.append(stamp)
        return stamp

    def live(self, kind: str | None = None) -> list[tuple[str, str]]:
        return sorted(
            (k, rid)
            for k, table in self.tables.items()
            if kind in (None, k)
            for rid, raw in table.items()
            if is_alive(raw)
        )

    def receive(self, other: Replica) -> None:
        """Take the merge of ours and theirs, and observe their newest stamp (as the store does)."""
        self.tables = merged(self.tables, other.tables)
        stamps = [latest_stamp(raw) for table in other.tables.values() for raw in table.values()]
        if stamps:
            self.clock.observe(max(stamps))


@dataclass
class World:
    replicas: list[Replica]
    now: list[int]
    written: set[tuple[str, str, str, str]] = field(default_factory=set)  # kind, id, field, text
    # every effective write per record: (stamp, "delete" | "edit")
    writes: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)
    created: int = 0
    counter: int = 0

    def unique(self, text: str) -> str:
        self.counter += 1
        return f"{text} #{self.counter}"

    def log(self, kind: str, rid: str, before: RawRecord | None, after: RawRecord) -> None:
        for name, stamp in after["stamps"].items():
            if before is not None and before["stamps"].get(name) == stamp:
                continue
            if name == EDITED_BY:
                continue
            what = "delete" if name == DELETED and after["fields"][DELETED] else "edit"
            self.writes.setdefault((kind, rid), []).append((stamp, what))
            value = after["fields"][name]
            if isinstance(value, str) and value and name in TEXT_FIELDS[kind]:
                self.written.add((kind, rid, name, value))


def celebration_fields(title: str, note: str, step: int | None) -> dict[str, Any]:
    model = Celebration(
        id="x", author=ALEX, created="", title=title, note=note, day=dt.date(2025, 5, 1), step=step
    )
    return fields_of(model)


def agreement_fields(text: str, why: str) -> dict[str, Any]:
    return fields_of(Agreement(id="x", author=ALEX, created="", list_id=LIST_ID, text=text, why=why))


words = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12
)
replica_index = st.integers(0, 2)
pick = st.integers(0, 1_000)

kinds = st.sampled_from(["celebration", "agreement"])
edit_text = st.tuples(st.just("edit_text"), replica_index, pick, pick, words)
operations = st.one_of(
    st.tuples(st.just("create"), replica_index, kinds, words),
    edit_text,
    edit_text,
    st.tuples(st.just("edit_other"), replica_index, pick, pick),
    st.tuples(st.just("delete"), replica_index, pick),
    st.tuples(st.just("sign"), replica_index, pick),
    st.tuples(st.just("sync"), replica_index, replica_index),
    st.tuples(st.just("wait"), st.integers(0, 5_000)),
    # a machine's clock jumps: mostly set back (by up to a day), sometimes forward
    st.tuples(st.just("clock"), replica_index, st.integers(-86_400_000, 60_000)),
)


def run(world: World, op: tuple[Any, ...]) -> None:
    name = op[0]
    if name == "wait":
        world.now[0] += op[1]
        return
    if name == "clock":
        world.replicas[op[1]].offset[0] += op[2]
        return
    if name == "sync":
        i, j = op[1], op[2]
        if i != j:
            world.replicas[i].receive(world.replicas[j])
        return
    replica = world.replicas[op[1]]
    world.now[0] += 1
    if name == "create":
        kind, text = op[2], world.unique(op[3])
        world.created += 1
        rid = str(uuid.uuid5(ID_NAMESPACE, f"record {world.created}"))
        fields = celebration_fields(text, "", None) if kind == "celebration" else agreement_fields(text, "")
        raw = new_record(replica.partner, replica.tick(), fields)
        replica.tables.setdefault(kind, {})[rid] = raw
        world.log(kind, rid, None, raw)
        return
    candidates = replica.live("agreement" if name == "sign" else None)
    if not candidates:
        return
    kind, rid = candidates[op[2] % len(candidates)]
    before = replica.tables[kind][rid]
    if name == "edit_text":
        names = TEXT_FIELDS[kind]
        changes: dict[str, Any] = {names[op[3] % len(names)]: world.unique(op[4])}
    elif name == "edit_other":
        if kind == "celebration":
            changes = {
                ("step", "size", "day")[op[3] % 3]: (
                    (op[3] % 10) or None,
                    list(CelebrationSize)[op[3] % 3].value,
                    dt.date(2025, 1, 1 + op[3] % 28).isoformat(),
                )[op[3] % 3]
            }
        else:
            changes = {
                ("retired", "review_on")[op[3] % 2]: (
                    bool(op[3] % 4 // 2),
                    dt.date(2026, 1 + op[3] % 12, 1).isoformat(),
                )[op[3] % 2]
            }
    elif name == "sign":
        changes = {f"signature.{replica.partner}": wording_key(before["fields"]["text"])}
    else:
        changes = {}
    if name == "delete":
        after = tombstoned(before, replica.tick(), replica.partner)
    else:
        after = with_changes(before, changes, replica.tick(), replica.partner)
    assert record_problem(kind, rid, after) is None
    replica.tables[kind][rid] = after
    world.log(kind, rid, before, after)


def full_sync(replicas: list[Replica]) -> None:
    for _ in range(2):
        for i, j in permutations(range(len(replicas)), 2):
            replicas[i].receive(replicas[j])


@BIG
@given(
    offsets=st.lists(st.integers(-3_600_000, 5_000), min_size=3, max_size=3),
    shared=st.lists(st.tuples(st.just("create"), st.just(0), kinds, words), min_size=1, max_size=3),
    ops=st.lists(operations, min_size=4, max_size=28),
)
def test_three_replicas_converge_and_lose_nothing(
    offsets: list[int], shared: list[tuple[Any, ...]], ops: list[tuple[Any, ...]]
) -> None:
    now = [0]
    world = World([Replica(i, [offsets[i]], now) for i in range(3)], now)
    for op in shared:  # a few records every replica starts with, so their edits meet
        run(world, op)
    full_sync(world.replicas)
    for op in ops:
        run(world, op)

    # Before the last sync round the replicas differ; merging them is order-free.
    a, b, c = (r.tables for r in world.replicas)
    same(merged(a, b), merged(b, a))
    same(merged(merged(a, b), c), merged(a, merged(b, c)))
    same(merged(merged(a, b), b), merged(a, b))

    full_sync(world.replicas)
    final = world.replicas[0].tables
    for replica in world.replicas[1:]:
        same(replica.tables, final)

    # Every text any replica wrote is the field's value or in its history.
    for kind, rid, name, text in world.written:
        raw = final[kind][rid]
        kept = {raw["fields"][name]} | {e["value"] for e in raw["history"].get(name, {}).values()}
        assert text in kept, f"{text!r} written to {kind}.{name} was lost"

    for (kind, rid), writes in world.writes.items():
        raw = final[kind][rid]
        assert record_problem(kind, rid, raw) is None
        # Edit beats delete: the record is alive exactly when its newest write is an edit.
        newest = max(writes)
        assert is_alive(raw) == (newest[1] == "edit"), (writes, raw)
        if raw["fields"][DELETED]:
            event(
                "a deleted record came back through an edit" if is_alive(raw) else "a record stayed deleted"
            )
        if unseen_history(raw):
            event("two replicas wrote one text field apart")
        # Text kept in history was written before the value the field holds now.
        for name, entries in raw["history"].items():
            assert all(stamp < raw["stamps"][name] for stamp in entries)


# -- merge laws on random record sets --------------------------------------------------------

WRITABLE = {
    "celebration": ("title", "note", "step", "size", DELETED, "reaction.alex"),
    "agreement": ("text", "why", "retired", DELETED, "signature.alex", "signature.sam"),
}


def value_for(name: str, stamp: str) -> Any:
    """The value written at ``stamp``: one stamp, one value (as it is for real writes)."""
    h = int(hashlib.sha256(f"{name}/{stamp}".encode()).hexdigest(), 16)
    return {
        "title": f"title {h % 7}",
        "note": f"note {h % 5}" if h % 3 else "",
        "step": (h % 9) + 1 if h % 4 else None,
        "size": list(CelebrationSize)[h % 3].value,
        DELETED: bool(h % 2),
        "reaction.alex": ("gold", "heart", None)[h % 3],
        "text": f"wording {h % 4}",
        "why": f"because {h % 6}",
        "retired": bool(h % 2),
        "signature.alex": wording_key(f"wording {h % 4}"),
        "signature.sam": wording_key(f"wording {h % 4}") if h % 3 else None,
    }[name]


def initial_fields(kind: str, stamp: str) -> dict[str, Any]:
    if kind == "celebration":
        return celebration_fields(
            value_for("title", stamp), value_for("note", stamp), value_for("step", stamp)
        )
    return agreement_fields(value_for("text", stamp), value_for("why", stamp))


stamps_st = st.builds(
    format_stamp,
    st.integers(BASE_MS, BASE_MS + 400),
    st.integers(0, 2),
    st.sampled_from(REPLICA_IDS),
)


@st.composite
def record_sets(draw: st.DrawFn, count: int = 3) -> list[Tables]:
    """``count`` copies of a few records, each copy knowing a random subset of their writes."""
    sets: list[Tables] = [{} for _ in range(count)]
    for n in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(sorted(WRITABLE)))
        rid = str(uuid.uuid5(ID_NAMESPACE, f"set record {n}"))
        many = draw(st.integers(0, 45 if draw(st.booleans()) else 8))
        stamps = sorted(draw(st.lists(stamps_st, min_size=many + 1, max_size=many + 1, unique=True)))
        created, author = stamps[0], draw(st.sampled_from([ALEX, SAM]))
        writes = [(stamp, draw(st.sampled_from(WRITABLE[kind]))) for stamp in stamps[1:]]
        for table in sets:
            if not draw(st.booleans()):
                continue
            raw = new_record(author, created, initial_fields(kind, created))
            for stamp, name in writes:
                if draw(st.booleans()):
                    editor = ALEX if parse_stamp(stamp)[2] != "sam" else SAM
                    raw = with_changes(raw, {name: value_for(name, stamp)}, stamp, editor)
            # a copy may hold history a merge marked unseen
            history = {
                name: {s: {**e, "seen": e["seen"] and draw(st.booleans())} for s, e in entries.items()}
                for name, entries in raw["history"].items()
            }
            raw = {**raw, "history": history}
            assert record_problem(kind, rid, raw) is None
            table.setdefault(kind, {})[rid] = raw
    return sets


@SMALL
@given(record_sets(count=2))
def test_merge_is_commutative(sets: list[Tables]) -> None:
    a, b = sets
    same(merged(a, b), merged(b, a))


@SMALL
@given(record_sets(count=3))
def test_merge_is_associative(sets: list[Tables]) -> None:
    a, b, c = sets
    same(merged(merged(a, b), c), merged(a, merged(b, c)))


@SMALL
@given(record_sets(count=2))
def test_merge_is_idempotent(sets: list[Tables]) -> None:
    a, b = sets
    same(merged(a, a), a)
    ab = merged(a, b)
    same(merged(ab, b), ab)
    same(merged(ab, a), ab)
    assert not merge_replicas(ab, b)[1].anything
    assert not merge_replicas(ab, a)[1].anything


@SMALL
@given(record_sets(count=2))
def test_merge_does_not_modify_its_inputs(sets: list[Tables]) -> None:
    a, b = sets
    a_before, b_before = copy.deepcopy(a), copy.deepcopy(b)
    merge_replicas(a, b)
    assert a == a_before and b == b_before


@SMALL
@given(record_sets(count=2))
def test_history_stays_bounded(sets: list[Tables]) -> None:
    for table in merged(*sets).values():
        for raw in table.values():
            assert all(len(entries) <= HISTORY_LIMIT for entries in raw["history"].values())


# -- what the other copy may hold that is not a record ---------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def _valid_celebration() -> RawRecord:
    return new_record(ALEX, format_stamp(BASE_MS, 0, "laptop"), celebration_fields("A walk", "", 2))


def _valid_agreement() -> RawRecord:
    return new_record(SAM, format_stamp(BASE_MS, 1, "sam"), agreement_fields("We pause", ""))


def _set(raw: RawRecord, part: str, name: str, value: Any) -> RawRecord:
    out = copy.deepcopy(raw)
    out[part][name] = value
    return out


def _without(raw: RawRecord, key: str) -> RawRecord:
    return {k: v for k, v in raw.items() if k != key}


CELEBRATION = _valid_celebration()
AGREEMENT = _valid_agreement()
GOOD_STAMP = CELEBRATION["created"]
BROKEN_RECORDS: list[tuple[str, RawRecord]] = [
    # wrong envelope
    ("celebration", _without(CELEBRATION, "history")),
    ("celebration", {**CELEBRATION, "extra": 1}),
    ("celebration", {**CELEBRATION, "created": "yesterday"}),
    ("celebration", {**CELEBRATION, "author": 7}),
    ("celebration", {**CELEBRATION, "fields": []}),
    ("celebration", _set(CELEBRATION, "stamps", "title", "not a stamp")),
    ("celebration", _set(CELEBRATION, "stamps", "ghost", GOOD_STAMP)),
    ("celebration", _set(CELEBRATION, "fields", DELETED, "no")),
    ("celebration", _set(CELEBRATION, "history", "title", {GOOD_STAMP: {"value": "x"}})),
    ("celebration", _set(CELEBRATION, "history", "title", {"bad": {"value": "x", "seen": True}})),
    ("celebration", _set(CELEBRATION, "history", "title", [])),
    # invalid field values
    ("celebration", _set(CELEBRATION, "fields", "title", "")),
    ("celebration", _set(CELEBRATION, "fields", "title", "   ")),
    ("celebration", _set(CELEBRATION, "fields", "title", "x" * 301)),
    ("celebration", _set(CELEBRATION, "fields", "step", 42)),
    ("celebration", _set(CELEBRATION, "fields", "day", "someday")),
    ("celebration", _set(CELEBRATION, "fields", "size", "huge")),
    ("celebration", _set(CELEBRATION, "fields", "title", ["a list"])),
    ("agreement", _set(AGREEMENT, "fields", "text", "  ")),
    ("agreement", _set(AGREEMENT, "fields", "list_id", 5)),
    ("agreement", _set(AGREEMENT, "fields", "retired", "maybe")),
    (
        "agreement",
        {
            **AGREEMENT,
            "fields": {**AGREEMENT["fields"], "signature.sam": 5},
            "stamps": {**AGREEMENT["stamps"], "signature.sam": GOOD_STAMP},
        },
    ),
    # a record of one kind filed under another
    ("agreement", CELEBRATION),
    ("celebration", AGREEMENT),
]


@st.composite
def damaged_copies(draw: st.DrawFn) -> tuple[Tables, dict[str, Any], set[tuple[str, str]]]:
    """(ours, theirs, the (kind, id) of everything in theirs that must be skipped)."""
    ours: Tables = {
        "celebration": {"c-ours": CELEBRATION},
        "agreement": {"a-ours": AGREEMENT},
    }
    theirs: dict[str, Any] = {"celebration": {}, "agreement": {}}
    bad: set[tuple[str, str]] = set()
    # their copy of our records, edited validly
    edited = with_changes(CELEBRATION, {"title": "A long walk"}, format_stamp(BASE_MS + 9, 0, "sam"), SAM)
    theirs["celebration"]["c-ours"] = edited
    theirs["celebration"]["c-new"] = with_changes(
        CELEBRATION, {"note": "new"}, format_stamp(BASE_MS + 5, 0, "sam"), SAM
    )
    for n, (kind, raw) in enumerate(draw(st.lists(st.sampled_from(BROKEN_RECORDS), max_size=6))):
        # some damaged records carry the id of a record we hold: ours must stay as it is
        rid = draw(st.sampled_from([f"broken-{n}", "a-ours" if kind == "agreement" else "c-ours"]))
        if rid == "c-ours":
            theirs["celebration"].pop("c-ours", None)
        theirs[kind][rid] = raw
        bad.add((kind, rid))
    # (null is left out here: see test_a_null_record_is_reported)
    for n, value in enumerate(draw(st.lists(json_values.filter(lambda v: v is not None), max_size=4))):
        kind = draw(st.sampled_from(["celebration", "agreement"]))
        theirs[kind][f"junk-{n}"] = value
        bad.add((kind, f"junk-{n}"))
    for n, value in enumerate(draw(st.lists(json_values, max_size=3))):
        theirs[f"wizard{n}"] = value  # an unknown kind
        bad.add((f"wizard{n}", "*"))
    if draw(st.booleans()):
        theirs["checkin"] = draw(
            st.one_of(st.lists(json_values, max_size=3), st.text(), st.integers(), st.none())
        )
        bad.add(("checkin", "*"))
    return ours, theirs, bad


@SMALL
@given(damaged_copies())
def test_damaged_records_never_replace_good_ones_and_nothing_else_is_dropped(
    case: tuple[Tables, dict[str, Any], set[Any]],
) -> None:
    ours, theirs, bad = case
    before = copy.deepcopy(ours)
    result, report = merge_replicas(ours, theirs)
    assert ours == before
    skipped = {(kind, rid) for kind, rid, _ in report.skipped}
    assert all(why for _, _, why in report.skipped)
    for kind, table in theirs.items():
        if not isinstance(table, dict):
            assert (kind, "*") in skipped  # not a table: nothing in it could be a record
            continue
        for rid, raw in table.items():
            mine = ours.get(kind, {}).get(rid)
            if not isinstance(raw, dict):
                assert (kind, rid) in skipped
            elif envelope_problem(raw) is None:
                assert rid in result[kind]  # merged, whatever its kind or values
            elif mine is not None and envelope_problem(mine) is None:
                assert result[kind][rid] == mine and (kind, rid) in skipped  # a good record stays
            else:
                assert result[kind][rid] == raw and (kind, rid) in report.damaged  # kept, nothing better
    for kind, rid in bad & skipped:
        assert rid == "*" or result.get(kind, {}).get(rid) == ours.get(kind, {}).get(rid)
    # the valid edits still came in
    if ("celebration", "c-ours") not in bad:
        assert result["celebration"]["c-ours"]["fields"]["title"] == "A long walk"
    assert "c-new" in result["celebration"]


@SMALL
@given(json_values, json_values.filter(lambda v: v is not None))  # null: see below
def test_merging_any_json_never_raises(ours_junk: Any, theirs_junk: Any) -> None:
    if isinstance(theirs_junk, dict):
        result, report = merge_replicas({"celebration": {"c": CELEBRATION}}, theirs_junk)
        expected = {
            kind: {rid: raw for rid, raw in table.items() if isinstance(raw, dict)}
            for kind, table in theirs_junk.items()
            if isinstance(table, dict)
        }
        expected.setdefault("celebration", {})["c"] = CELEBRATION  # ours is whole: a damaged "c" loses
        assert {kind: table for kind, table in result.items() if table} == {
            kind: table for kind, table in expected.items() if table
        }
    # a damaged record of ours is replaced by their valid one; their junk is kept only if it
    # could be a record (an object): what cannot be one is skipped
    ours: dict[str, Any] = {"celebration": {"c": ours_junk}}
    theirs = {"celebration": {"c": CELEBRATION}, "agreement": {"x": theirs_junk}}
    result, report = merge_replicas(ours, theirs)
    assert result["celebration"]["c"] == CELEBRATION
    if isinstance(theirs_junk, dict):
        assert result["agreement"]["x"] == theirs_junk
    else:
        assert "x" not in result["agreement"]
        assert ("agreement", "x") in {(kind, rid) for kind, rid, _ in report.skipped}


# -- single cases worth naming -----------------------------------------------------------------


def test_a_deleted_record_edited_later_elsewhere_is_alive_after_merge() -> None:
    alex = HybridClock("laptop", now_ms=lambda: BASE_MS + 1_000)
    sam = HybridClock("sam", now_ms=lambda: BASE_MS + 2_000)
    original = new_record(ALEX, alex.tick(), celebration_fields("First walk", "", 1))
    deleted = tombstoned(original, alex.tick(), ALEX)
    edited = with_changes(original, {"note": "it rained"}, sam.tick(), SAM)
    for a, b in ((deleted, edited), (edited, deleted)):
        result, _ = merge_replicas({"celebration": {"r": a}}, {"celebration": {"r": b}})
        assert is_alive(result["celebration"]["r"])
        assert result["celebration"]["r"]["fields"]["note"] == "it rained"


def test_a_delete_after_the_last_edit_wins() -> None:
    alex = HybridClock("laptop", now_ms=lambda: BASE_MS + 2_000)
    sam = HybridClock("sam", now_ms=lambda: BASE_MS + 1_000)
    original = new_record(ALEX, sam.tick(), celebration_fields("First walk", "", 1))
    edited = with_changes(original, {"note": "it rained"}, sam.tick(), SAM)
    deleted = tombstoned(original, alex.tick(), ALEX)
    result, report = merge_replicas({"celebration": {"r": edited}}, {"celebration": {"r": deleted}})
    assert not is_alive(result["celebration"]["r"])
    assert report.deleted == [("celebration", "r")]
    assert result["celebration"]["r"]["fields"]["note"] == "it rained"  # kept under the tombstone


def test_both_texts_are_kept_when_two_partners_rewrite_the_same_field() -> None:
    alex = HybridClock("laptop", now_ms=lambda: BASE_MS + 1_000)
    sam = HybridClock("sam", now_ms=lambda: BASE_MS + 2_000)
    original = new_record(ALEX, alex.tick(), agreement_fields("We pause", ""))
    mine = with_changes(original, {"text": "We pause and breathe"}, alex.tick(), ALEX)
    theirs = with_changes(original, {"text": "We pause, then talk"}, sam.tick(), SAM)
    result, report = merge_replicas({"agreement": {"r": mine}}, {"agreement": {"r": theirs}})
    raw = result["agreement"]["r"]
    assert raw["fields"]["text"] == "We pause, then talk"  # the later stamp wins
    assert unseen_history(raw)["text"] == [(mine["stamps"]["text"], "We pause and breathe")]
    assert ("agreement", "r", "text") in report.conflicts
    assert {e["value"] for e in raw["history"]["text"].values()} == {"We pause", "We pause and breathe"}


def test_a_record_brought_back_by_an_edit_can_be_deleted_again() -> None:
    alex = HybridClock("laptop", now_ms=lambda: BASE_MS + 1_000)
    sam = HybridClock("sam", now_ms=lambda: BASE_MS + 2_000)
    original = new_record(ALEX, alex.tick(), celebration_fields("First walk", "", 1))
    deleted = tombstoned(original, alex.tick(), ALEX)
    edited = with_changes(original, {"note": "it rained"}, sam.tick(), SAM)
    back, _ = merge_replicas({"celebration": {"r": deleted}}, {"celebration": {"r": edited}})
    assert is_alive(back["celebration"]["r"])
    sam.observe(latest_stamp(back["celebration"]["r"]))
    again = tombstoned(back["celebration"]["r"], sam.tick(), SAM)
    assert not is_alive(again)


def test_edits_to_different_fields_are_no_conflict() -> None:
    alex = HybridClock("laptop", now_ms=lambda: BASE_MS + 1_000)
    sam = HybridClock("sam", now_ms=lambda: BASE_MS + 2_000)
    original = new_record(ALEX, alex.tick(), agreement_fields("We pause", ""))
    mine = with_changes(original, {"why": "we get loud"}, alex.tick(), ALEX)
    theirs = with_changes(original, {f"signature.{SAM}": wording_key("We pause")}, sam.tick(), SAM)
    result, report = merge_replicas({"agreement": {"r": mine}}, {"agreement": {"r": theirs}})
    assert report.conflicts == []
    assert unseen_history(result["agreement"]["r"]) == {}


def test_a_null_record_is_reported() -> None:
    result, report = merge_replicas({}, {"celebration": {"n": None}})
    assert "n" not in result.get("celebration", {})
    assert [(kind, rid) for kind, rid, _ in report.skipped] == [("celebration", "n")]


JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50)
STAMP_LIKE = st.builds(
    format_stamp,
    st.integers(0, 10**13 - 1),
    st.integers(0, 0xFFFF),
    st.from_regex(r"[0-9a-z]{1,32}", fullmatch=True),
)


@given(
    st.lists(
        STAMP_LIKE
        | JSON_SCALARS
        | st.lists(JSON_SCALARS, max_size=2)
        | st.dictionaries(st.text(max_size=3), JSON_SCALARS, max_size=2),
        max_size=12,
    )
)
def test_all_stamps_agrees_with_is_stamp_on_every_value(values: list[Any]) -> None:
    # all_stamps checks a record's stamps in one pass; it must say what checking each one says
    assert all_stamps(values) == all(is_stamp(value) for value in values)
    assert all_stamps(iter(values)) == all_stamps(values)


# -- records a newer Kintsugi wrote, and two machines sharing a replica id ----------------------

NEWER_KINDS = ("celebration", "gratitude", "zz_unheard_of")
NEWER_FIELDS = ("note", "sparkle", "mood_colour", "step")
NEWER_ENVELOPE_KEYS = ("typed_at", "sealed")


@st.composite
def newer_copies(draw: st.DrawFn, count: int = 3) -> tuple[list[Tables], list[tuple[str, str, str, Any]]]:
    """``count`` copies of records holding kinds, fields, envelope and history keys this version does
    not know, some writes made twice under one stamp (two machines with one replica id). Returns the
    copies and every (kind, id, field, value) some copy wrote."""
    sets: list[Tables] = [{} for _ in range(count)]
    written: list[tuple[str, str, str, Any]] = []
    for n in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(NEWER_KINDS))
        rid = f"record-{n}"
        stamps = sorted(draw(st.lists(stamps_st, min_size=2, max_size=12, unique=True)))
        created, author = stamps[0], draw(st.sampled_from([ALEX, SAM]))
        envelope = draw(st.dictionaries(st.sampled_from(NEWER_ENVELOPE_KEYS), json_values, max_size=2))
        # each write: a field and one or two values (two: one stamp, two machines)
        writes = [
            (
                stamp,
                draw(st.sampled_from(NEWER_FIELDS)),
                draw(st.lists(json_values.filter(lambda v: v not in (None, "")), min_size=1, max_size=2)),
            )
            for stamp in stamps[1:]
        ]
        for table in sets:
            if not draw(st.booleans()):
                continue
            raw = {**new_record(author, created, {"title": "a start"}), **envelope}
            for stamp, name, values in writes:
                if draw(st.booleans()):
                    value = values[draw(st.integers(0, len(values) - 1))]
                    raw = with_changes(raw, {name: value}, stamp, author)
                    written.append((kind, rid, name, value))
            if draw(st.booleans()):  # a history entry with a key a newer version added
                for entries in raw["history"].values():
                    for stamp in list(entries)[:1]:
                        entries[stamp] = {**entries[stamp], "by": "a newer Kintsugi"}
            if draw(st.booleans()):  # an envelope key only this copy has
                raw = {**raw, "typed_at": draw(json_values)}
            table.setdefault(kind, {})[rid] = raw
    return sets, written


@SMALL
@given(newer_copies())
def test_what_a_newer_kintsugi_wrote_merges_by_the_same_laws_and_nothing_is_lost(
    case: tuple[list[Tables], list[tuple[str, str, str, Any]]],
) -> None:
    (a, b, c), written = case
    same(merged(a, b), merged(b, a))
    same(merged(merged(a, b), c), merged(a, merged(b, c)))
    same(merged(a, a), a)
    ab = merged(a, b)
    same(merged(ab, b), ab)
    everything = merged(ab, c)
    for kind, rid, name, value in written:
        raw = everything[kind][rid]
        kept = [raw["fields"].get(name)] + [e["value"] for e in raw["history"].get(name, {}).values()]
        assert value in kept, f"{value!r} written to {kind}.{name} was lost"
    for copy_ in (a, b, c):
        for kind, table in copy_.items():
            for rid, raw in table.items():
                for key in set(raw) - {"author", "created", "fields", "stamps", "history"}:
                    assert key in everything[kind][rid]  # an envelope key is never dropped


# -- the same laws on sealed files ----------------------------------------------------------------

SEALED_FILE_ID = "5ea1ed00-0000-4000-8000-00000000f11e"
SEALED_KEY = FileKey(bytes(range(32)), SEALED_FILE_ID)
SEALED_META = sealed_meta({"file": {"file_id": SEALED_FILE_ID, "schema_version": 1}}, SEALED_KEY)
_MACHINE = LocalState(Path(tempfile.mkdtemp(prefix="kintsugi-merge-")) / "local.json")


def _keyring() -> Keyring:
    """A fresh keyring holding the test's file key (nothing cached from another copy)."""
    keyring = Keyring(_MACHINE)
    keyring.keep(SEALED_KEY)
    return keyring


def sealed(tables: Tables) -> str:
    """A copy of the file, sealed, as it would be on disk."""
    return canonical_json(_keyring().seal_data({**tables, "_meta": SEALED_META}))


def merged_sealed(a: str, b: str) -> str:
    """Two sealed copies merged as the store merges them: opened, merged, sealed again."""
    ours, theirs = (_keyring().open_data(json.loads(text)) for text in (a, b))
    return canonical_json(_keyring().seal_data(merge_data(ours, theirs)[0]))


@SMALL
@given(record_sets(count=3))
def test_sealed_copies_merge_by_the_same_laws_to_the_same_bytes(sets: list[Tables]) -> None:
    a, b, c = (sealed(tables) for tables in sets)
    assert merged_sealed(a, b) == merged_sealed(b, a)
    assert merged_sealed(merged_sealed(a, b), c) == merged_sealed(a, merged_sealed(b, c))
    assert merged_sealed(a, a) == a
    ab = merged_sealed(a, b)
    assert merged_sealed(ab, b) == ab
    # and what the sealed merge holds is exactly the plain merge: nothing lost to the sealing
    plain = merged(sets[0], sets[1])
    opened = _keyring().open_data(json.loads(ab))
    assert {k: t for k, t in opened.items() if k != "_meta" and t} == {k: t for k, t in plain.items() if t}
