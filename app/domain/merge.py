"""Merging two copies of the couple's records: a pure function.

``merge_replicas(ours, theirs)`` takes the union of records by id and, within
a record, keeps each field's newest write (by clock stamp). Text that loses
goes into the field's history, so nothing either partner typed is lost. The
result does not depend on the order copies are merged in (commutative,
associative, idempotent), which is what lets any number of copies, synced
in any order, end up the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.domain.models import KINDS, record_problem
from app.domain.records import EDITED_BY, HISTORY_LIMIT, RawRecord, is_alive

Tables = dict[str, dict[str, RawRecord]]
RecordRef = tuple[str, str]  # (kind, id)


@dataclass
class MergeReport:
    """What came in from the other copy, seen from ours."""

    added: list[RecordRef] = field(default_factory=list)
    changed: list[RecordRef] = field(default_factory=list)
    deleted: list[RecordRef] = field(default_factory=list)
    conflicts: list[tuple[str, str, str]] = field(default_factory=list)  # kind, id, field
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # kind, id, why

    @property
    def anything(self) -> bool:
        return bool(self.added or self.changed or self.deleted)


def merge_replicas(
    ours: Mapping[str, Mapping[str, RawRecord]], theirs: Mapping[str, Any]
) -> tuple[Tables, MergeReport]:
    """Merge ``theirs`` into ``ours``; neither input is modified.

    Records of ``theirs`` that are malformed, of an unknown kind or fail
    validation are skipped and listed in the report, never merged in. Tables
    of ours that this version does not know are kept as they are.
    """
    report = MergeReport()
    merged: Tables = {kind: dict(records) for kind, records in ours.items()}
    for kind, their_records in theirs.items():
        if kind not in KINDS or not isinstance(their_records, Mapping):
            report.skipped.append((str(kind)[:40], "*", f"unknown kind of record {str(kind)[:40]!r}"))
            continue
        table = merged.setdefault(kind, {})
        for record_id, theirs_raw in their_records.items():
            mine = table.get(record_id)
            if record_id in table and mine == theirs_raw:
                continue
            problem = record_problem(kind, record_id, theirs_raw)
            if problem:
                report.skipped.append((kind, record_id, problem))
                continue
            if mine is None or record_problem(kind, record_id, mine):
                table[record_id] = theirs_raw
                if is_alive(theirs_raw):
                    report.added.append((kind, record_id))
                continue
            result, conflicts = merge_record(mine, theirs_raw)
            if result == mine:
                continue
            table[record_id] = result
            report.changed.append((kind, record_id))
            if is_alive(mine) and not is_alive(result):
                report.deleted.append((kind, record_id))
            report.conflicts.extend((kind, record_id, name) for name in conflicts)
    return merged, report


def merge_record(a: RawRecord, b: RawRecord) -> tuple[RawRecord, list[str]]:
    """Field by field, the newer write wins; losing text goes to history.

    Returns the merged record and the names of text fields both copies wrote
    apart (the losing text is kept, marked unseen, for the couple to see).
    """
    if a == b:
        return a, []
    history = _union_history(a["history"], b["history"])
    a_fields, b_fields = a["fields"], b["fields"]
    a_stamps, b_stamps = a["stamps"], b["stamps"]
    # Start from a: a field only a has, or both wrote at the same stamp, stays as it is.
    fields: dict[str, Any] = dict(a_fields)
    stamps: dict[str, str] = dict(a_stamps)
    conflicts: list[str] = []
    for name, sb in b_stamps.items():
        sa = a_stamps.get(name)
        if sa == sb:
            if a_fields[name] != b_fields[name]:
                # One stamp, two values: only a damaged copy does this. Pick one
                # the same way whichever side it is on.
                fields[name] = max(a_fields[name], b_fields[name], key=repr)
            continue
        if sa is not None and sa > sb:
            loser = (sb, b_fields[name])
        else:
            fields[name], stamps[name] = b_fields[name], sb
            loser = (sa, a_fields[name]) if sa is not None else None
        if name == EDITED_BY or loser is None or not isinstance(loser[1], str) or not loser[1]:
            continue
        lost_stamp, lost_text = loser
        entries = history.setdefault(name, {})
        known = entries.get(lost_stamp)
        if known is None:
            entries[lost_stamp] = {"value": lost_text, "seen": False}
            if lost_text != fields[name]:
                conflicts.append(name)
    for entries in history.values():
        if len(entries) > HISTORY_LIMIT:
            for stamp in sorted(entries)[: len(entries) - HISTORY_LIMIT]:
                del entries[stamp]
    first = a if (a["created"], a["author"]) <= (b["created"], b["author"]) else b
    merged = {
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
        for stamp, entry in entries.items():
            known = target.get(stamp)
            if known is None:
                target[stamp] = entry
            elif entry["seen"] and not known["seen"]:
                target[stamp] = {"value": known["value"], "seen": True}
    return out
