"""Our file's facts, at the top of the "sync" mode (``f``): where the file lives, when it changed
and whose the newest change is (typed at which machine), the backups kept, records from a newer
Kintsugi or damaged, and what a sync service should leave alone."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.widgets import Static

from app.store.backups import backups
from app.store.reading import LastChange
from app.tui.base import UsesKintsugi
from app.tui.widgets.safe import safe_str, safe_text
from app.words import counted, day_words


class FileFacts(UsesKintsugi, Static):
    """The facts, re-read by ``show`` (a ``StoreError`` goes up to the screen's ``reporting``)."""

    def show(self) -> None:
        store, content, text = self.kintsugi.store, self.kintsugi.content, self.kintsugi.content.text
        path = store.path
        changed = dt.datetime.fromtimestamp(store.places.real.stat().st_mtime)
        newest = store.last_change()
        facts = Text()
        facts.append(text("sync.file_is") + " ")
        facts.append_text(safe_text(str(path), "bold"))
        facts.append("\n" + text("sync.changed_at", when=self._when(changed)))
        if newest is not None:
            facts.append(" " + self._newest_change(newest))
        kept = backups(store.places)
        if kept:
            stamp = dt.datetime.fromtimestamp(kept[0].stat().st_mtime)
            facts.append("\n" + counted(content, "sync.backups", len(kept), when=self._when(stamp)))
        for count, key in ((store.from_newer(), "sync.from_newer"), (len(store.problems()), "sync.damaged")):
            if count:
                facts.append("\n" + counted(content, key, count))
        facts.append("\n")
        facts.append_text(
            safe_text(
                text("sync.ignore", pattern=store.places.ignore_pattern, folder=str(store.places.machine))
            )
        )
        self.update(facts)

    def _when(self, moment: dt.datetime) -> str:
        return day_words(self.kintsugi.content, moment, "moment")

    def _newest_change(self, change: LastChange) -> str:
        """ "The newest change is Sam's, typed at Alex's keyboard, from ...": where, when the machine
        that stamped it is one this machine trusts (and so knows whose it is)."""
        store, text = self.kintsugi.store, self.kintsugi.content.text
        editor, machine = change.editor, change.machine
        names = {p.id: p.name for p in store.partners}
        name = safe_str(names.get(editor, "?"))
        when = self._when(change.when)
        owner = store.trusted().get(machine.id) if machine is not None else None
        if machine is not None and machine.id == store.keyring.machine_id:
            return text("sync.last_by_here", name=name, when=when)
        if owner == editor:
            return text("sync.last_by_own", name=name, when=when)
        if owner in names:
            return text("sync.last_by_at", name=name, owner=safe_str(names[owner]), when=when)
        return text("sync.last_by", name=name, when=when)
