"""The envelope every record in the couple's file shares.

A record is stored as a plain JSON object::

    {
      "author":  "<partner id who created it>",
      "created": "<clock stamp of its creation>",
      "fields":  {"title": "...", "deleted": false, ...},
      "stamps":  {"title": "<stamp of the last write to title>", ...},
      "history": {"title": {"<stamp>": {"value": "...", "seen": true}}}
    }

Every field is its own last-writer-wins register (``stamps``). A field whose
name holds a dot (``signature.<partner id>``) is one entry of a map, so two
partners signing at once never overwrite each other. ``deleted`` is a field
like any other: a record is gone only while its tombstone is newer than every
other write, so an edit made after a delete brings the record back.
``history`` keeps the values a field held before: ``seen`` is true when the
writer replaced it knowingly, false when a merge found two partners had
written the same field apart (a conflict the couple may want to look at).

A newer Kintsugi may add keys to the envelope or to a history entry; they are
carried along as they are (``join_unknown`` decides between two copies).

These are plain dicts, not models, because the store and the merge handle
tens of thousands of them; ``app.domain.models`` gives them types.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from app.domain.clock import all_stamps, is_stamp, replica_of

RawRecord = dict[str, Any]
HISTORY_LIMIT = 32  # per field and per replica: see _trim
DELETED = "deleted"
EDITED_BY = "edited_by"
ENVELOPE_KEYS = frozenset({"author", "created", "fields", "stamps", "history"})
_ENTRY_KEYS = frozenset({"value", "seen"})
NOT_KEPT = frozenset({DELETED, EDITED_BY})  # fields whose losing values history does not keep


def new_record(author: str, stamp: str, fields: Mapping[str, Any]) -> RawRecord:
    """A record created by ``author`` at ``stamp`` holding ``fields``."""
    values = {**fields, DELETED: False, EDITED_BY: author}
    return {
        "author": author,
        "created": stamp,
        "fields": values,
        "stamps": dict.fromkeys(values, stamp),
        "history": {},
    }


def with_changes(raw: RawRecord, changes: Mapping[str, Any], stamp: str, editor: str) -> RawRecord:
    """A copy of ``raw`` with ``changes`` written at ``stamp`` by ``editor``.

    What a field held before (words, a number, a choice) goes into its
    history as seen, so an edit never loses it and a merge can tell a value
    replaced knowingly from one that lost to a concurrent write. Fields whose
    value does not change are left alone (and keep their stamp).
    """
    fields = dict(raw["fields"])
    stamps = dict(raw["stamps"])
    history = {name: dict(entries) for name, entries in raw["history"].items()}
    changed = False
    for name, value in changes.items():
        if name in fields and fields[name] == value:
            continue
        old = fields.get(name)
        if keepable(old) and name not in NOT_KEPT and name in stamps:
            entries = history.setdefault(name, {})
            entries[stamps[name]] = {"value": old, "seen": True}
            _trim(entries)
        fields[name] = value
        stamps[name] = stamp
        changed = True
    if changed:
        fields[EDITED_BY] = editor
        stamps[EDITED_BY] = stamp
    return {**raw, "fields": fields, "stamps": stamps, "history": history}


def tombstoned(raw: RawRecord, stamp: str, editor: str) -> RawRecord:
    """A copy of ``raw`` marked deleted at ``stamp`` (always a fresh stamp, even if it was deleted before)."""
    fields = {**raw["fields"], DELETED: True, EDITED_BY: editor}
    stamps = {**raw["stamps"], DELETED: stamp, EDITED_BY: stamp}
    return {**raw, "fields": fields, "stamps": stamps}


def is_alive(raw: RawRecord) -> bool:
    """False while the record's tombstone is its newest write."""
    if not raw["fields"].get(DELETED):
        return True
    stamps = raw["stamps"]
    tomb = stamps[DELETED]
    return any(s > tomb for name, s in stamps.items() if name not in (DELETED, EDITED_BY))


def latest_stamp(raw: RawRecord) -> str:
    return max(raw["stamps"].values())


def newest_valid_stamp(raw: object) -> str | None:
    """The newest well-formed stamp of a record that may be damaged (None if it has none)."""
    stamps = raw.get("stamps") if isinstance(raw, dict) else None
    if not isinstance(stamps, dict):
        return None
    return max(filter(is_stamp, stamps.values()), default=None)


def map_field(raw_fields: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    """The entries of a map stored as ``prefix.key`` fields (None values are unset)."""
    start = prefix + "."
    return {
        name[len(start) :]: value
        for name, value in raw_fields.items()
        if "." in name and name.startswith(start) and value is not None  # "in" first: faster to reject
    }


def unseen_history(raw: RawRecord) -> dict[str, list[tuple[str, Any]]]:
    """Per field, the (stamp, value) pairs a merge kept from a concurrent write (words, numbers, choices)."""
    found: dict[str, list[tuple[str, Any]]] = {}
    for name, entries in raw["history"].items():
        current = raw["fields"].get(name)
        lost = [
            (stamp, entry["value"])
            for stamp, entry in sorted(entries.items())
            if not entry["seen"] and entry["value"] != current
        ]
        if lost:
            found[name] = lost
    return found


def keepable(value: object) -> bool:
    """True for a value history keeps when it is replaced: anything but nothing (None, "")."""
    return value is not None and value != ""


def _trim(entries: dict[str, Any]) -> None:
    """Keep, of each replica's entries, its HISTORY_LIMIT newest (a rule that merges cleanly).

    Counting per replica (the machine that wrote the value) means one machine's
    many edits of a field never push out what another machine wrote: a value
    that lost to the partner's concurrent write is dropped only once its own
    machine has written that field HISTORY_LIMIT times since.
    """
    if len(entries) <= HISTORY_LIMIT:
        return
    by_replica: dict[str, list[str]] = {}
    for stamp in entries:
        by_replica.setdefault(replica_of(stamp), []).append(stamp)
    for stamps in by_replica.values():
        if len(stamps) > HISTORY_LIMIT:
            for stamp in sorted(stamps)[: len(stamps) - HISTORY_LIMIT]:
                del entries[stamp]


def join_unknown(a: Any, b: Any) -> Any:
    """Of two values of a key this version does not know, the one both copies keep.

    Deterministic and order-free (the greater canonical JSON), so merges stay
    commutative, associative and idempotent; a newer Kintsugi that adds such a
    key gives it a meaning under which that choice is right (docs/SYNC.md).
    """
    if a == b:
        return a
    return max(a, b, key=_canonical)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=True, default=repr)


def envelope_problem(raw: object) -> str | None:
    """Why ``raw`` is not a well-formed record, or None if it is."""
    if not isinstance(raw, dict):
        return "a record is not a JSON object"
    if not raw.keys() >= ENVELOPE_KEYS:
        return "a record lacks one of author, created, fields, stamps, history"
    fields, stamps, history = raw["fields"], raw["stamps"], raw["history"]
    if not (isinstance(raw["author"], str) and is_stamp(raw["created"])):
        return "a record has no valid author or creation stamp"
    if not (isinstance(fields, dict) and isinstance(stamps, dict) and isinstance(history, dict)):
        return "a record's fields, stamps or history is not an object"
    if fields.keys() != stamps.keys() or not all_stamps(stamps.values()):
        return "a record's fields and stamps do not match"
    if not isinstance(fields.get(DELETED), bool):
        return "a record has no deleted flag"
    for entries in history.values():
        if not isinstance(entries, dict):
            return "a record's history is not an object"
        for stamp, entry in entries.items():
            if not (
                is_stamp(stamp)
                and isinstance(entry, dict)
                and entry.keys() >= _ENTRY_KEYS
                and isinstance(entry["seen"], bool)
            ):
                return "a record's history entry is malformed"
    return None


def with_seen(raw: RawRecord, name: str, stamp: str) -> RawRecord:
    """A copy of ``raw`` where the kept text at ``stamp`` is marked seen (the couple looked at it).

    Seen only ever goes from false to true, so it merges like everything else.
    """
    entries = raw["history"].get(name, {})
    if stamp not in entries or entries[stamp]["seen"]:
        return raw
    history = {**raw["history"], name: {**entries, stamp: {**entries[stamp], "seen": True}}}
    return {**raw, "history": history}
