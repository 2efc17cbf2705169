"""The store-level figures: one acknowledged write, merge, open and first read, import cost."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.table import Document, Table

from app.domain.merge import merge_replicas
from app.domain.models import Celebration, fields_of
from app.domain.records import new_record
from app.store.couple import CoupleStore
from app.store.files import META_TABLE, atomic_write, canonical_json
from app.store.local import LocalState
from bench.core import Context, Row, figure, interleaved, interleaved_prepared, median, size_label
from bench.generate import cached_file, diverged_replicas, records_of

REPO = Path(__file__).resolve().parent.parent
WRITE_TARGET_RATIO = 0.2  # at least 5x faster than plain TinyDB ...
WRITE_TARGET_SIZE = 10_000  # ... with 10k records
MERGE_TARGET_S = 0.100  # under 100 ms ...
MERGE_TARGET_RATIO = 0.3  # ... and at most 0.3x json.loads of the file (issue 21) ...
MERGE_TARGET_SIZE = 50_000  # ... at 50k records, taking in the partner's copy
LINEAR_ENOUGH = 1.5  # cost per record may grow this much from one size to the next


MERGE_WHY = """Profiled on 2026-12-07 (h22-takein; `storage._take_in_disk()` alone at 50k, copy A
freshly loaded, the partner's copy B on disk; 3,638 records differ, in 4 tables: 1,000 new of
theirs, ~1,200 changed on each side alone, ~300 on both). Each phase timed apart (CPU, medians of 9,
in turns with json.loads of the file, 394 ms): reading the 40 MB file 26 ms, finding its tables
(one regex scan) 23 ms, the walk comparing it with ours (`changed_records`) 47 ms, parsing both
sides' records that differ 38 ms, the merge (`merge_changes`) 69 ms: the envelope checks ~28 ms
(7.8k of them, ~3.6 µs each: ours and theirs of each record, and what the merge made) and
`merge_record` ~27 ms (2.6k pairs, ~10 µs each). The floor: reading, finding the tables and parsing
what differs are done in C and already take 87 ms, 0.22x json.loads of the file, before any
Python; the walk and the merge are ~32 µs of Python a record that differs. 0.3x would leave
them ~8 µs a record, a quarter of it: not a matter of the per-record steps (halving the walk's
blocks, matching every stamp at once, caching them: each within noise, or a few percent; the
merge's own steps are the comparisons it needs), but of what is done at all: the file read and
scanned whole, each record that differs parsed on both sides and merged field by field in Python.
Under 100 ms needs the partner's changes told apart without reading and scanning the whole file,
or the merge out of Python. The sealed figure's plain reference times the same `TakeIn` as this
row (299 ms against 1.28 s in the run of 05f459c): that row ran later in the run; this one near
its start, at a load average of 10.8 (its json.loads of the file took 1.96 s)."""


class PlainTable(Table):
    """TinyDB's own table, but with string ids: its default int ids cannot read our UUID keys."""

    document_id_class = str


class PlainTinyDB(TinyDB):
    """Plain TinyDB with its default JSONStorage (re-reads and re-parses the file on every call)."""

    table_class = PlainTable


def _note(index: int) -> tuple[str, str]:
    return f"Benchmark celebration {index}", "A short note, like most of them: we stayed kind."


@figure(
    "write",
    "One acknowledged write",
    remains="""Profiled with pyinstrument at 10k: each `add_celebration` writes the whole file twice
    (`CoupleStore._put` calls TinyDB's `upsert`, whose update step finds no record yet still hands
    the whole database to the storage, and then inserts); each write encodes the whole file with
    `indent=1`, which Python does in its pure-Python encoder (about 20 µs a record, 0.2 s at 10k);
    and `_tick` scans every stamp in the file after each of our own writes. All three are ours.
    The fix, since applied (insert new records; `CanonicalFile` re-encodes only the
    records that changed, byte for byte the same output, checked against `canonical_json` in the
    tests; rescan stamps only after someone else's write) measured 15-17 ms against TinyDB's
    95-115 ms at 10k (ratio 0.15-0.17) and 61-85 ms against 560-900 ms at 50k, in a trial copy. What it
    leaves is rewriting and fsyncing the whole file (9 MB at 10k), which one JSON file replaced
    atomically cannot avoid.""",
)
def acknowledged_write(ctx: Context) -> list[Row]:
    return [row for n in ctx.sizes for row in _write_at(ctx, n)]


def _write_at(ctx: Context, n: int) -> list[Row]:
    runs = ctx.reps(full={1_000: 41, 10_000: 21}.get(n, 9), quick={1_000: 11, 10_000: 7}.get(n, 3))
    ctx.log(f"  write, {size_label(n)} records, {runs} runs each")
    folder = ctx.scratch(f"write-{n}")
    ours_path, local = ctx.couple_copy(n, folder / "ours")
    plain_path, _ = ctx.couple_copy(n, folder / "tinydb")

    store = CoupleStore(ours_path, LocalState(local))
    store.load()
    me = store.me
    assert me is not None
    plain = PlainTinyDB(plain_path)
    plain_table = plain.table("celebration")
    plain_table.all()  # warm: one read each
    sqlite = _sqlite_with_rows(folder / "sqlite" / "couple.sqlite", n)
    counter = iter(range(10**9))

    def ours() -> None:
        title, note = _note(next(counter))
        store.add_celebration(me.id, title, note=note)

    def tinydb() -> None:
        title, note = _note(next(counter))
        model = Celebration(id="x", author=me.id, created="", title=title, note=note, day=dt.date.today())
        raw = new_record(me.id, store.clock.tick(), fields_of(model))
        plain_table.insert(Document(raw, doc_id=str(uuid.uuid4())))

    def sqlite3_wal() -> None:
        row = (str(uuid.uuid4()), "celebration", "x" * 300)
        sqlite.execute("INSERT INTO records VALUES (?, ?, ?)", row)
        sqlite.commit()

    for warm in (ours, tinydb, sqlite3_wal):  # the first write also keeps the hourly backup
        warm()
    times = interleaved(runs, ours=ours, tinydb=tinydb, sqlite=sqlite3_wal)
    plain.close()
    sqlite.close()
    written = json.loads(ours_path.read_text(encoding="utf-8"))["celebration"]
    assert len(written) == len(json.loads(plain_path.read_text(encoding="utf-8"))["celebration"])

    ours_s, plain_s = median(times["ours"]), median(times["tinydb"])
    targeted = n == WRITE_TARGET_SIZE
    return [
        Row(
            "One acknowledged write (add_celebration, fsync)",
            size_label(n),
            ours_s,
            plain_s,
            "plain TinyDB insert",
            target=f"≤ {WRITE_TARGET_RATIO:.2f} (5x faster)" if targeted else "report only",
            met=ours_s <= WRITE_TARGET_RATIO * plain_s if targeted else None,
            runs=runs,
        ),
        Row(
            "One acknowledged write vs sqlite3",
            size_label(n),
            ours_s,
            median(times["sqlite"]),
            "sqlite3 WAL, synchronous=FULL",
            runs=runs,
        ),
    ]


def _sqlite_with_rows(path: Path, n: int) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("CREATE TABLE records (id TEXT PRIMARY KEY, kind TEXT, body TEXT)")
    connection.executemany(
        "INSERT INTO records VALUES (?, ?, ?)",
        ((str(uuid.UUID(int=i, version=4)), "celebration", "x" * 300) for i in range(n)),
    )
    connection.commit()
    connection.execute("SELECT count(*) FROM records").fetchone()
    return connection


@figure(
    "merge",
    "Taking in the partner's copy, and the merge of two parsed copies, diverged by 5% each",
    remains=MERGE_WHY,
)
def merge(ctx: Context) -> list[Row]:
    rows = [_merge_at(ctx, n) for n in ctx.sizes]
    by_size = dict(zip(ctx.sizes, rows, strict=True))
    sizes = sorted(by_size)
    for small, large in itertools.pairwise(sizes):
        # Each size's merge is timed against json.loads of the same copy, taking turns with it,
        # and json.loads grows linearly: comparing those ratios keeps a box that speeds up or
        # slows down between the sizes (it does, by half) out of the growth.
        growth = by_size[large].ratio / by_size[small].ratio  # type: ignore[operator]
        per_record = [by_size[n].ours / n * 1e6 for n in (small, large)]  # type: ignore[operator]
        rows.append(
            Row(
                "Merge: cost per record, larger ÷ smaller",
                f"{size_label(small)}→{size_label(large)}",
                growth,
                unit="x",
                target=f"≤ {LINEAR_ENOUGH} (close to linear)",
                met=growth <= LINEAR_ENOUGH,
                note=f"{per_record[0]:.1f} → {per_record[1]:.1f} µs a record; the growth is of the "
                "merge's time over json.loads', each size's taken in turns",
            )
        )
    for n in ctx.sizes:
        rows += _take_in_at(ctx, n)
    return rows


def _merge_at(ctx: Context, n: int) -> Row:
    runs = ctx.reps(full={1_000: 41, 10_000: 15}.get(n, 9), quick={1_000: 11, 10_000: 5}.get(n, 3))
    ctx.log(f"  merge, {size_label(n)} records, {runs} runs each")
    source = cached_file(n, ctx.seed)
    ours, theirs = diverged_replicas(source, 0.05, ctx.seed)
    text = source.read_text(encoding="utf-8")
    _, report = merge_replicas(records_of(ours), records_of(theirs))
    assert report.added and report.changed and report.conflicts and not report.skipped
    times = interleaved(
        runs,
        merge=lambda: merge_replicas(records_of(ours), records_of(theirs)),
        parse=lambda: json.loads(text),
    )
    return Row(
        "Merge (merge_replicas) of two parsed copies, 5% diverged each side",
        size_label(n),
        median(times["merge"]),
        median(times["parse"]),
        "json.loads of one copy",
        runs=runs,
        note=f"{len(report.added)} added, {len(report.changed)} changed, {len(report.conflicts)} conflicts; "
        "the pure merge, not what the app does when a copy arrives (the take-in rows)",
    )


@dataclass
class TakeIn:
    """What a running store does when the partner's copy arrives: ``store.refresh()``.

    Each call is prepared afresh (untimed): copy A written over the file, a ``CoupleStore``
    opened on it and loaded (as the running app holds it), then the file replaced by copy B,
    the partner's, as their sync service would. The call is ``store.refresh()``: read the
    bytes, compare them record by record with ours (``CoupleStorage._take_in_changes_only``),
    parse (and, sealed, open) only the records that differ, merge them; and then, since A
    holds changes B lacks, write the merge back. The storage's methods are wrapped to tell
    the two apart, and to say which path the take-in took.
    """

    path: Path
    local: Path
    ours: bytes  # copy A, as the app lays it out (canonical_json)
    theirs: bytes  # copy B, the partner's
    runs: list[dict[str, Any]] = field(default_factory=list)

    def prepare(self) -> Callable[[], object]:
        atomic_write(self.path, self.ours)
        store = CoupleStore(self.path, LocalState(self.local))
        store.load()
        storage = store.storage
        run: dict[str, Any] = {"take_in": 0.0, "write_back": 0.0, "merged": 0, "bytewise": False}
        take_in_disk, changes_only = storage._take_in_disk, storage._take_in_changes_only
        merge_in, save = storage._merge_in, storage._save

        def timed_take_in() -> None:
            start = time.perf_counter()
            try:
                take_in_disk()
            finally:
                run["take_in"] += time.perf_counter() - start

        def noted_changes_only() -> bool:
            done = changes_only()
            run["bytewise"] = run["bytewise"] or done
            return done

        def counted_merge_in(theirs: dict[str, Any], **how: Any) -> None:
            run["merged"] += sum(len(table) for name, table in theirs.items() if name != META_TABLE)
            merge_in(theirs, **how)

        def timed_save() -> None:
            start = time.perf_counter()
            try:
                save()
            finally:
                run["write_back"] += time.perf_counter() - start

        storage._take_in_disk = timed_take_in  # type: ignore[method-assign]
        storage._take_in_changes_only = noted_changes_only  # type: ignore[method-assign]
        storage._merge_in = counted_merge_in  # type: ignore[method-assign]
        storage._save = timed_save  # type: ignore[method-assign]
        atomic_write(self.path, self.theirs)  # the partner's copy arrives

        def call() -> None:
            changed = store.refresh()
            assert changed and not store.unsaved
            self.runs.append(run)

        return call

    def check(self) -> None:
        """The merge on disk holds both sides' changes: run it once, untimed (it also keeps the hourly
        backup, which a running app has kept already)."""
        self.prepare()()
        self.runs.clear()
        merged = json.loads(self.path.read_bytes())
        assert merged != json.loads(self.ours) and merged != json.loads(self.theirs)

    def median(self, what: str) -> float:
        return median([run[what] for run in self.runs])

    def path_taken(self) -> str:
        bytewise = sum(run["bytewise"] for run in self.runs)
        if bytewise == len(self.runs):
            return "compared byte-wise record by record"
        if not bytewise:
            return "read whole (the byte-wise take-in declined)"
        return f"compared byte-wise in {bytewise} of {len(self.runs)} runs, read whole in the others"


def diverged_copies(ctx: Context, n: int, folder: Path) -> tuple[Path, Path, bytes, bytes]:
    """The generated file opened once by "me"'s store (which publishes this machine in it, as the
    running app's file holds it), then two copies of that diverged by 5% each side, laid out as the
    app writes them: (path, local, copy A's bytes, copy B's)."""
    path, local = ctx.couple_copy(n, folder)
    store = CoupleStore(path, LocalState(local))
    store.load()
    del store
    ours, theirs = diverged_replicas(path, 0.05, ctx.seed)
    return path, local, canonical_json(ours).encode("ascii"), canonical_json(theirs).encode("ascii")


def _take_in_at(ctx: Context, n: int) -> list[Row]:
    runs = ctx.reps(full={1_000: 21, 10_000: 11}.get(n, 7), quick={1_000: 7, 10_000: 5}.get(n, 3))
    ctx.log(f"  take in the partner's copy, {size_label(n)} records, {runs} runs each")
    path, local, ours, theirs = diverged_copies(ctx, n, ctx.scratch(f"take-in-{n}"))
    take_in = TakeIn(path, local, ours, theirs)
    take_in.check()
    text = theirs.decode("ascii")
    times = interleaved_prepared(runs, ours=take_in.prepare, parse=lambda: lambda: json.loads(text))
    ours_s, whole_s, parse_s = take_in.median("take_in"), median(times["ours"]), median(times["parse"])
    targeted = n == MERGE_TARGET_SIZE
    target = "report only"
    if targeted:
        target = f"< {MERGE_TARGET_S * 1000:.0f} ms and ≤ {MERGE_TARGET_RATIO:.1f}x"
    return [
        Row(
            "Take in the partner's copy (bytes → merged), 5% diverged each side",
            size_label(n),
            ours_s,
            parse_s,
            "json.loads of the file",
            target=target,
            met=ours_s < MERGE_TARGET_S and ours_s <= MERGE_TARGET_RATIO * parse_s if targeted else None,
            runs=runs,
            note=f"store.refresh() on a loaded store, its file replaced by the partner's copy, up to the "
            f"merge held in memory: {take_in.path_taken()}, {take_in.median('merged'):.0f} records "
            "handed to the merge",
        ),
        Row(
            "Take in the partner's copy, and write the merge back (store.refresh() whole)",
            size_label(n),
            whole_s,
            parse_s,
            "json.loads of the file",
            runs=runs,
            note=f"of it, writing the merge back {take_in.median('write_back') * 1000:.0f} ms "
            "(copy A held changes the partner's lacked; replaced and fsynced)",
        ),
    ]


@figure("open", "Open and first read")
def open_and_read(ctx: Context) -> list[Row]:
    return [_open_at(ctx, n) for n in ctx.sizes]


def _open_at(ctx: Context, n: int) -> Row:
    runs = ctx.reps(full={1_000: 41, 10_000: 15}.get(n, 7), quick={1_000: 11, 10_000: 5}.get(n, 3))
    ctx.log(f"  open, {size_label(n)} records, {runs} runs each")
    path, local = ctx.couple_copy(n, ctx.scratch(f"open-{n}"))
    local_state = LocalState(local)

    def ours() -> None:
        store = CoupleStore(path, local_state)
        store.load()
        assert len(store.partners) == 2
        store.celebrations()

    def plain() -> None:
        with PlainTinyDB(path) as db:
            db.table("celebration").all()

    times = interleaved(runs, ours=ours, plain=plain)
    return Row(
        "Open + first read (load, partners, celebrations)",
        size_label(n),
        median(times["ours"]),
        median(times["plain"]),
        'TinyDB(path).table("celebration").all()',
        runs=runs,
    )


@figure("imports", "Import cost")
def import_cost(ctx: Context) -> list[Row]:
    runs = ctx.reps(full=9, quick=3)
    ctx.log(f"  imports, {runs} runs each")
    ours, textual = [], []
    by_package: dict[str, list[int]] = {}
    for _ in range(runs):
        baseline = set(_imports("pass")[0])
        store_imports, own = _imports("import app.store.couple")
        ours.append(sum(us for name, us in store_imports.items() if name not in baseline) / 1e6)
        for name, us in own.items():
            by_package.setdefault(name, []).append(us)
        textual_imports, _ = _imports("import textual.app")
        textual.append(sum(us for name, us in textual_imports.items() if name not in baseline) / 1e6)
    top = sorted(((median(v), k) for k, v in by_package.items()), reverse=True)[:4]
    return [
        Row(
            "Import cost: import app.store.couple",
            "-",
            median(ours),
            median(textual),
            "import textual.app",
            runs=runs,
            note="own time: " + ", ".join(f"{name} {us / 1000:.0f} ms" for us, name in top),
        )
    ]


_IMPORTTIME = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)$")


def _imports(code: str) -> tuple[dict[str, int], dict[str, int]]:
    """What ``python -X importtime -c code`` reports, in µs.

    First the cumulative time of each top-level import (those the code or
    the interpreter's startup made), then the time spent in each package's
    own modules (``app`` split by module, since that is where we can act).
    """
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    top: dict[str, int] = {}
    own: dict[str, int] = {}
    for line in done.stderr.splitlines():
        match = _IMPORTTIME.match(line)
        if not match:
            continue
        name = match[4]
        if len(match[3]) == 1:  # one space: not imported by another module
            top[name] = int(match[2])
        package = name if name.startswith("app.") else name.split(".")[0]
        own[package] = own.get(package, 0) + int(match[1])
    return top, own
