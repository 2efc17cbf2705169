"""What the App does when the couple's file changes: the file watcher's hook (``take_in_changes``:
conflict copies merged, the file re-read, what came in told), a save made here (``Saved``), the
daily question's answers shared once both are in, and a machine waiting to be let in, told once
in its own words. Every change bumps ``revision``, which the screens follow.

``TakesInChanges`` is mixed into ``KintsugiApp``; its methods take ``self: KintsugiApp``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.domain.machines import KeyWrap, Machine
from app.domain.merge import MergeReport
from app.store.sync import came_from, merge_conflict_copies
from app.tui.messages import Saved
from app.tui.screens import JoinScreen
from app.tui.widgets.safe import safe_str
from app.words import left_copy_words, report_words

if TYPE_CHECKING:
    from app.tui.app import KintsugiApp

WATCH_CATCH_UP_S = 1.0  # after the watcher starts: one look at the file, for what came while it started
MACHINERY = {Machine.KIND, KeyWrap.KIND}
"""Records about the machines and their keys, not the couple's words."""


def about_machines_only(report: MergeReport) -> bool:
    """True if what came in only concerns the machines ("1 new machine came in" tells nothing)."""
    touched = [*report.added, *report.changed, *report.deleted]
    plain = not (report.conflicts or report.damaged or report.skipped)
    return plain and bool(touched) and all(kind in MACHINERY for kind, _ in touched)


class TakesInChanges:
    """The store changed, here or elsewhere: the screens re-read, and the couple are told."""

    def begin_taking_in(self: KintsugiApp) -> None:
        """From here on, what comes in is told here (what came in before the app opened is told by
        the command that opened it)."""
        self.store.came_in()
        self._shown_generation = self.store.generation
        """The store's generation the screens last read at (their first reading, then ``revision``)."""
        self._left_alone: set[Path] = set()
        """Conflict copies left where they are, already told (each is told once)."""
        self._told_waiting: set[str] = set()
        """Machines waiting to be let in, already told (each is told once a session)."""

    def on_saved(self: KintsugiApp, _: Saved) -> None:
        self.revision += 1

    def watch_revision(self: KintsugiApp) -> None:
        self._shown_generation = self.store.generation
        self.publish_answers()

    def publish_answers(self: KintsugiApp) -> None:
        """Share this machine's answers to the daily question once both of you have answered.

        Runs on open and whenever the file changed (app/store/question.py says why).
        """
        if not self.store.exists or self.locked:
            return
        with self.reporting() as attempt:
            published = self.store.publish_answers()
        if attempt.failed:
            return
        if published:
            self.revision += 1

    def reload(self: KintsugiApp) -> bool:
        """Take in what was written to the file from elsewhere (the partner's copy synced in).

        If anything changed, every screen re-reads. Returns True if it did.
        The file watcher calls this.
        """
        with self.reporting() as attempt:
            changed = self.store.refresh()
        if attempt.failed:
            return False
        if changed:
            self.revision += 1
        return changed

    def start_watching(self: KintsugiApp) -> None:
        """Start watching the couple's file (the partner's changes show within a second).

        Started once the first screen is drawn (its import and start cost ~0.05 s), then one
        look at the file a moment later takes in a change made while the app was starting.
        """
        from app.tui.watcher import watch_couple_file

        watching = watch_couple_file(self.store.places.real, self.take_in_changes)
        self.run_worker(watching, group="watch", exclusive=True)
        self.set_timer(WATCH_CATCH_UP_S, self.take_in_changes)

    def take_in_changes(self: KintsugiApp) -> None:
        """Merge conflict copies a sync left beside the file, re-read it, and say what came in.

        Any read may take the partner's change in first (a key's check, a screen re-reading):
        what came in is told here all the same, and the screens re-read if the store holds
        anything they have not shown, however it got there. While this machine cannot open the
        file, the join screen looks whether it has been let in.
        """
        self._file_seen = False  # looked for again (``ready``): it may be gone
        if self.locked:
            for screen in self.screen_stack:
                if isinstance(screen, JoinScreen):
                    screen.check()
            return
        with self.reporting() as attempt:
            copies = merge_conflict_copies(self.store)
            self.store.refresh()
        if attempt.failed:
            return
        reports = self.store.came_in()
        left = {outcome.path for outcome in copies if outcome.report is None}
        for outcome in copies:
            if outcome.report is not None:
                self._tell_what_came_in(outcome.report, outcome.path)
            elif outcome.path not in self._left_alone:
                line = f"{left_copy_words(self.content, outcome)} {self.content.text('sync.left_see')}"
                self.notify(safe_str(line), severity="warning", markup=False)
        for report in reports:
            if not about_machines_only(report):  # a machine asking in: told in its own words, below
                self._tell_what_came_in(report)
        if self.store.generation != self._shown_generation or left != self._left_alone:
            self.revision += 1  # "our file" lists the copies left where they are
        self._left_alone = left
        self.tell_of_waiting_machines()

    def tell_of_waiting_machines(self: KintsugiApp) -> None:
        """Say once that a machine waits to be let in, and where to compare its words (Our file)."""
        if not self.ready:
            return
        with self.reporting() as attempt:
            waiting = [m for m in self.store.waiting_machines() if m.id not in self._told_waiting]
            names = {partner.id: partner.name for partner in self.store.partners}
        if attempt.failed:
            return
        for machine in waiting:
            self._told_waiting.add(machine.id)
            if machine.partner in names:
                line = self.content.text("machines.told_says", name=safe_str(names[machine.partner]))
            else:
                line = self.content.text("machines.told_join")
            self.notify(line, markup=False)

    def _tell_what_came_in(self: KintsugiApp, report: MergeReport, source: Path | None = None) -> None:
        line = report_words(self.content, report, came_from(report, self.store, source))
        if report.conflicts:
            line += " " + self.content.text("sync.see_both")
        self.notify(safe_str(line), markup=False)
