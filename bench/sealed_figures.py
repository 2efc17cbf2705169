"""The sealed file against the plain one: a write, opening it, and taking in the partner's copy.

Each sealed figure is measured in turns with the same on a plain copy of the
same generated file (and the write against plain TinyDB, as for the plain
write), so the ratios say what sealing costs on this box today. Taking in the
partner's copy is measured twice: as the pure steps (parse, open, merge, seal
two copies held in memory) and as the store does it (``store.refresh()`` on a
loaded store whose file the partner's sealed copy replaced: ``TakeIn``).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path

from tinydb.table import Document

from app.domain.models import Celebration, fields_of
from app.domain.records import new_record
from app.store.couple import CoupleStore
from app.store.files import canonical_json
from app.store.keys import Keyring, sealed_meta
from app.store.local import LocalState
from app.store.sealing import FileKey, new_file_key
from app.store.storage import META_TABLE, merge_data
from bench.core import Context, Row, figure, interleaved, interleaved_prepared, median, size_label
from bench.generate import cached_file, diverge, diverged_replicas
from bench.store_figures import (
    WRITE_TARGET_RATIO,
    WRITE_TARGET_SIZE,
    PlainTinyDB,
    TakeIn,
    _note,
    diverged_copies,
)

SEALED_TARGET_RATIO = 1.5  # open and merge within 1.5x of the same on a plain file
SEALED_TARGET_SIZE = 10_000
TAKE_IN_WHY = """A sealed take-in compares the partner's boxes with the bytes
of ours, opens only the boxes that differ (AES-GCM-SIV and a JSON parse each), merges them, and
seals what changed. Our boxes are split by their bytes when the file is opened (the open keeps the
split, as a plain file's records are). Profiled on 2026-12-07 (cProfile, 10k, 732 records
differing, the store just opened): 0.24 s under the profiler, of which the merge 0.10 s (as on the
plain file), the walk comparing the two sealed tables (`changed_records`) 0.04 s, our boxes' entries
for it 0.03 s (no longer made since: the walk reads ours in place), opening the 732 boxes 0.03 s.
The open reads the sealed file and this machine's
readable copy (laid out as a plain file, with the sealed table as it was when the copy was written
and where each box lies in it), compares the two sealed tables as bytes, opens only the boxes that
differ, and reads the copy's records lazily, each parsed when first read: over the plain open it
reads and scans twice the sealed table's bytes (~11 MB at 10k, in the file and in the copy). A
write keeps the boxes of the records that did not change as the bytes they were; over the plain
write it writes and fsyncs a file ~30% larger and joins the sealed table into one buffer."""


def sealed_copy(ctx: Context, n: int, folder: Path) -> tuple[Path, Path]:
    """A copy of the generated file of ``n`` records, sealed for its "me" machine, in ``folder``."""
    path, local = ctx.couple_copy(n, folder)
    store = CoupleStore(path, LocalState(local))
    store.load()
    me = store.me
    assert me is not None
    data = {name: dict(table) for name, table in store.storage.read().items()}  # type: ignore[union-attr]
    store.seal_tables(data, me.id, FileKey(new_file_key(), store.file_id))
    store.storage.write(data)
    return path, local


@figure("sealed", "A sealed file against a plain one")
def sealed(ctx: Context) -> list[Row]:
    rows: list[Row] = []
    for n in ctx.sizes:
        rows += [_write_at(ctx, n), _open_at(ctx, n), _merge_at(ctx, n), *_take_in_at(ctx, n)]
    return rows


def _targeted(n: int, ours: float, reference: float, ratio: float) -> tuple[str, bool | None]:
    if n != SEALED_TARGET_SIZE:
        return "report only", None
    return f"≤ {ratio:.2f}", ours <= ratio * reference


def _write_at(ctx: Context, n: int) -> Row:
    runs = ctx.reps(full={1_000: 31, 10_000: 15}.get(n, 7), quick={1_000: 7, 10_000: 5}.get(n, 3))
    ctx.log(f"  sealed write, {size_label(n)} records, {runs} runs each")
    folder = ctx.scratch(f"sealed-write-{n}")
    path, local = sealed_copy(ctx, n, folder / "ours")
    plain_path, _ = ctx.couple_copy(n, folder / "tinydb")
    store = CoupleStore(path, LocalState(local))
    store.load()
    me = store.me
    assert me is not None
    plain = PlainTinyDB(plain_path)
    table = plain.table("celebration")
    table.all()
    counter = iter(range(10**9))

    def ours() -> None:
        title, note = _note(next(counter))
        store.add_celebration(me.id, title, note=note)

    def tinydb() -> None:
        title, note = _note(next(counter))
        model = Celebration(id="x", author=me.id, created="", title=title, note=note, day=dt.date.today())
        raw = new_record(me.id, store.clock.tick(), fields_of(model))
        table.insert(Document(raw, doc_id=str(uuid.uuid4())))

    ours()  # the first write also keeps the hourly backup
    times = interleaved(runs, ours=ours, tinydb=tinydb)
    plain.close()
    ours_s, plain_s = median(times["ours"]), median(times["tinydb"])
    target, met = (
        (f"≤ {WRITE_TARGET_RATIO:.2f} (5x faster)", ours_s <= WRITE_TARGET_RATIO * plain_s)
        if n == WRITE_TARGET_SIZE
        else ("report only", None)
    )
    return Row(
        "Sealed: one acknowledged write",
        size_label(n),
        ours_s,
        plain_s,
        "plain TinyDB insert",
        target=target,
        met=met,
        runs=runs,
    )


def _open_at(ctx: Context, n: int) -> Row:
    runs = ctx.reps(full={1_000: 31, 10_000: 11}.get(n, 5), quick={1_000: 7, 10_000: 5}.get(n, 3))
    ctx.log(f"  sealed open, {size_label(n)} records, {runs} runs each")
    folder = ctx.scratch(f"sealed-open-{n}")
    sealed_path, sealed_local = sealed_copy(ctx, n, folder / "sealed")
    plain_path, plain_local = ctx.couple_copy(n, folder / "plain")

    def opening(path: Path, local: Path):
        def run() -> None:
            store = CoupleStore(path, LocalState(local))
            store.load()
            assert len(store.partners) == 2
            store.celebrations()

        return run

    times = interleaved(
        runs, sealed=opening(sealed_path, sealed_local), plain=opening(plain_path, plain_local)
    )
    ours_s, plain_s = median(times["sealed"]), median(times["plain"])
    target, met = _targeted(n, ours_s, plain_s, SEALED_TARGET_RATIO)
    return Row(
        "Sealed: open + first read",
        size_label(n),
        ours_s,
        plain_s,
        "the same on the plain file",
        target=target,
        met=met,
        runs=runs,
    )


def _merge_at(ctx: Context, n: int) -> Row:
    """Taking in the partner's copy: parse it, (open it,) merge, (seal the result)."""
    runs = ctx.reps(full={1_000: 31, 10_000: 11}.get(n, 5), quick={1_000: 7, 10_000: 5}.get(n, 3))
    ctx.log(f"  sealed merge, {size_label(n)} records, {runs} runs each")
    ours, theirs = diverged_replicas(cached_file(n, ctx.seed), 0.05, ctx.seed)
    file_id = ours[META_TABLE]["file"]["file_id"]
    key = FileKey(new_file_key(), file_id)
    meta = sealed_meta(ours[META_TABLE], key)
    local = LocalState(ctx.scratch(f"sealed-merge-{n}") / "local.json")
    their_ring = Keyring(local)
    their_ring.keep(key)
    their_text = canonical_json(their_ring.seal_data({**theirs, META_TABLE: meta}))
    plain_text = canonical_json(theirs)
    sealed_ours = {**ours, META_TABLE: meta}

    rings = []
    for _ in range(runs):  # ours' keyring as the open store holds it: its own boxes known
        ring = Keyring(local)
        ring.keep(key)
        ring.seal_data(sealed_ours)
        rings.append(ring)
    turns = iter(rings)

    def sealed() -> None:
        ring = next(turns)
        merged, _ = merge_data(sealed_ours, ring.open_data(json.loads(their_text)))
        ring.seal_data(merged)

    def plain() -> None:
        merge_data(ours, json.loads(plain_text))

    times = interleaved(runs, sealed=sealed, plain=plain)
    ours_s, plain_s = median(times["sealed"]), median(times["plain"])
    target, met = _targeted(n, ours_s, plain_s, SEALED_TARGET_RATIO)
    return Row(
        "Sealed: the partner's copy parsed, opened, merged and sealed in memory",
        size_label(n),
        ours_s,
        plain_s,
        "parse + merge of the plain copy",
        target=target,
        met=met,
        runs=runs,
    )


def _take_in_at(ctx: Context, n: int) -> list[Row]:
    """What the store does when the partner's sealed copy arrives, against the same on the plain file.

    Both sealed copies are sealed from the file as "me"'s store opened it, diverged as the plain
    ones are; sealing is deterministic (GCM-SIV, the nonce from the stored id), so the boxes of
    the records neither side changed are byte for byte the same in both copies, as they are
    when the partner's machine opened our file and sealed only what it changed.
    """
    runs = ctx.reps(full={1_000: 15, 10_000: 9}.get(n, 5), quick={1_000: 5, 10_000: 3}.get(n, 3))
    ctx.log(f"  sealed take-in (store.refresh()), {size_label(n)} records, {runs} runs each")
    folder = ctx.scratch(f"sealed-take-in-{n}")
    path, local = sealed_copy(ctx, n, folder / "sealed")
    store = CoupleStore(path, LocalState(local))
    store.load()
    opened = json.dumps({name: dict(table) for name, table in store.storage.read().items()})  # type: ignore[union-attr]
    del store
    copies = diverge((json.loads(opened), json.loads(opened)), 0.05, ctx.seed)
    ours, theirs = (canonical_json(Keyring(LocalState(local)).seal_data(c)).encode("ascii") for c in copies)
    sealed = TakeIn(path, local, ours, theirs)
    plain = TakeIn(*diverged_copies(ctx, n, folder / "plain"))
    sealed.check()
    plain.check()
    times = interleaved_prepared(runs, sealed=sealed.prepare, plain=plain.prepare)
    ours_s, plain_s = sealed.median("take_in"), plain.median("take_in")
    target, met = _targeted(n, ours_s, plain_s, SEALED_TARGET_RATIO)
    return [
        Row(
            "Sealed: take in the partner's copy (bytes → merged, store.refresh())",
            size_label(n),
            ours_s,
            plain_s,
            "the same on the plain file",
            target=target,
            met=met,
            runs=runs,
            note=f"sealed: {sealed.path_taken()}, {sealed.median('merged'):.0f} records handed to the "
            f"merge; plain: {plain.path_taken()}",
            why=TAKE_IN_WHY,
        ),
        Row(
            "Sealed: take in the partner's copy and write the merge back (store.refresh() whole)",
            size_label(n),
            median(times["sealed"]),
            median(times["plain"]),
            "the same on the plain file",
            runs=runs,
            note=f"of it, writing the merge back: sealed {sealed.median('write_back') * 1000:.0f} ms, "
            f"plain {plain.median('write_back') * 1000:.0f} ms",
        ),
    ]
