"""The TUI figures: cold start, memory, keystrokes, live sync (issue 8, figures 1, 4, 5 and 6).

Cold start, memory and live sync run Kintsugi as a real process in tmux at
120x40 (``python -m app --db FILE`` with ``KINTSUGI_LOCAL`` pointing at the
generated local file, whose "me" is set) and poll ``tmux capture-pane -p``
every 10 ms; the reference is a bare Textual app (``bench/bare_app.py``)
started the same way, taking turns with ours. Keystrokes run both apps
headless in this process and time each key from the moment it is handed to
the driver (as the terminal's input thread does) to the first frame that shows
its effect: ``App._display`` is wrapped, and the frame is encoded into the
terminal sequence the real driver would write (the one step headless skips).

Each figure finds its way by behaviour, not by widget ids (a screen change is
"another screen is on top", typing is "the focused Input's value changed"),
so it keeps working while the screens change.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import os
import signal
import subprocess
import sys
import time
import traceback
import uuid
from collections.abc import Callable, Coroutine
from contextlib import suppress
from dataclasses import dataclass, field
from itertools import cycle
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.core import Context, Row, figure, median, size_label
from bench.generate import LAST_DAY, cached_file, local_path_for

if TYPE_CHECKING:
    from textual.app import App
    from textual.widgets import Input

    from app.domain.models import Partner
    from app.store.couple import CoupleStore
    from app.tui.app import KintsugiApp

REPO = Path(__file__).resolve().parent.parent
BARE_APP = Path(__file__).resolve().parent / "bare_app.py"
COLUMNS, LINES = 120, 40
POLL_S = 0.010  # tmux capture-pane every 10 ms
SETTLE_S = 1.0  # after the dashboard shows, before reading the peak RSS
START_TIMEOUT_S = 60.0

START_TARGET_RATIO = {10_000: 2.0, 50_000: 2.5}  # at most this many times the bare app, by size (issue 21)
MEMORY_TARGET_MB = 150  # under 150 MB ...
MEMORY_TARGET_SIZE = 50_000  # ... at 50k records
KEYS_SIZE = 10_000
KEY_TARGET_S = 0.020  # focus and typing
SWITCH_TARGET_S = 0.100  # a screen or mode switch
STEP_FIRST_TARGET_RATIO = 2.0  # a step's first visit, to Textual's first switch to a trivial mode (issue 21)
LOG_FIRST_TARGET_RATIO = 1.5  # the log's first opening, to the same
DIALOG_TARGET_RATIO = 2.0  # the celebrate dialog (c), to pushing a dialog with two Inputs
AGREEMENTS_SIZE = 10_000  # the agreements screen's first opening: 10k records ...
AGREEMENTS_SHARE = 0.2  # ... of which ~2k agreements (bench.generate's variant; its shares give ~300)
AGREEMENTS_TARGET_RATIO = 2.0  # to Textual's first switch to a trivial mode
SYNC_SIZE = 10_000
SYNC_TARGET_S = 1.0
TYPED = "dishwasher"  # typed one key at a time (a word the search finds, then narrows)

# What the profiles found, said under "what remains and why" in RESULTS.md when a target is missed.
START_WHY = """Profiled on 2026-12-07, issue 21's session h21-start (CPU at each phase of a real
start in tmux up to the first frame holding the dashboard, a probe in the app's process; medians of
8-10 starts taking turns with the bare app; -X importtime; cProfile and pyinstrument). At 10k the
TUI used 0.64-0.66 s of CPU against the bare app's 0.26-0.27 s on a quiet box. Beyond the bare
app: the validated domain model imported (pydantic and the kinds the store reads, ~0.13 s: the
practices' kinds are no longer imported, ~0.02 s less), the store's modules and the file's open
(~0.06 s at 10k, ~0.11 s at 50k: reading 40 MB and finding its tables ~0.03 s; each table is now
split into its records only when first read, and the dashboard's newest celebrations are found
from their bytes), Kintsugi's own TUI modules (~0.03 s; the celebrate dialog is imported after the
first frame), and above all the dashboard itself: its first frame costs ~0.21 s of CPU against the
bare app's ~0.03 s (with a trivial screen in its place, ~0.07 s, measured in turns), of which its
reading ~0.02 s at 10k (~0.06 s at 50k: every agreement in force as a model, for its counts) and
the rest Textual composing, styling, laying out and drawing ~56 widgets (the bare app: 7), about
2 ms a widget. 2.0x at 10k asks for ~0.13 s less: as much as the domain model's import, or
half the dashboard's widgets. Tried and dropped: the suggestions' rows made when there is one to
show (the frame ~40 ms sooner, but Textual then drew the first frame in pieces: a frame it renders
while it holds updates at start is dropped and forgotten as if drawn, and what followed held only
the section titles); the news sections made only once there is news (~3 ms). What was applied and
measured: bench/HISTORY.md."""
MEMORY_WHY = """Since 2026-12-07 the store holds the file as its bytes, each table split into its
records when first read and each record parsed when first read, and the app reads the records no
screen read a batch at a time after the first frame (finding a damaged one early), keeping none of
them. Measured on 2026-12-07 (h21-start), at 50k: 40 MB of the file's bytes, the bare Textual app
34 MB, our imports ~15 MB; the first frame is drawn at ~106 MB (was ~129 MB: the dashboard's
celebrations are no longer parsed, five read of ~5k), and once everything after it is done (the
check-in plots, the news, the suggestions, the warm-up) the peak is ~134 MB against ~155 MB before
(probe in the app's process, 4 s after the first frame, 3 starts each): the suggestions read only
the celebrations logged from a suggestion, found in the table's bytes, and the meeting line the
newest meeting alone. The row is read 1 s after the dashboard shows, by when part of that work is
done."""
FOCUS_WHY = """Profiled (style applications and frames counted per key). Textual repainted the
whole screen on every focus move (`Screen.focused` is a reactive, and a reactive repaints by
default), and under a dialog the dimmed screen beneath it too; a widget gaining or losing the focus
restyled everything it holds (the dashboard's scroll area: 67 widgets, on the tab onto it and the
tab away). Now every screen repaints what a focus move changed (`QuietFocus`) and a scroll area's
focus restyles itself only (`FocusRestylesItself`), both in app/tui/textual_patches.py;
tests/tui/test_focus.py draws the frames into a terminal of its own and compares it with a full
redraw after every tab, and checks that no rule in force styles what a scroll area holds by its
focus. What is left is restyling and drawing the two widgets, close to the reference's own cost; on
a busy box the wall time adds the load (the reference's moves with it: see its column)."""
SWITCH_WHY = """A section's first visit composes its screen (the step screen ~50 widgets: its tabs,
the step's Markdown, the status panel and the footer; the log its filters and timeline), styles each
widget as it mounts, then lays the screen out and draws it. Since 2026-12-07 (bench/HISTORY.md) the
widgets' own styles are parsed in the warm-up, a screen gets its breakpoint classes as it is made
(Textual set them on the first resize and styled every widget again), the footer is composed with
its keys (Textual's was composed empty, then again, and the screen laid out twice), a step's
practice is built once its words are drawn (it was built during Textual's 50 ms hold on the mode
switch, before any frame), and the App does not hold a mode switch back (`DrawsAtOnce`: the hold
masked the footer being composed again, which ours never is, and had every first visit laid out and
drawn twice, once unseen). What is left is Textual composing, styling, laying out and drawing the
screen's widgets, about 2 ms a widget on this box. Later visits and returns are drawn as soon as
they are ready, without the 50 ms hold the reference keeps."""
DIALOG_WHY = """Profiled on 2026-12-08 (cProfile and each widget's drawing timed, in-process, 10k
records, from the key to the first frame). The dialog is built ahead and kept (nothing is composed,
mounted or styled as it opens) and now holds 16 widgets (it held 33: each field's name is in its
border, no Label nor the box holding it, and the step and the size are each one `Choice`, not a
`Select` of six widgets). What is left is Textual's drawing of the first frame: the dashboard
beneath, drawn again and dimmed segment by segment (`BackgroundScreen`: ~13 ms of CPU, about a
third, of which the dashboard's own strips ~7 ms), the dialog's widgets drawn (~12 ms) and laid out,
and the focus given to the title. Tried and dropped: the dim computed once a style instead of once a
segment (~3 ms less, within the noise); composing the row of day, step and size after the first
frame (`Lazy`: the dialog complete ~100 ms later)."""
TYPING_WHY = """The letter itself is drawn quickly; in the log's search box each letter then re-
filters every celebration (~1k at 10k records) and the timeline and its summary are laid out and
drawn again, the last frame ~50-80 ms after the key. Most of that is Textual's drawing; left as is."""
AGREEMENTS_WHY = """Profiled on 2026-12-07 (cProfile, in-process, 10k records with 2,000 agreements,
~1,050 of them on the first list). Textual's OptionList measured every two-line row to know the
list's height (~35% of the CPU) and the screen built a Rich Text row for each (13%). A list now shows
50 agreements at a time, the one chosen always among them, a row at its end (and its start) bringing
the next page (the one before) when the highlight reaches it or it is clicked
(tests/tui/test_agreements_paging.py). With the breakpoint classes set as the screen is made, the
footer composed with the keys that apply, and no hold on the mode switch, what is left is Textual
composing, styling, laying out and drawing the screen's ~45 widgets (the footer's 14 keys among them)
and the store's read of the 2,000 agreements (their models, parsed on demand, and a pass over them
for the counts)."""
SYNC_WHY = """Profiled at 10k: each take-in re-reads and re-parses the 8 MB file (~40-70 ms of CPU),
merges it, then re-reads the dashboard: the celebrations and agreements at once, the check-in
plots, suggestions and news after the next frame."""


def _steps_title() -> str:
    """The dashboard's heading for the nine steps, as the content says it today."""
    try:
        from app.content import load_content

        return load_content().text("dashboard.steps")
    except Exception:  # the content changing shape must not stop the bench
        return "The nine steps"


# -- tmux -----------------------------------------------------------------------------------


class Tmux:
    """A private tmux server (its own socket, no config) holding one session per process we start."""

    def __init__(self) -> None:
        self.socket = f"kintsugi-bench-{os.getpid()}"
        self._names = (f"s{i}" for i in range(10**9))
        # A session that only holds the server up, so starting a process never includes starting tmux.
        self._tmux("-f", "/dev/null", "new-session", "-d", "-s", "keep", "sleep", "86400")
        self._socket_path = Path(self._tmux("display-message", "-p", "#{socket_path}").strip())

    def _tmux(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True)
        if check and done.returncode:
            raise RuntimeError(f"tmux {' '.join(args[:2])}: {done.stderr.strip()}")
        return done.stdout

    def launch(self, argv: list[str], env: dict[str, str]) -> tuple[str, int]:
        """Start ``argv`` (exec'd directly, no shell) in a new 120x40 session: (session, pid)."""
        name = next(self._names)
        args = ["new-session", "-d", "-s", name, "-x", str(COLUMNS), "-y", str(LINES), "-c", str(REPO)]
        args += ["-P", "-F", "#{pane_pid}"]
        for key, value in env.items():
            args += ["-e", f"{key}={value}"]
        pid = int(self._tmux(*args, *argv).strip())
        return name, pid

    def capture(self, name: str) -> str | None:
        """What the pane shows now (None once the session is gone: the process ended)."""
        done = subprocess.run(
            ["tmux", "-L", self.socket, "capture-pane", "-p", "-t", name], capture_output=True, text=True
        )
        return done.stdout if done.returncode == 0 else None

    def stop(self, name: str, pid: int) -> None:
        """End the session and wait for its process (SIGKILL, by pid, if it lingers)."""
        self._tmux("kill-session", "-t", name, check=False)
        deadline = time.monotonic() + 5
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        if Path(f"/proc/{pid}").exists():
            os.kill(pid, signal.SIGKILL)

    def close(self) -> None:
        self._tmux("kill-server", check=False)
        if self._socket_path.name == self.socket:  # tmux leaves its socket file behind
            self._socket_path.unlink(missing_ok=True)


def wait_for_text(tmux: Tmux, name: str, wanted: list[str], since: float, timeout: float) -> dict[str, float]:
    """Poll the pane every POLL_S until all of ``wanted`` is on it: seconds from ``since`` to each."""
    seen: dict[str, float] = {}
    last = ""
    tick = time.perf_counter()
    while len(seen) < len(wanted):
        text = tmux.capture(name)
        now = time.perf_counter()
        if text is None:
            raise RuntimeError(f"the process in tmux ended before showing {wanted}; last screen:\n{last}")
        last = text
        for item in wanted:
            if item not in seen and item in text:
                seen[item] = now - since
        if now - since > timeout:
            missing = [item for item in wanted if item not in seen]
            raise RuntimeError(f"{missing} not on the pane after {timeout:.0f} s; it shows:\n{last}")
        tick += POLL_S
        time.sleep(max(0.0, tick - time.perf_counter()))
    return seen


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (from /proc, in clock ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    """VmHWM (the peak resident set) of a running process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for {pid}")


@dataclass
class Contender:
    """A process to start in tmux and the text that says its first frame is up."""

    argv: list[str]
    env: dict[str, str]
    first_frame: str  # on the pane: the first frame is drawn
    loaded: str = ""  # on the pane: the data is shown too (ours: the latest celebration's title)
    starts: list[float] = field(default_factory=list)
    loaded_at: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # CPU the process had used when all was on the pane
    peaks: list[float] = field(default_factory=list)

    def start_once(self, tmux: Tmux) -> None:
        wanted = [self.first_frame, *([self.loaded] if self.loaded else [])]
        started = time.perf_counter()
        name, pid = tmux.launch(self.argv, self.env)
        try:
            seen = wait_for_text(tmux, name, wanted, started, START_TIMEOUT_S)
            self.cpu.append(cpu_seconds(pid))
            time.sleep(SETTLE_S)
            self.peaks.append(peak_rss_mb(pid))
        finally:
            tmux.stop(name, pid)
        self.starts.append(seen[self.first_frame])
        if self.loaded:
            self.loaded_at.append(seen[self.loaded])


def ours_in_tmux(path: Path, local: Path, loaded: str = "") -> Contender:
    argv = [sys.executable, "-m", "app", "--db", str(path)]
    return Contender(argv, {"KINTSUGI_LOCAL": str(local)}, _steps_title(), loaded)


def bare_in_tmux() -> Contender:
    from bench.bare_app import WORD

    return Contender([sys.executable, str(BARE_APP)], {}, WORD)


def latest_title(path: Path, local: Path) -> str:
    """The title the dashboard lists first (the newest celebration)."""
    from app.store.couple import CoupleStore
    from app.store.local import LocalState

    store = CoupleStore(path, LocalState(local))
    store.load()
    return store.celebrations()[0].title


# -- figure 1 and 5: cold start and memory ---------------------------------------------------


@figure(
    "tui-start",
    "Cold start to first frame, peak memory, imports and widgets",
    remains=START_WHY,
)
def cold_start(ctx: Context) -> list[Row]:
    tmux = Tmux()
    rows: list[Row] = []
    memory: list[Row] = []
    try:
        for n in ctx.sizes:
            start_row, memory_row = _start_at(ctx, tmux, n)
            rows.append(start_row)
            memory.append(memory_row)
    finally:
        tmux.close()
    return [*rows, *memory, *_imports_row(ctx), *_widgets_row(ctx)]


def _start_at(ctx: Context, tmux: Tmux, n: int) -> tuple[Row, Row]:
    runs = ctx.reps(full={50_000: 5}.get(n, 7), quick=3)
    ctx.log(f"  cold start in tmux, {size_label(n)} records, {runs} runs each")
    path, local = ctx.couple_copy(n, ctx.scratch(f"start-{n}"))
    ours = ours_in_tmux(path, local, latest_title(path, local))
    bare = bare_in_tmux()
    bare.start_once(tmux)  # warm the disk cache for both
    ours.start_once(tmux)
    for contender in (ours, bare):
        for kept in (contender.starts, contender.loaded_at, contender.cpu, contender.peaks):
            kept.clear()
    for run in range(runs):
        for contender in (ours, bare) if run % 2 == 0 else (bare, ours):
            contender.start_once(tmux)
    ours_s, bare_s = median(ours.starts), median(bare.starts)
    ratio = START_TARGET_RATIO.get(n)
    start = Row(
        "Cold start to first frame (tmux 120x40, dashboard on the pane)",
        size_label(n),
        ours_s,
        bare_s,
        "bare Textual app: Header, Static, Footer",
        target=f"≤ {ratio:.1f}x the bare app" if ratio else "report only",
        met=ours_s <= ratio * bare_s if ratio else None,
        runs=runs,
        note=f"latest celebration on the pane at {median(ours.loaded_at):.2f} s; CPU used by then "
        f"{median(ours.cpu):.2f} s against the bare app's {median(bare.cpu):.2f} s",
    )
    ours_mb, bare_mb = median(ours.peaks), median(bare.peaks)
    targeted = n == MEMORY_TARGET_SIZE
    memory = Row(
        "Peak RSS (VmHWM) once the dashboard shows",
        size_label(n),
        ours_mb,
        bare_mb,
        "bare Textual app",
        target=f"< {MEMORY_TARGET_MB} MB" if targeted else "report only",
        met=ours_mb < MEMORY_TARGET_MB if targeted else None,
        unit="MB",
        runs=runs,
        why=MEMORY_WHY,
        note=f"file {path.stat().st_size / 2**20:.0f} MB",
    )
    return start, memory


def _imports_row(ctx: Context) -> list[Row]:
    from bench.store_figures import _imports

    runs = ctx.reps(full=5, quick=3)
    ctx.log(f"  imports of the TUI, {runs} runs each")
    ours, bare = [], []
    by_package: dict[str, list[int]] = {}
    bare_code = "from textual.app import App; from textual.widgets import Footer, Header, Static"
    for _ in range(runs):
        baseline = set(_imports("pass")[0])
        tui, own = _imports("import app.tui.app")
        ours.append(sum(us for name, us in tui.items() if name not in baseline) / 1e6)
        for name, us in own.items():
            by_package.setdefault(name, []).append(us)
        reference, _ = _imports(bare_code)
        bare.append(sum(us for name, us in reference.items() if name not in baseline) / 1e6)
    top = sorted(((median(v), k) for k, v in by_package.items()), reverse=True)[:6]
    ours_app = sum(median(v) for k, v in by_package.items() if k.startswith("app."))
    return [
        Row(
            "Import cost: import app.tui.app (-X importtime)",
            "-",
            median(ours),
            median(bare),
            "textual.app + Header, Footer, Static",
            runs=runs,
            note=f"app.* modules {ours_app / 1000:.0f} ms in all; own time: "
            + ", ".join(f"{name} {us / 1000:.0f} ms" for us, name in top),
        )
    ]


def _widgets_row(ctx: Context) -> list[Row]:
    n = KEYS_SIZE if KEYS_SIZE in ctx.sizes else ctx.sizes[0]
    path, local = ctx.couple_copy(n, ctx.scratch("widgets"))
    ours, bare, by_type = asyncio.run(_count_widgets(path, local))
    top = ", ".join(f"{count} {name}" for name, count in by_type[:5])
    return [
        Row(
            'Widgets on the dashboard: len(app.screen.query("*"))',
            size_label(n),
            ours,
            bare,
            "bare Textual app",
            unit="n",
            note=f"most: {top}",
        )
    ]


async def _count_widgets(path: Path, local: Path) -> tuple[int, int, list[tuple[str, int]]]:
    from bench.bare_app import BareApp

    app = our_app(path, local)
    async with app.run_test(size=(COLUMNS, LINES)) as pilot:
        await _until(lambda: _on_dashboard(app))
        await pilot.pause(0.3)
        widgets = list(app.screen.query("*"))
    by_type: dict[str, int] = {}
    for widget in widgets:
        by_type[type(widget).__name__] = by_type.get(type(widget).__name__, 0) + 1
    bare = BareApp()
    async with bare.run_test(size=(COLUMNS, LINES)) as pilot:
        await pilot.pause(0.3)
        bare_count = len(bare.screen.query("*"))
    return len(widgets), bare_count, sorted(by_type.items(), key=lambda item: -item[1])


# -- figure 4: keystrokes --------------------------------------------------------------------


def our_app(path: Path, local: Path) -> KintsugiApp:
    """Kintsugi as ``run_tui`` builds it, on ``path`` with this machine's ``local`` file."""
    from app.content import load_content
    from app.store.couple import CoupleStore
    from app.store.local import LocalState
    from app.tui.app import KintsugiApp

    store = CoupleStore(path, LocalState(local))
    store.load()
    return KintsugiApp(store, load_content())


def _on_dashboard(app: App[Any]) -> bool:
    return getattr(app, "current_mode", None) == "dashboard" and not _modal(app) and app.screen.is_current


def _modal(app: App[Any]) -> bool:
    from textual.screen import ModalScreen

    return isinstance(app.screen, ModalScreen)


async def _until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise RuntimeError("timed out waiting for the app")
        await asyncio.sleep(0.01)


CHARS = {"tab": "\t", "escape": "\x1b", "slash": "/", "enter": "\r"}
QUIET_S = 0.15  # no frame for this long: the key's work is done
KEY_TIMEOUT_S = 5.0


class AppStopped(Exception):
    """The app under test ended with an error (a screen being changed while we measure, say)."""


class PaintProbe:
    """Times a key from the driver to the first frame showing its effect (and to the last frame it caused)."""

    def __init__(self, app: App[Any]) -> None:
        from textual._compositor import CompositorUpdate

        self.app = app
        self.last_frame = time.perf_counter()
        self._shows: Callable[[], bool] | None = None
        self._shown = asyncio.Event()
        self._first = self._first_cpu = 0.0
        display = app._display

        def timed_display(screen: Any, renderable: Any) -> None:
            display(screen, renderable)
            if renderable is None or app._batch_count or screen is not app.screen:
                return
            if isinstance(renderable, CompositorUpdate):
                renderable.render_segments(app.console)  # what the real driver encodes and writes
            now = time.perf_counter()
            self.last_frame = now
            if self._shows is not None and not self._shown.is_set() and self._shows():
                self._first, self._first_cpu = now, time.process_time()
                self._shown.set()

        app._display = timed_display

    async def quiet(self, limit: float = 3.0) -> None:
        """Wait until no frame has been drawn for QUIET_S (at most ``limit``)."""
        start = time.perf_counter()
        while time.perf_counter() - self.last_frame < QUIET_S and time.perf_counter() - start < limit:
            await asyncio.sleep(0.01)

    async def key(self, key: str, shows: Callable[[], bool]) -> tuple[float, float, float] | None:
        """Press ``key``: (to the first frame where ``shows()``, to the last frame before quiet, CPU to
        the first frame), or None if no frame showed it within KEY_TIMEOUT_S."""
        from textual import events

        await self.quiet()
        self._shows, self._first = shows, 0.0
        self._shown.clear()
        cpu = time.process_time()
        self._check()
        event = events.Key(key, CHARS.get(key, key if len(key) == 1 else None))
        start = time.perf_counter()
        self.app._driver.send_message(event)  # as the driver's input thread does
        try:
            while not self._shown.is_set():
                self._check()
                if time.perf_counter() - start > KEY_TIMEOUT_S:
                    return None
                with suppress(TimeoutError):
                    await asyncio.wait_for(self._shown.wait(), 0.1)
        finally:
            self._shows = None
        cpu = self._first_cpu - cpu  # this process's CPU up to the first frame
        await self.quiet()
        return self._first - start, max(self.last_frame, self._first) - start, cpu

    def _check(self) -> None:
        """Stop at once if the app has failed (its own error ends the round, not a timeout per key)."""
        if self.app._exception is not None or self.app._driver is None:
            raise AppStopped(self.app._exception)


Samples = dict[str, list[tuple[float, float, float]]]


def _record(samples: Samples, name: str, measured: tuple[float, float, float] | None) -> None:
    samples.setdefault(name, [])
    if measured is not None:
        samples[name].append(measured)


def _screen_changed(app: App[Any]) -> Callable[[], bool]:
    before = app.screen
    return lambda: app.screen is not before


def _focus_moved(app: App[Any]) -> Callable[[], bool]:
    before = app.focused
    return lambda: app.focused is not None and app.focused is not before


def _typed(widget: Input) -> Callable[[], bool]:
    before = widget.value
    return lambda: widget.value != before


async def _focus_input(app: App[Any], probe: PaintProbe) -> Input | None:
    """The focused Input, or the screen's first Input focused by hand (untimed)."""
    from textual.widgets import Input

    if not isinstance(app.focused, Input):
        inputs = list(app.screen.query(Input))
        if not inputs:
            return None
        inputs[0].focus()
        await probe.quiet()
    return app.focused if isinstance(app.focused, Input) else None


async def _type_word(app: App[Any], probe: PaintProbe, samples: Samples, name: str, reps: int) -> None:
    box = await _focus_input(app, probe)
    if box is None:
        samples.setdefault(name, [])
        return
    letters = cycle(TYPED)
    for typed in range(reps):
        if typed and typed % len(TYPED) == 0:
            box.value = ""
        letter = next(letters)
        _record(samples, name, await probe.key(letter, _typed(box)))
    box.value = ""


async def _tabs(app: App[Any], probe: PaintProbe, samples: Samples, name: str, reps: int) -> None:
    for _ in range(reps):
        measured = await probe.key("tab", _focus_moved(app))
        _record(samples, name, measured)
        if measured is None:  # focus could not move (one focusable widget): nothing more to time here
            return


async def _back_to_start(app: App[Any], probe: PaintProbe, mode: str) -> None:
    while _modal(app):
        app.pop_screen()
        await probe.quiet()
    if app.current_mode != mode:
        app.switch_mode(mode)
        await probe.quiet()


async def _ours_round(path: Path, local: Path, reps: int, samples: Samples) -> None:
    """One fresh app; the most fragile part (step 8's practice, the biggest) comes last."""
    app = our_app(path, local)
    async with app.run_test(size=(COLUMNS, LINES), notifications=True) as pilot:
        probe = PaintProbe(app)
        await _until(lambda: _on_dashboard(app))
        await pilot.pause(0.5)
        await _tabs(app, probe, samples, "focus-home", reps)
        await _back_to_start(app, probe, "dashboard")
        _record(samples, "dialog", await probe.key("c", _screen_changed(app)))
        await _type_word(app, probe, samples, "type-dialog", reps)
        await _tabs(app, probe, samples, "focus-dialog", reps)
        await _back_to_start(app, probe, "dashboard")
        _record(samples, "log-first", await probe.key("l", _screen_changed(app)))
        _record(samples, "log-back", await probe.key("d", _screen_changed(app)))
        for _ in range(reps):
            _record(samples, "log", await probe.key("l", _screen_changed(app)))
            _record(samples, "log-back", await probe.key("d", _screen_changed(app)))
        await probe.key("l", _screen_changed(app))
        await probe.key("slash", _focus_moved(app))
        await _type_word(app, probe, samples, "type-search", reps)
        await _back_to_start(app, probe, "dashboard")
        _record(samples, "switch-first", await probe.key("3", _screen_changed(app)))
        _record(samples, "back", await probe.key("d", _screen_changed(app)))
        for step in range(reps):
            digit = str(4 + step % 6)  # a different step each time (4-9, then again)
            _record(samples, "switch", await probe.key(digit, _screen_changed(app)))
            _record(samples, "back", await probe.key("d", _screen_changed(app)))
        await probe.key("8", _screen_changed(app))
        _record(samples, "practice-first", await probe.key("p", _shown(app, "#practice-8 #moments-list")))
        for _ in range(reps):
            await probe.key("p", _shown(app, "#step-text"))
            _record(samples, "practice", await probe.key("p", _shown(app, "#practice-8 #moments-list")))


def _shown(app: App[Any], selector: str) -> Callable[[], bool]:
    """True once the widget ``selector`` names is on the screen (laid out and visible)."""

    def shows() -> bool:
        found = app.screen.query(selector)
        return bool(found) and found.first().region.height > 0

    return shows


async def _reference_round(reps: int, samples: Samples) -> None:
    from bench.bare_app import ReferenceApp

    app = ReferenceApp()
    async with app.run_test(size=(COLUMNS, LINES), notifications=True) as pilot:
        probe = PaintProbe(app)
        await pilot.pause(0.5)
        _record(samples, "switch-first", await probe.key("3", _screen_changed(app)))
        _record(samples, "back", await probe.key("d", _screen_changed(app)))
        for _ in range(reps):
            _record(samples, "switch", await probe.key("3", _screen_changed(app)))
            _record(samples, "back", await probe.key("d", _screen_changed(app)))
        _record(samples, "log-first", await probe.key("l", _screen_changed(app)))
        _record(samples, "log-back", await probe.key("d", _screen_changed(app)))
        for _ in range(reps):
            _record(samples, "log", await probe.key("l", _screen_changed(app)))
            _record(samples, "log-back", await probe.key("d", _screen_changed(app)))
        _record(samples, "dialog", await probe.key("c", _screen_changed(app)))
        await _type_word(app, probe, samples, "type", reps)
        await _tabs(app, probe, samples, "focus", reps)


# A target: under so many seconds, or at most so many times the reference measured in the same run.
Target = tuple[str, float] | None  # ("s", seconds) or ("x", ratio); None: report only
KEY_S: Target = ("s", KEY_TARGET_S)
SWITCH_S: Target = ("s", SWITCH_TARGET_S)
STEP_FIRST_X: Target = ("x", STEP_FIRST_TARGET_RATIO)
# (our sample, the reference's sample, what it is, its target)
KEY_ROWS: tuple[tuple[str, str, str, Target], ...] = (
    ("focus-home", "focus", "Focus: tab on the dashboard", KEY_S),
    ("focus-dialog", "focus", "Focus: tab in the celebrate dialog (c)", KEY_S),
    ("type-dialog", "type", "Typing a letter: celebrate dialog title", KEY_S),
    ("type-search", "type", "Typing a letter: log search box (l, /)", KEY_S),
    ("switch-first", "switch-first", "Dashboard → step screen (3), first time", STEP_FIRST_X),
    ("switch", "switch", "Dashboard → step screen (4-9, a new step each time)", SWITCH_S),
    ("back", "back", "Step screen → dashboard (d)", SWITCH_S),
    ("log-first", "log-first", "Open the celebration log (l), first time", ("x", LOG_FIRST_TARGET_RATIO)),
    ("log", "log", "Open the celebration log (l) again", SWITCH_S),
    ("log-back", "log-back", "Celebration log → dashboard (d)", SWITCH_S),
    ("dialog", "dialog", "Open the celebrate dialog (c)", ("x", DIALOG_TARGET_RATIO)),
    ("practice-first", "", "Step 8's practice tab (8, p), first time: its journal and walk-throughs", None),
    ("practice", "", "Step 8's practice tab again (p, p)", None),
)
REFERENCE_NAMES = {
    "focus": "tab between two Inputs",
    "type": "typing in an Input",
    "switch-first": "first switch to a trivial mode",
    "switch": "switch between trivial modes",
    "back": "switch between trivial modes",
    "log-first": "first switch to a trivial mode",
    "log": "switch between trivial modes",
    "log-back": "switch between trivial modes",
    "dialog": "push a dialog with two Inputs",
}


@figure(
    "tui-keys",
    "Keystroke to painted frame, 10k records",
    remains=SWITCH_WHY,
)
def keystrokes(ctx: Context) -> list[Row]:
    n = KEYS_SIZE if KEYS_SIZE in ctx.sizes else max(ctx.sizes)
    rounds, reps = ctx.reps(full=3, quick=1), ctx.reps(full=8, quick=4)
    ctx.log(f"  keystrokes headless, {size_label(n)} records, {rounds} rounds of {reps} keys each")
    path, local = ctx.couple_copy(n, ctx.scratch("keys"))
    ours: Samples = {}
    reference: Samples = {}
    failures: list[str] = []
    for _ in range(rounds):
        _round(_ours_round(path, local, reps, ours), failures)
        _round(_reference_round(reps, reference), failures)
    rows = [_key_row(spec, n, ours, reference, failures) for spec in KEY_ROWS]
    if failures:
        rows.append(
            Row(
                "Keystrokes: rounds cut short",
                size_label(n),
                len(failures),
                unit="n",
                note="; ".join(dict.fromkeys(failures)),
            )
        )
    return rows


_KEY_WHY = {"focus": FOCUS_WHY, "type": TYPING_WHY, "dialog": DIALOG_WHY}  # by the sample's first word


def _key_row(
    spec: tuple[str, str, str, Target], n: int, ours: Samples, reference: Samples, failures: list[str]
) -> Row:
    """One keystroke row: our samples under ``name`` against the reference's under ``ref_name``."""
    name, ref_name, title, target = spec
    mine, theirs = ours.get(name, []), reference.get(ref_name, [])
    if not mine:
        why = f"could not be timed: {failures[0]}" if failures else "could not be timed"
        return Row(title, size_label(n), None, target="—", note=why)
    first = median([m[0] for m in mine])
    settled = median([m[1] for m in mine])
    cpu = median([m[2] for m in mine])
    ref = median([m[0] for m in theirs]) if theirs else None
    ref_cpu = f" (reference {median([m[2] for m in theirs]) * 1000:.0f} ms)" if theirs else ""
    wanted, met = "report only", None
    if target is not None and target[0] == "s":
        wanted, met = f"< {target[1] * 1000:.0f} ms", first < target[1]
    elif target is not None:
        wanted = f"≤ {target[1]:.1f}x the reference"
        met = first <= target[1] * ref if ref is not None else None
    return Row(
        title,
        size_label(n),
        first,
        ref,
        REFERENCE_NAMES[ref_name] if theirs else "",
        target=wanted,
        met=met,
        runs=len(mine),
        note=f"CPU {cpu * 1000:.0f} ms{ref_cpu}; last frame it caused at {settled * 1000:.0f} ms",
        why=_KEY_WHY.get(name.split("-")[0], ""),
    )


def _round(scenario: Coroutine[Any, Any, None], failures: list[str]) -> None:
    """Run one app's round; if the app fails, keep what was timed before and say why.

    Each round starts with what the rounds before left collected: an app ending gives back what it
    kept out of the full collections (``gc.unfreeze``), and the next full collection, in whichever
    app and key it fell, walked all of it (100-400 ms; a reference's first switch measured at 450 ms
    of CPU so), as no process running one app ever does."""
    gc.collect()
    try:
        asyncio.run(scenario)
    except Exception as error:
        traceback.print_exc()
        cause = error
        if isinstance(error, AppStopped) and isinstance(error.args[0], BaseException):
            cause = error.args[0]
        text = " ".join(f"{type(cause).__name__}: {cause}".split())
        failures.append(text[:160])


# -- the agreements screen, ~2k agreements ---------------------------------------------------


def _agreements_shown(app: App[Any]) -> Callable[[], bool]:
    """True once another screen is on top and its longest list shows its rows (laid out, on screen):
    the agreements, not only the screen around them. By behaviour, not by ids."""
    from textual.widgets import OptionList

    changed = _screen_changed(app)

    def shows() -> bool:
        if not changed():
            return False
        lists = list(app.screen.query(OptionList))
        if not lists:
            return False
        longest = max(lists, key=lambda found: found.option_count)
        return longest.option_count >= 10 and longest.region.height > 0

    return shows


async def _agreements_round(path: Path, local: Path, reps: int, samples: Samples) -> None:
    app = our_app(path, local)
    async with app.run_test(size=(COLUMNS, LINES), notifications=True) as pilot:
        probe = PaintProbe(app)
        await _until(lambda: _on_dashboard(app))
        await pilot.pause(0.5)
        _record(samples, "agreements-first", await probe.key("a", _agreements_shown(app)))
        _record(samples, "agreements-back", await probe.key("d", _screen_changed(app)))
        for _ in range(reps):
            _record(samples, "agreements", await probe.key("a", _agreements_shown(app)))
            _record(samples, "agreements-back", await probe.key("d", _screen_changed(app)))


async def _first_switch_round(reps: int, samples: Samples) -> None:
    """The reference's part of ``_reference_round`` the agreements rows are compared with."""
    from bench.bare_app import ReferenceApp

    app = ReferenceApp()
    async with app.run_test(size=(COLUMNS, LINES), notifications=True) as pilot:
        probe = PaintProbe(app)
        await pilot.pause(0.5)
        _record(samples, "switch-first", await probe.key("3", _screen_changed(app)))
        _record(samples, "back", await probe.key("d", _screen_changed(app)))
        for _ in range(reps):
            _record(samples, "switch", await probe.key("3", _screen_changed(app)))
            _record(samples, "back", await probe.key("d", _screen_changed(app)))


AGREEMENT_ROWS: tuple[tuple[str, str, str, Target], ...] = (
    (
        "agreements-first",
        "switch-first",
        "Open the agreements screen (a), first time",
        ("x", AGREEMENTS_TARGET_RATIO),
    ),
    ("agreements", "switch", "Open the agreements screen (a) again", None),
    ("agreements-back", "back", "Agreements screen → dashboard (d)", None),
)


@figure(
    "tui-agreements",
    "The agreements screen with ~2k agreements, 10k records",
    remains=AGREEMENTS_WHY,
)
def agreements_screen(ctx: Context) -> list[Row]:
    n = AGREEMENTS_SIZE if AGREEMENTS_SIZE in ctx.sizes else max(ctx.sizes)
    count = round(n * AGREEMENTS_SHARE)
    rounds, reps = ctx.reps(full=5, quick=2), ctx.reps(full=4, quick=2)
    ctx.log(f"  agreements screen headless, {size_label(n)} records, {count} agreements, {rounds} rounds")
    path, local = ctx.couple_copy(n, ctx.scratch("agreements"), agreements=count)
    ours: Samples = {}
    reference: Samples = {}
    failures: list[str] = []
    for _ in range(rounds):
        _round(_agreements_round(path, local, reps, ours), failures)
        _round(_first_switch_round(reps, reference), failures)
    rows = [_key_row(spec, n, ours, reference, failures) for spec in AGREEMENT_ROWS]
    for row in rows:
        row.note = f"{count} agreements in the file; {row.note}"
    if failures:
        note = "; ".join(dict.fromkeys(failures))
        cut = Row("Agreements screen: rounds cut short", size_label(n), len(failures), unit="n", note=note)
        rows.append(cut)
    return rows


# -- figure 6: live sync ---------------------------------------------------------------------


def _writer(path: Path, folder: Path) -> tuple[CoupleStore, Partner]:
    """The other partner's store on ``path``, in this process (another process than the TUI)."""
    from app.store.couple import CoupleStore
    from app.store.local import LocalState

    store = CoupleStore(path, LocalState(folder / "partner-local.json"))
    store.load()
    me = LocalState(local_path_for(cached_file(SYNC_SIZE))).me(store.file_id)
    other = next(p for p in store.partners if p.id != me)
    store.set_me(other.id)
    return store, other


@figure(
    "tui-sync",
    "Live sync: another process's write to the screen showing it",
    remains=SYNC_WHY,
)
def live_sync(ctx: Context) -> list[Row]:
    runs = ctx.reps(full=7, quick=3)
    ctx.log(f"  live sync, {size_label(SYNC_SIZE)} records, {runs} writes each")
    folder = ctx.scratch("sync")
    ours_path, ours_local = ctx.couple_copy(SYNC_SIZE, folder / "ours")
    bare_path, _ = ctx.couple_copy(SYNC_SIZE, folder / "bare")
    tmux = Tmux()
    sessions: list[tuple[str, int]] = []
    try:
        ours_tui = ours_in_tmux(ours_path, ours_local)
        sessions.append(tmux.launch(ours_tui.argv, ours_tui.env))
        bare_argv = [sys.executable, str(BARE_APP), "--watch", str(bare_path)]
        sessions.append(tmux.launch(bare_argv, {}))
        wait_for_text(tmux, sessions[0][0], [ours_tui.first_frame], time.perf_counter(), START_TIMEOUT_S)
        wait_for_text(tmux, sessions[1][0], ["watching"], time.perf_counter(), START_TIMEOUT_S)
        time.sleep(SETTLE_S)
        writers = [_writer(ours_path, folder / "ours"), _writer(bare_path, folder / "bare")]
        day = max(dt.date.today(), LAST_DAY)
        times: list[list[float]] = [[], []]
        writes: list[float] = []
        for run in range(runs):
            for side in (0, 1) if run % 2 == 0 else (1, 0):
                store, partner = writers[side]
                title = f"Sync probe {uuid.uuid4().hex[:8]}"
                started = time.perf_counter()
                store.add_celebration(partner.id, title, day=day)
                written = time.perf_counter()
                writes.append(written - started)
                seen = wait_for_text(tmux, sessions[side][0], [title], written, 10.0)
                times[side].append(seen[title])
                time.sleep(0.3)
    finally:
        for name, pid in sessions:
            tmux.stop(name, pid)
        tmux.close()
    ours_s, bare_s = median(times[0]), median(times[1])
    return [
        Row(
            "Live sync: partner's write (CoupleStore) → title on the dashboard",
            size_label(SYNC_SIZE),
            ours_s,
            bare_s,
            "bare app: watchfiles 100 ms + json.loads + Static",
            target=f"< {SYNC_TARGET_S:.0f} s",
            met=ours_s < SYNC_TARGET_S,
            runs=runs,
            note=f"timed from the write's return; the write itself took {median(writes) * 1000:.0f} ms",
        )
    ]
