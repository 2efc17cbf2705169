"""``python -m bench``: run every figure and rewrite bench/RESULTS.md.

``--quick`` takes fewer repetitions; ``--only NAME`` (repeatable) runs some
figures and prints their table without touching RESULTS.md (``--write`` to
write it anyway); ``--sizes 1000,10000`` picks the data sizes.
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

from bench import store_figures, tui_figures  # noqa: F401  (importing them registers their figures)
from bench.core import FIGURES, SIZES, Context, Row, size_label
from bench.generate import DATA_DIR, cached_file

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"

# Said under "what remains and why" whatever the numbers (what was changed in app/ from the profiles).
STANDING_NOTES: tuple[str, ...] = (
    "The machine changes between sessions (the CPU line above names it), and the targets in "
    "milliseconds are met or missed with it: compare tables by each row's ratio against the "
    "reference measured in the same run. The table of 2026-11-22 ran on an AMD EPYC, where "
    "json.loads of the 50k file took 231 ms and the bare app's first frame 187 ms; the one of "
    "2026-12-06 on an Intel Xeon about twice as slow (575 ms and 384 ms).",
    "Applied from the profiles (the proposal that was bench/proposals/tui-latency.diff, and what the "
    "profiles showed since): every screen but the dashboard is imported the first time it is shown "
    "(`app/tui/screens/__init__.py`); each screen loads its own styles (`CSS_PATH`), the App only "
    "app.tcss; the dashboard reads its check-in plots, suggestions and news after its first frame is "
    "drawn (at start, a screen's `call_after_refresh` ran before Textual's first frame); no "
    "`refresh_bindings()` after `switch_mode` (one Footer re-compose fewer a switch); `wording_key` "
    "cached; `newest_stamp` kept per store generation. The bench now runs byte-compiled code, as an "
    "installed app does (`PYTHONDONTWRITEBYTECODE` on this box made every start compile app/ from "
    "source, ~0.1 s). Measured at 10k taking turns with the commit before (50aafa9) in the same runs, on "
    "a busier box than this table's: "
    "CPU to the first frame 1.11-1.20 -> 0.90-0.93 s (bare app 0.25 s), of which ~0.17 s the styles "
    "loaded with their screens and ~0.07 s the screens imported when shown; `import app.tui.app` "
    "367 -> 305 ms; peak RSS 98 -> 94 MB; the log again 112-126 -> 71-90 ms, log -> dashboard "
    "102-140 -> 75-100 ms, step -> dashboard 110-121 -> 86-110 ms; a new step unchanged "
    "(172-207 -> 173-223 ms). The price: the first opening of each dialog and section parses the "
    "styles loaded so far once more (~25-65 ms of CPU more for the celebrate and check-in dialogs).",
    "Applied next (f9cd751), from cProfile and pyinstrument of a section's first visit: Textual 8.2.8 "
    "re-parsed every style from scratch four times on it (its parse cache is cleared whenever the App "
    "sets the CSS variables, even to the same values, and `reparse` parses in a new stylesheet whose "
    "cache is dropped); `app/tui/stylesheet.py` keeps the parses until the theme changes (28 sources "
    "parsed instead of 433 over a walk through the sections, the rules identical to Textual's: "
    "tests/tui/test_stylesheet.py). Once the dashboard is up, the step screen, the log and the "
    "agreements are imported and their styles loaded; a step's practice is built just after its "
    "words are on screen. Measured against the table of 2f1f58a in separate runs of `--only` on the "
    "same quiet box: cold start at 10k 761 -> 639 ms (3.65x -> 3.23x the bare app); first step 771 "
    "-> 425-485 ms; a new step 201 -> 144 ms; the log's first opening 556 -> 169-186 ms; tab in the "
    "celebrate dialog 24 -> 16-17 ms (now under its target). Tried and dropped, no measurable gain: "
    "a footer styled compact by our own rules (Textual's `compact=True` restyles each key once more); "
    "one regex over all of a record's stamps in the merge (slower); pydantic's `defer_build` on the "
    "models (`import app.domain` 149 -> 100 ms, but CPU to the first frame at 10k went up, 0.68-0.69 "
    "-> 0.78-0.85 s, taking turns with it off: the models the dashboard uses cost more built late).",
    "Applied on 2026-12-06 (eec4dd2 to the commit of this table), from style applications and Footer "
    "re-composes counted per key: one footer for every screen (`KeyFooter`) that rebuilds its keys "
    "once a frame, on a screen in sight, and only when they changed (Textual's re-composed seven "
    "times on the step screen's first showing and twice on every return, hidden screens' too); the "
    "sections' screens skip Textual's restyle on a return, and on their first showing, unless the "
    "App's classes or the rules in force changed (`KeepsItsStyles`), and a new one no longer makes "
    "Textual restyle the screen being left; the stylesheet keeps its very rules while its sources "
    "and variables are the same. In the merge, a record's distinct stamps are matched once, in C, "
    "and a record merged starting from one side's fields. Measured at 10k taking turns with ab80d65 "
    "in the same run (`--only tui-keys`, twice each, on a box about twice as slow as it was for the "
    "table before): a new step 306-358 -> 112-116 ms; step -> dashboard 163-169 -> 67-68 ms (CPU "
    "161-169 -> 18-20 ms, less than the reference's trivial switch); the log again 145-148 -> 66-74 "
    "ms; log -> dashboard 159-162 -> 65-71 ms; the first step 865-923 -> 586-693 ms; the log's first "
    "opening 424-443 -> 328-441 ms; tab and typing the same within the noise. The merge at 50k, "
    "taking turns with ab80d65 in fresh processes, 8 runs each: 343 -> 268 ms (0.78x) on that slow "
    "box. Found while profiling the celebrate dialog: a full garbage collection walked every object "
    "the app holds (the couple's records, ~140k tracked objects at 10k records) and took 0.10-0.17 s, "
    "a stall every few keys that medians hide; once the dashboard is up the app freezes what it has "
    "loaded (`gc.freeze`), and the full collections met in the same walk through the sections took "
    "0.03-0.08 s (what was made after the freeze: the sections' screens).",
    "Applied on 2026-12-06, second session (af4369d, 0144ab0), from frames and style applications "
    "counted per key: a focus move no longer repaints the whole screen (`QuietFocus` on every screen; "
    "Textual's `Screen.focused` repainted everything, and in a dialog the dimmed screen beneath), "
    "and a scroll area's focus restyles only itself (`ScrollArea`: Textual restyled the 67 widgets of "
    "the dashboard's on the tab onto it and the tab away). Measured at 10k taking turns with 80b4486 in "
    "the same run (`--only tui-keys`, twice each): tab on the dashboard 19-24 -> 14-15 ms (the last "
    "frame it caused 46-53 -> 14-15 ms); tab in the celebrate dialog 29-30 -> 14 ms (last frame 57 -> "
    "26-27 ms); the rest the same within the noise. Tried and dropped, no gain measured: Textual's "
    "restyle skipped for every dialog as it opens (the celebrate dialog styled 94 widgets instead of "
    "171, yet opened in 119-128 ms against 120-131, medians of 24 in fresh apps taking turns: its time "
    "is laying out and drawing the dimmed screen beneath, frame after frame); footer keys made compact "
    "before they mount; a kept Markdown, or page, per step.",
    "Applied on 2026-12-06, third session (5caaaea, 2a074ea), from tracemalloc of the running app: "
    "records of one kind share pydantic's set of the fields they set (each model held its own, ~36 "
    "MB of the 50k peak), and the 23 kinds only a practice reads (`PracticeModel`) build their "
    "validators on first use, which the earlier `defer_build` on every model did not: the kinds the "
    "dashboard reads are still built at import. Measured taking turns with 1490e82: peak RSS at 10k "
    "98 -> 91 MB, at 50k 236 -> 200 MB; `import app.domain` 189 -> 172 ms (medians of 8); CPU to the "
    "dashboard at 10k in-process 1.07 -> 1.00 s (medians of 16, a noisy box). Looked at and left: "
    "the merge at 50k is ~150-270 ms here, of which comparing 50k records of two parsed copies is "
    "~70-115 ms alone, so 100 ms needs per-record bytes; the first step's and the log's first "
    "opening are Textual mounting, styling and drawing 86 and ~60 widgets (its own trivial first "
    "switch takes ~96 ms); orjson (rejects the lone-surrogate escapes a partner's text may hold, no "
    "RSS gain) and importing filelock late (~12 ms) were not worth it.",
    "Tried on 2026-12-06, fourth session, nothing applied; each measured in-process at 10k, taking "
    "turns with the code before, CPU or wall time to the first frame, medians of 5. Building the "
    "step screen, the log and the agreements out of sight once the dashboard is up (switching to "
    "each mode and straight back in one callback, Textual's public API): the first step 362 -> 225 "
    "ms, the log's first opening 204 -> 105 ms, +6-8 MB peak RSS once built. Dropped: quitting "
    "while they were being built ran their handlers on half-removed screens (Textual closes every "
    "mode's screens on exit: NoMatches in Header and StepScreen handlers, and a RuntimeError when a "
    "build began during the shutdown), which failed 2 of 3 full test runs and would show a traceback "
    "to a couple quitting in that second; it is safe only by holding every key, quit too, until the "
    "building is done. Found why a new step's practice is built before the step's first frame: "
    "`switch_mode` holds frames back 50 ms (`App.delay_update`) and Textual runs a screen's "
    "after-refresh callbacks during that hold; building it after the held frame saved ~30 ms "
    "(215 -> 185 ms), left because it needs a timer matched to Textual's 50 ms. Loading the "
    "DEFAULT_CSS of the step screen's Textual widgets with the other styles, so its first showing "
    "skips Textual's two full restyles: ~20 ms (375 -> 354 ms CPU), not worth reaching into "
    "Textual's private `_get_default_css`. The merge at 50k profiled again: comparing the records "
    "of the two copies ~49 ms, checking the ~3.7k records that differ ~37 ms theirs and ~25 ms "
    "ours, merging them field by field ~22 ms; not checking our side where theirs wins outright "
    "would save at most ~12 ms, so 100 ms still needs per-record bytes.",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    names = ", ".join(FIGURES)
    parser.add_argument("--only", action="append", choices=list(FIGURES), metavar="NAME", help=names)
    parser.add_argument("--sizes", help="comma-separated record counts (default 1000,10000,50000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--write", action="store_true", help="rewrite RESULTS.md even for a partial run")
    args = parser.parse_args(argv)

    sizes = tuple(int(s) for s in args.sizes.split(",")) if args.sizes else SIZES
    chosen = [FIGURES[name] for name in (args.only or FIGURES)]
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
{_span(per_record)} bytes a record as the app writes them

Each time is the median of the runs shown under its figure ({"quick" if ctx.quick else "full"} \
run), ours and its reference taking turns in the same run. **ratio** is ours ÷ reference: \
below 1, ours is faster.

{table}

## What remains and why

{chr(10).join(remains)}
"""


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
