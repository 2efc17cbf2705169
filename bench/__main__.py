"""``python -m bench``: run every figure and rewrite bench/RESULTS.md.

``--quick`` takes fewer repetitions; ``--only NAME`` (repeatable) runs some
figures and prints their table without touching RESULTS.md (``--write`` to
write it anyway); ``--sizes 1000,10000`` picks the data sizes; ``--peers``
adds the peers' cold start (frogmouth, toolong: installed into throwaway
environments under bench/.data), which is not run otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import time
import traceback
from importlib.metadata import version
from pathlib import Path

from bench import (  # noqa: F401  (importing them registers them)
    peer_figures,
    sealed_figures,
    store_figures,
    tui_figures,
)
from bench.core import FIGURES, SIZES, Context, Row, size_label
from bench.generate import DATA_DIR, SHARES, cached_file

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"

# Said under "what remains and why" whatever the numbers (what was changed in app/ from the profiles).
STANDING_NOTES: tuple[str, ...] = (
    "The machine changes between sessions, and within a day (the CPU line above names it; on "
    "2026-12-06 json.loads of the 50k file took from 229 to 575 ms in full runs on the same Intel "
    "Xeon): the targets in milliseconds are met or missed with it. Compare tables by each row's "
    "ratio against the reference measured in the same run.",
    "Since the fifth session of 2026-12-06 the generated couple writes every kind of record in the "
    "shares ten years of daily use would give (`bench/generate.py`). Tables before it had no practice "
    "entries, a fifth of the records agreements and 30% celebrations, so their dashboard read about "
    "twice the records it reads now: across that change too, compare ratios.",
    "What each profile found, what was applied (with its commit and its measurement, taken in turns "
    "with the code before) and what was tried and dropped: `bench/HISTORY.md`.",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    names = ", ".join(FIGURES)
    parser.add_argument("--only", action="append", choices=list(FIGURES), metavar="NAME", help=names)
    parser.add_argument("--sizes", help="comma-separated record counts (default 1000,10000,50000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--write", action="store_true", help="rewrite RESULTS.md even for a partial run")
    parser.add_argument(
        "--peers", action="store_true", help="add the peers' cold start (installs frogmouth and toolong)"
    )
    args = parser.parse_args(argv)

    sizes = tuple(int(s) for s in args.sizes.split(",")) if args.sizes else SIZES
    wanted = args.only or [name for name, fig in FIGURES.items() if fig.by_default]
    if args.peers and "peers" not in wanted:
        wanted = [*wanted, "peers"]
    chosen = [FIGURES[name] for name in wanted]
    ctx = Context(quick=args.quick, seed=args.seed, sizes=sizes, log=lambda line: print(line, flush=True))
    os.environ.setdefault("KINTSUGI_LOCAL", str(Path(ctx.scratch("home")) / "local.json"))
    use_bytecode()
    started, load_before = time.perf_counter(), _load()
    try:
        for n in sizes:
            ctx.log(f"data: {cached_file(n, args.seed).name}")
        rows: list[Row] = []
        missed: list[tuple[str, Row]] = []
        for fig in chosen:
            ctx.log(f"{fig.name}: {fig.title}")
            try:
                found = fig.run(ctx)
            except Exception as error:  # the app changing under us: say so and go on with the rest
                traceback.print_exc()
                found = [Row(fig.title, "-", None, target="—", note=f"failed: {_one_line(error)}")]
            rows.extend(found)
            missed += [(" ".join((row.why or fig.remains).split()), row) for row in found if row.met is False]
    finally:
        ctx.close()
    elapsed = time.perf_counter() - started
    table = render_table(rows)
    print("\n" + table)
    print(f"\n{elapsed:.0f} s")
    complete = not args.only and not args.sizes
    if complete or args.write:
        load = f"{load_before} at the start, {_load()} at the end"
        RESULTS.write_text(render_results(table, missed, ctx, elapsed, load), encoding="utf-8")
        print(f"wrote {RESULTS}")
    else:
        print("partial run: RESULTS.md left as it was (--write to rewrite it)")
    return 0


def use_bytecode() -> None:
    """Time modules as an installed app runs them: byte-compiled once, not compiled on every start.

    With PYTHONDONTWRITEBYTECODE set (as on the shared box), every process would compile app/
    from source (~0.1 s of a cold start that users never pay; the bare app's Textual comes
    compiled from site-packages). The compiled files go under bench/.data, out of the tree, for
    this process and every one it starts.
    """
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ.setdefault("PYTHONPYCACHEPREFIX", str(DATA_DIR / "pycache"))
    sys.dont_write_bytecode = False
    sys.pycache_prefix = os.environ["PYTHONPYCACHEPREFIX"]


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "n":
        return f"{value:.0f}"
    if unit == "x":
        return f"{value:.2f}x"
    if value >= 1:
        return f"{value:.2f} s"
    if value >= 0.01:
        return f"{value * 1000:.0f} ms"
    if value >= 0.001:
        return f"{value * 1000:.1f} ms"
    return f"{value * 1000:.2f} ms"


def render_table(rows: list[Row]) -> str:
    lines = [
        "| figure | size | ours | reference | ratio | target | met |",
        "| --- | --- | ---: | --- | ---: | --- | --- |",
    ]
    for row in rows:
        reference = f"{fmt(row.reference, row.unit)} ({row.reference_name})" if row.reference_name else "—"
        ratio = f"{row.ratio:.2f}" if row.ratio is not None else "—"
        met = {True: "yes", False: "**no**", None: "—"}[row.met]
        note = "; ".join(part for part in (row.note, f"median of {row.runs}" if row.runs else "") if part)
        figure = f"{row.figure}<br><sub>{note}</sub>" if note else row.figure
        cells = (figure, row.size, fmt(row.ours, row.unit), reference, ratio, row.target, met)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def render_results(table: str, missed: list[tuple[str, Row]], ctx: Context, elapsed: float, load: str) -> str:
    sizes = ", ".join(size_label(n) for n in ctx.sizes)
    per_record = [cached_file(n, ctx.seed).stat().st_size / n for n in ctx.sizes]
    by_reason: dict[str, list[Row]] = {}
    for why, row in missed:  # one entry a figure: its missed rows, then what its profile found
        by_reason.setdefault(why, []).append(row)
    remains = ["- " + "; ".join(_missed(row) for row in rows) + f". {why}" for why, rows in by_reason.items()]
    remains += [f"- {note}" for note in STANDING_NOTES]
    if not remains:
        remains = ["- Every target is met."]
    return f"""# Benchmark results

Written by `python -m bench{" --quick" if ctx.quick else ""}` on {dt.date.today().isoformat()} \
in {elapsed:.0f} s, from commit {_commit()}. Do not edit by hand: run it again.

- Python {platform.python_version()}, Textual {version("textual")}, TinyDB {version("tinydb")}, \
pydantic {version("pydantic")}
- CPU: {_cpu()}, {os.cpu_count()} cores ({platform.machine()}, {platform.system()} {platform.release()}); \
load average {load}
- Data: generated couple's files of {sizes} records (seed {ctx.seed}), \
{_span(per_record)} bytes a record as the app writes them: {_mix()}

Each time is the median of the runs shown under its figure ({"quick" if ctx.quick else "full"} \
run), ours and its reference taking turns in the same run. **ratio** is ours ÷ reference: \
below 1, ours is faster.

{table}

## What remains and why

{chr(10).join(remains)}
"""


def _mix() -> str:
    """What the generated files hold, in a sentence (bench/generate.py)."""
    shares = ", ".join(f"{kind.replace('_', ' ')} {share:.0%}" for kind, share in SHARES[:4])
    return (
        f"every kind of record the file holds, in ten years' shares ({shares}, check-ins about 40%, "
        'and the rest), and "me"\'s private entries in the local file'
    )


def _missed(row: Row) -> str:
    return f"**{row.figure}, {row.size}**: {fmt(row.ours, row.unit)} (target {row.target})"


def _one_line(error: Exception) -> str:
    text = " ".join(f"{type(error).__name__}: {error}".split())
    return text if len(text) <= 200 else text[:199] + "…"


def _span(values: list[float]) -> str:
    low, high = round(min(values)), round(max(values))
    return str(low) if low == high else f"{low}-{high}"


def _load() -> str:
    """The 1-minute load average: on a shared 2-core box, other work shows in absolute times."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "unknown"


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _commit() -> str:
    repo = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=repo, capture_output=True, text=True, check=True
        ).stdout.strip()
        status = ["git", "status", "--porcelain", "--", "app"]
        dirty = subprocess.run(status, cwd=repo, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head} (app/ with uncommitted changes)" if dirty else head


if __name__ == "__main__":
    sys.exit(main())
