"""The peers' cold start (``python -m bench --peers``; report only): other Textual apps, started
the way the cold-start figure starts Kintsugi and the bare app.

Each peer is installed from PyPI with pip into a throwaway environment of its
own under ``bench/.data/peers/`` (git-ignored; kept between runs, made again
when missing), since each pins its own Textual. It is started in the same
private tmux server at 120x40, with a small file made for it, and timed from
``tmux new-session`` until a line of that file is on the pane (its first
painted screen, with the file shown), taking turns with the bare app on our
Textual, with the bare app on the peer's own Textual, and with Kintsugi at 10k.
A peer that cannot be installed or started gives a "not measured" row.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bench.core import Context, Row, figure, median, size_label
from bench.generate import DATA_DIR

if TYPE_CHECKING:
    from bench.tui_figures import Contender

PEERS_DIR = DATA_DIR / "peers"
INSTALL_TIMEOUT_S = 600
MARKDOWN = """# Lighthouse notes

A small file for the benchmark: the keeper writes one line a night.

- fog at six
- the lamp lit at seven
"""
MARKDOWN_SHOWN = "the keeper writes one line a night"
LOG_LINES = 30  # all on the first screen at 40 lines, whether the viewer starts at the top or the end
LOG_SHOWN = f"keeper entry {LOG_LINES:03d}"


@dataclass(frozen=True)
class Peer:
    package: str  # on PyPI
    command: str  # the console script it installs
    file_name: str
    content: str
    shown: str  # on the pane once its first screen shows the file


PEERS = (
    Peer("frogmouth", "frogmouth", "notes.md", MARKDOWN, MARKDOWN_SHOWN),
    Peer(
        "toolong",
        "tl",
        "keeper.log",
        "".join(
            f"2026-12-01 21:{i // 60:02d}:{i % 60:02d} INFO keeper entry {i:03d}: the lamp turned\n"
            for i in range(1, LOG_LINES + 1)
        ),
        LOG_SHOWN,
    ),
)


def install(peer: Peer, log: Callable[[str], None] = print) -> tuple[Path, str]:
    """The peer's environment (made with pip the first time) and its versions, or raise with why."""
    venv = PEERS_DIR / peer.package
    python, script = venv / "bin" / "python", venv / "bin" / peer.command
    if not script.exists():
        log(f"  installing {peer.package} with pip into {venv}")
        PEERS_DIR.mkdir(parents=True, exist_ok=True)
        _run([sys.executable, "-m", "venv", "--clear", str(venv)], 120)
        _run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", peer.package])
        if not script.exists():
            raise RuntimeError(f"pip installed {peer.package} but not its command {peer.command}")
    code = f"from importlib.metadata import version as v; print(v({peer.package!r}), v('textual'))"
    versions = _run([str(python), "-c", code], 60).split()
    return venv, f"{peer.package} {versions[0]}, Textual {versions[1]}"


def _run(argv: list[str], timeout: float = INSTALL_TIMEOUT_S) -> str:
    """Run a command; its output, or raise with the last line it printed (pip's error)."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"{Path(argv[0]).name} {argv[1]} took over {timeout:.0f} s") from None
    if done.returncode:
        lines = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        raise RuntimeError(lines[-1].strip() if lines else f"exit status {done.returncode}")
    return done.stdout


def _one_line(error: Exception) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 160 else text[:159] + "…"


@figure(
    "peers",
    "Peers: cold start of other Textual apps against the same bare app (report only)",
    by_default=False,
)
def peers(ctx: Context) -> list[Row]:
    # Imported here, not above: importing tui_figures first would register its figures before the
    # store's, and the table follows the order the figures were registered in.
    from bench.tui_figures import (
        BARE_APP,
        KEYS_SIZE,
        Contender,
        Tmux,
        bare_in_tmux,
        latest_title,
        ours_in_tmux,
    )

    folder = ctx.scratch("peers")
    contenders: dict[str, Contender] = {"bare": bare_in_tmux()}
    names: dict[str, str] = {}
    rows_failed: list[Row] = []
    for peer in PEERS:
        try:
            venv, names[peer.package] = install(peer, ctx.log)
        except Exception as error:  # no network, a build failing: say so and go on
            rows_failed.append(_not_measured(peer, f"install failed: {_one_line(error)}"))
            continue
        path = folder / peer.file_name
        path.write_text(peer.content, encoding="utf-8")
        command = str(venv / "bin" / peer.command)
        contenders[peer.package] = Contender([command, str(path)], {}, peer.shown)
        bare_there = [str(venv / "bin" / "python"), str(BARE_APP)]
        contenders[f"bare-{peer.package}"] = Contender(bare_there, {}, contenders["bare"].first_frame)
    n = KEYS_SIZE if KEYS_SIZE in ctx.sizes else max(ctx.sizes)
    path, local = ctx.couple_copy(n, folder / "kintsugi")
    contenders["kintsugi"] = ours_in_tmux(path, local, latest_title(path, local))

    runs = ctx.reps(full=7, quick=3)
    ctx.log(f"  peers' cold start in tmux: {', '.join(contenders)}, {runs} runs each")
    tmux = Tmux()
    broken: dict[str, str] = {}
    try:
        for name, contender in contenders.items():  # warm the disk cache and compile the bytecode
            try:
                contender.start_once(tmux)
            except Exception as error:
                broken[name] = f"did not start: {_one_line(error).split(';')[0]}"
            for kept in (contender.starts, contender.loaded_at, contender.cpu, contender.peaks):
                kept.clear()
        order = [name for name in contenders if name not in broken]
        for run in range(runs):
            shift = run % len(order)
            for name in order[shift:] + order[:shift]:
                contenders[name].start_once(tmux)
    finally:
        tmux.close()

    bare = contenders["bare"]
    bare_s = median(bare.starts)
    rows: list[Row] = []
    for peer in PEERS:
        if peer.package not in contenders:
            continue
        if peer.package in broken:
            rows.append(_not_measured(peer, broken[peer.package]))
            continue
        mine = contenders[peer.package]
        own_bare = contenders[f"bare-{peer.package}"]
        on_own = (
            f"; the bare app on {peer.package}'s Textual {median(own_bare.starts) * 1000:.0f} ms"
            if own_bare.starts
            else ""
        )
        kind = Path(peer.file_name).suffix[1:]
        rows.append(
            Row(
                f"Peer cold start: {names[peer.package]}, to a small .{kind} file on the pane",
                "-",
                median(mine.starts),
                bare_s,
                "bare Textual app: Header, Static, Footer",
                runs=runs,
                note=f"CPU used by then {median(mine.cpu):.2f} s against the bare app's "
                f"{median(bare.cpu):.2f} s{on_own}; peak RSS {median(mine.peaks):.0f} MB",
            )
        )
    rows += rows_failed
    kintsugi = contenders["kintsugi"]
    if "kintsugi" not in broken:
        rows.append(
            Row(
                "Kintsugi cold start in the same turns (dashboard on the pane)",
                size_label(n),
                median(kintsugi.starts),
                bare_s,
                "bare Textual app: Header, Static, Footer",
                runs=runs,
                note=f"CPU used by then {median(kintsugi.cpu):.2f} s; "
                f"peak RSS {median(kintsugi.peaks):.0f} MB",
            )
        )
    return rows


def _not_measured(peer: Peer, why: str) -> Row:
    return Row(f"Peer cold start: {peer.package}", "-", None, note=f"not measured: {why}")
