"""Words written on both sides, in the "sync" mode (``f``): each record where both partners wrote
the same field apart, what it holds now and what the other also wrote ("Sam also wrote…"); the
screen's ``r`` and ``k`` restore the other version or keep this one for the chosen row."""

from __future__ import annotations

from textual.widgets import DataTable

from app.store.alternatives import Alternative
from app.tui.base import UsesKintsugi
from app.tui.widgets.safe import safe_text

PREVIEW = 50


class BothWrote(UsesKintsugi, DataTable):
    """A row an ``Alternative``: whose record and which field, what it holds, what was also written."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.alternatives: list[Alternative] = []

    def on_mount(self) -> None:
        text = self.kintsugi.content.text
        self.add_columns(text("sync.column_what"), text("sync.column_now"), text("sync.column_also"))

    def show(self) -> list[Alternative]:
        """Re-read what both wrote; returns it."""
        store = self.kintsugi.store
        self.alternatives = store.alternatives()
        self.clear()
        names = {partner.id: partner.name for partner in store.partners}
        for alternative in self.alternatives:
            self.add_row(
                safe_text(self._what(alternative, names), one_line=True),
                safe_text(str(alternative.current or ""), one_line=True)[:PREVIEW],
                safe_text(str(alternative.value), one_line=True)[:PREVIEW],
            )
        return self.alternatives

    @property
    def chosen(self) -> Alternative | None:
        if not self.alternatives or self.cursor_row >= len(self.alternatives):
            return None
        return self.alternatives[self.cursor_row]

    def _what(self, alternative: Alternative, names: dict[str, str]) -> str:
        """Whose record, what kind, which field: "Sam's check-in, its note"."""
        content = self.kintsugi.content
        whose = names.get(alternative.author, "")
        kinds: dict[str, str] = content.value("sync.kinds")
        kind = kinds.get(alternative.kind, alternative.kind.replace("_", " "))
        field, _, partner = alternative.field.partition(".")  # a map's field: one per partner
        field = field.replace("_", " ")
        if partner in names:
            return content.text("sync.what_theirs", whose=whose, kind=kind, name=names[partner], field=field)
        return content.text("sync.what", whose=whose, kind=kind, field=field)
