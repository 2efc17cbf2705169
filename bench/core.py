"""What every figure shares: the registry, the run's context, timing, a row of the table.

A figure is one function registered with ``@figure(name)``: it takes the
``Context`` and returns ``Row``s. ``python -m bench`` runs them in the order
they were registered. To add one (the TUI figures, say), write the function
in a module under bench/ and import that module in ``bench/__main__.py``.
"""

from __future__ import annotations

import gc
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.generate import DATA_DIR, cached_file, local_path_for

SIZES = (1_000, 10_000, 50_000)


@dataclass
class Row:
    """One line of the results table: ours and its reference, measured in the same run."""

    figure: str
    size: str
    ours: float | None  # seconds, unless ``unit`` says otherwise (None: could not be measured)
    reference: float | None = None
    reference_name: str = ""
    target: str = "report only"
    met: bool | None = None  # None: no target
    unit: str = "s"  # "s" (shown as ms or s), "x" (a plain ratio), "MB" or "n" (a count)
    runs: int = 0
    note: str = ""
    why: str = ""  # what remains and why, if this row misses its target (else its figure's ``remains``)

    @property
    def ratio(self) -> float | None:
        if self.ours is None or self.reference is None or not self.reference:
            return None
        return self.ours / self.reference


@dataclass
class Figure:
    name: str
    title: str
    run: Callable[[Context], list[Row]]
    remains: str = ""  # said in RESULTS.md under "what remains and why" when a target is missed
    by_default: bool = True  # False: run only when asked for (``--only NAME``, or its own flag)


FIGURES: dict[str, Figure] = {}


def figure(
    name: str, title: str, remains: str = "", *, by_default: bool = True
) -> Callable[[Callable[[Context], list[Row]]], Callable]:
    """Register a figure under ``name`` (what ``--only`` takes)."""

    def register(run: Callable[[Context], list[Row]]) -> Callable[[Context], list[Row]]:
        FIGURES[name] = Figure(name, title, run, " ".join(remains.split()), by_default)
        return run

    return register


@dataclass
class Context:
    """The run: how many repetitions, which sizes, a scratch folder on the data's disk."""

    quick: bool = False
    seed: int = 7
    sizes: tuple[int, ...] = SIZES
    log: Callable[[str], None] = print
    _scratch: Path | None = field(default=None, repr=False)

    def reps(self, full: int, quick: int) -> int:
        return quick if self.quick else full

    def scratch(self, name: str) -> Path:
        """An empty folder for one figure's copies (same disk as bench/.data, so fsync is real)."""
        if self._scratch is None:
            DATA_DIR.mkdir(parents=True, exist_ok=True)
            self._scratch = Path(tempfile.mkdtemp(prefix="work-", dir=DATA_DIR))
        folder = self._scratch / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        return folder

    def couple_copy(self, n: int, folder: Path, *, agreements: int | None = None) -> tuple[Path, Path]:
        """A fresh copy of the generated file of ``n`` records and its local file, in ``folder``
        (``agreements``: the variant holding that many, ``bench.generate.cached_file``)."""
        source = cached_file(n, self.seed, agreements=agreements)
        path, local = folder / "couple.json", folder / "local" / "local.json"
        local.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, path)
        shutil.copyfile(local_path_for(source), local)
        return path, local

    def close(self) -> None:
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None


def interleaved(runs: int, **contenders: Callable[[], object]) -> dict[str, list[float]]:
    """Time each contender ``runs`` times, taking turns (order rotated every round).

    Taking turns spreads the box's noise over all contenders alike; each time
    is ``perf_counter`` around one call. What was built before timing is frozen
    (``gc.freeze``) and young garbage collected between calls, so a full
    collection over two 50k-record copies, set off by one contender's
    allocations, is not charged to whichever contender runs next.
    """
    names = list(contenders)
    times: dict[str, list[float]] = {name: [] for name in names}
    gc.collect()
    gc.freeze()
    try:
        for round_ in range(runs):
            shift = round_ % len(names)
            for name in names[shift:] + names[:shift]:
                call = contenders[name]
                gc.collect(0)
                start = time.perf_counter()
                call()
                times[name].append(time.perf_counter() - start)
    finally:
        gc.unfreeze()
    return times


Prepared = Callable[[], Callable[[], object]]  # prepares one call (untimed) and returns it


def interleaved_prepared(runs: int, **contenders: Prepared) -> dict[str, list[float]]:
    """``interleaved`` for calls that each need a fresh state: each contender is a function that
    prepares one call (untimed) and returns it; only the call is timed.

    What was built before the call, the prepared state included, is frozen (``gc.freeze``) while
    it runs, as in ``interleaved``, and let go after it.
    """
    names = list(contenders)
    times: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(runs):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            call = contenders[name]()
            gc.collect()
            gc.freeze()
            try:
                start = time.perf_counter()
                call()
                times[name].append(time.perf_counter() - start)
            finally:
                gc.unfreeze()
            del call
    return times


def median(values: list[float]) -> float:
    return statistics.median(values)


def size_label(n: int) -> str:
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)
