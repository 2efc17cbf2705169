"""Who can read our file, in the "sync" mode (``f``): sealed or plain, this machine and the ones
it trusts, each with its six words (``TrustedMachines``), and the machines waiting to be let in
(``WaitingMachines``: the screen's ``i`` lets the chosen one in)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from app.domain.machines import Machine
from app.tui.base import UsesKintsugi
from app.tui.widgets.safe import safe_str, safe_text
from app.tui.widgets.words import machine_words


class TrustedMachines(UsesKintsugi, Static):
    """Sealed or plain, and the machines this one trusts; ``sealed`` is what ``show`` last read."""

    sealed = True

    def show(self) -> None:
        store, text = self.kintsugi.store, self.kintsugi.content.text
        names = {p.id: p.name for p in store.partners}
        trusted, machines = store.trusted(), store.machines()
        self.sealed = store.sealed
        shown = Text(text("machines.sealed" if self.sealed else "machines.plain"))
        mine = store.keyring.machine_id
        for machine_id in sorted(trusted, key=lambda m: (m != mine, names.get(trusted[m], ""), m)):
            owner = safe_str(names.get(trusted[machine_id], "?"))
            label = text("machines.this_machine" if machine_id == mine else "machines.theirs", name=owner)
            keys = machines.get(machine_id)
            shown.append(f"\n{label}: ")
            if keys is not None:
                shown.append("  ".join(machine_words(keys.sign_key, keys.box_key)), "bold")
        self.update(shown)


class WaitingMachines(UsesKintsugi, OptionList):
    """The machines asking to be let in: whose each says it is, and its words."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.waiting: list[Machine] = []

    def show(self) -> list[Machine]:
        """Re-read the machines waiting, keeping the highlight where it was; returns them."""
        store = self.kintsugi.store
        names = {p.id: p.name for p in store.partners}
        self.waiting = store.waiting_machines()
        highlighted = self.highlighted
        self.set_options(Option(self._prompt(m, names), id=m.id) for m in self.waiting)
        if self.waiting:
            self.highlighted = min(highlighted or 0, len(self.waiting) - 1)
        return self.waiting

    @property
    def chosen(self) -> Machine | None:
        if self.highlighted is None or self.highlighted >= len(self.waiting):
            return None
        return self.waiting[self.highlighted]

    def _prompt(self, machine: Machine, names: dict[str, str]) -> Text:
        text = self.kintsugi.content.text
        says = names.get(machine.partner)
        prompt = safe_text(text("machines.says", name=says) if says else text("machines.asks"), one_line=True)
        prompt.append(": ")
        prompt.append("  ".join(machine_words(machine.sign_key, machine.box_key)), "bold")
        return prompt
