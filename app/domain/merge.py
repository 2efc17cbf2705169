"""Merging two copies of the couple's records: a pure function.

``merge_replicas(ours, theirs)`` takes the union of records by id and, within
a record, keeps each field's newest write (by clock stamp). A value that
loses (words, a number, a choice) goes into the field's history, so nothing
either partner wrote is lost. The result does not depend on the order copies
are merged in (commutative, associative, idempotent), which is what lets any
number of copies, synced in any order, end up the same.

The merge reads only the record envelope (``app.domain.records``), never a
kind's model: a record this version cannot read (a kind it does not know, a
value it cannot validate, keys it has never seen) is merged by its stamps like
any other and carried along as it is. Only a record whose envelope is broken
(damage, not a newer version: see docs/SYNC.md) cannot be merged field by
field; it is kept where there is nothing better under its id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from app.domain.clock import twin_stamp
from app.domain.records import (
    ENVELOPE_KEYS,
    NOT_KEPT,
    RawRecord,
    envelope_problem,
    is_alive,
    join_unknown,
    keepable,
)
from app.domain.records import _trim as trim_history

Tables = dict[str, dict[str, RawRecord]]
_ENTRY_KEYS = frozenset({"value", "seen"})
RecordRef = tuple[str, str]  # (kind, id)


@dataclass
class MergeReport:
    """What came in from the other copy, seen from ours."""

    added: list[RecordRef] = field(default_factory=list)
    changed: list[RecordRef] = field(default_factory=list)
    deleted: list[RecordRef] = field(default_factory=list)
    conflicts: list[tuple[str, str, str]] = field(default_factory=list)  # kind, id, field
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # kind, id, why
    damaged: list[RecordRef] = field(default_factory=list)  # theirs, taken as it is: nothing better here

    @property
    def anything(self) -> bool:
        return bool(self.added or self.changed or self.deleted)


@dataclass(frozen=True)
class Origin:
    """Where the changes of a report came from, as far as the machine that merged can tell: a copy
    of the file (``copy``, its name; ``folder`` too when the copy has the file's own name), this
    machine (``here``: a command, another window), or the one partner who made every change
    (``partner``, by name). Empty when none of these is known."""

    copy: str | None = None
    folder: PurePath | None = None
    here: bool = False
    partner: str | None = None


def merge_replicas(
    ours: Mapping[str, Mapping[str, RawRecord]], theirs: Mapping[str, Any]
) -> tuple[Tables, MergeReport]:
    """Merge ``theirs`` into ``ours``: every table of both, as new dicts (``merge_changes``)."""
    changes, report = merge_changes(ours, theirs)
    merged: Tables = {kind: dict(records) for kind, records in ours.items()}
    for kind, records in theirs.items():
        if isinstance(kind, str) and isinstance(records, Mapping):
            merged.setdefault(kind, {}).update(changes.get(kind, {}))
    return merged, report


def merge_changes(
    ours: Mapping[str, Mapping[str, RawRecord]], theirs: Mapping[str, Any]
) -> tuple[dict[str, dict[str, RawRecord]], MergeReport]:
    """What merging ``theirs`` into ``ours`` changes: per table, the records to put in ours.

    Every table and record is merged, known to this version or not. What
    cannot be a record at all (a table that is not an object, a record that
    is not one) is skipped and reported; a damaged record of theirs is taken
    only where ours has nothing readable under its id. Neither input is
    modified, and only the records of ours that ``theirs`` holds are read.
    """
    report = MergeReport()
    changes: dict[str, dict[str, RawRecord]] = {}
    for kind, their_records in theirs.items():
        if not isinstance(kind, str) or not isinstance(their_records, Mapping):
            report.skipped.append((str(kind)[:40], "*", "a table that is not a JSON object"))
            continue
        table = ours.get(kind, {})
        for record_id, theirs_raw in their_records.items():
            mine = table.get(record_id)
            if record_id in table and mine == theirs_raw:
                continue
            if not isinstance(theirs_raw, dict):
                report.skipped.append((kind, record_id, "a record is not a JSON object"))
                continue
            mine_problem = "absent" if mine is None else envelope_problem(mine)
            theirs_problem = envelope_problem(theirs_raw)
            result, conflicts = _merge_any(mine, theirs_raw, mine_problem is None, theirs_problem is None)
            if result is mine:
                if theirs_problem:
                    report.skipped.append((kind, record_id, theirs_problem))
                continue
            changes.setdefault(kind, {})[record_id] = result
            if theirs_problem if result is theirs_raw else envelope_problem(result):
                report.damaged.append((kind, record_id))
                continue
            if mine_problem:
                if is_alive(result):
                    report.added.append((kind, record_id))
                continue
            report.changed.append((kind, record_id))
            if is_alive(mine) and not is_alive(result):
                report.deleted.append((kind, record_id))
            report.conflicts.extend((kind, record_id, name) for name in conflicts)
    return changes, report


def _merge_any(mine: Any, theirs: RawRecord, mine_ok: bool, theirs_ok: bool) -> tuple[Any, list[str]]:
    """The merge of two records under one id, either of which may be damaged (``envelope_problem``
    found one: not ``mine_ok``, not ``theirs_ok``).

    Well-formed records merge field by field. A damaged one is above nothing
    and below any well-formed one; of two damaged ones, the one with the
    greater canonical JSON is kept (a choice every copy makes the same way).
    Returns ``mine`` itself when ours stays as it is.
    """
    if mine is None:
        return theirs, []
    if mine_ok and theirs_ok:
        result, conflicts = merge_record(mine, theirs)
        return (mine, []) if result == mine else (result, conflicts)
    if mine_ok:
        return mine, []
    if theirs_ok:
        return theirs, []
    kept = join_unknown(mine, theirs)
    return (mine, []) if kept == mine else (theirs, [])


def merge_record(a: RawRecord, b: RawRecord) -> tuple[RawRecord, list[str]]:
    """Field by field, the newer write wins; the losing value goes to history.

    Returns the merged record and the names of fields both copies wrote
    apart with different values (the losing one is kept, marked unseen, for
    the couple to see and bring back). Two different values under one stamp
    (two machines sharing a replica id: a copied home folder) are no
    exception: one wins the same way on every copy, the other is kept.
    """
    if a == b:
        return a, []
    history = _union_history(a["history"], b["history"])
    a_fields, b_fields = a["fields"], b["fields"]
    a_stamps, b_stamps = a["stamps"], b["stamps"]
    # Start from a: a field only a has stays as it is.
    fields: dict[str, Any] = dict(a_fields)
    stamps: dict[str, str] = dict(a_stamps)
    conflicts: list[str] = []
    for name, sb in b_stamps.items():
        sa = a_stamps.get(name)
        if sa == sb:
            if a_fields[name] == b_fields[name]:
                continue
            winner = max(a_fields[name], b_fields[name], key=repr)
            loser = (sb, b_fields[name] if winner == a_fields[name] else a_fields[name])
            fields[name] = winner
        elif sa is not None and sa > sb:
            loser = (sb, b_fields[name])
        else:
            fields[name], stamps[name] = b_fields[name], sb
            loser = (sa, a_fields[name]) if sa is not None else None
        if name in NOT_KEPT or loser is None or not keepable(loser[1]):
            continue
        lost_stamp, lost_value = loser
        placed = _place(history.setdefault(name, {}), lost_stamp, {"value": lost_value, "seen": False})
        if placed and lost_value != fields[name]:
            conflicts.append(name)
    for entries in history.values():
        trim_history(entries)
    first = a if (a["created"], a["author"]) <= (b["created"], b["author"]) else b
    merged: RawRecord = {
        **_unknown_keys(a, b, ENVELOPE_KEYS),
        "author": first["author"],
        "created": first["created"],
        "fields": fields,
        "stamps": stamps,
        "history": {name: entries for name, entries in history.items() if entries},
    }
    return merged, sorted(conflicts)


def _union_history(a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Union of two histories; an entry seen by either copy is seen."""
    out = {name: dict(entries) for name, entries in a.items()}
    for name, entries in b.items():
        target = out.setdefault(name, {})
        for stamp in sorted(entries):  # a stamp before its twin
            _place(target, stamp, entries[stamp])
    return out


def _place(entries: dict[str, Any], stamp: str, entry: dict[str, Any]) -> bool:
    """Put a history entry at ``stamp``; False if that value was there already.

    An entry already there with the same value is joined (seen if either is
    seen). Two different values under one stamp (only where two machines
    shared a replica id) are both kept: the greater by ``repr`` (as for a
    field) stays at the stamp, the other moves on to its twin, the stamp with
    ``z`` added to its replica id (no replica id Kintsugi makes has a ``z``).
    Every copy orders the values the same way, so the merge stays order-free.
    """
    while True:
        known = entries.get(stamp)
        if known is None:
            entries[stamp] = entry
            return True
        if known["value"] == entry["value"]:
            if known != entry:
                entries[stamp] = {
                    **_unknown_keys(known, entry, _ENTRY_KEYS),
                    "value": known["value"],
                    "seen": known["seen"] or entry["seen"],
                }
            return False
        high, low = sorted((known, entry), key=lambda e: repr(e["value"]), reverse=True)
        entries[stamp] = high
        stamp, entry = twin_stamp(stamp), low
        if stamp is None:  # 32 characters of replica id used up: nowhere left to keep it
            return False


def _unknown_keys(a: Mapping[str, Any], b: Mapping[str, Any], known: frozenset[str]) -> dict[str, Any]:
    """The keys a newer version added beside ``known``, from both sides (``join_unknown`` where both)."""
    out = {key: value for key, value in a.items() if key not in known}
    for key, value in b.items():
        if key not in known:
            out[key] = join_unknown(out[key], value) if key in out else value
    return out


def merge_meta(ours: Mapping[str, Any], theirs: Mapping[str, Any]) -> dict[str, Any]:
    """The ``_meta`` table of two copies of one file: every document and key of both, kept.

    The caller has checked that ``file_id`` agrees and brought both to one
    ``schema_version``; keys this version does not know are joined like any
    unknown key.
    """
    out: dict[str, Any] = {name: doc for name, doc in ours.items()}
    for name, doc in theirs.items():
        mine = out.get(name)
        if isinstance(mine, Mapping) and isinstance(doc, Mapping):
            out[name] = _unknown_keys(mine, doc, frozenset())
        elif name in out:
            out[name] = join_unknown(mine, doc)
        else:
            out[name] = doc
    return out
