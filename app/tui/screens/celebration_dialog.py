"""One celebration in full, where the partner who did not log it can react.

Each partner has one short reaction (``reaction.<partner id>`` in the file),
so both machines can add theirs without overwriting each other. The dialog
shows what it is given and dismisses with the reaction typed, or None; the App
saves it (``KintsugiApp.show_celebration``), and if the store refuses, opens
the dialog again with the words typed and why.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from app.domain.models import Celebration, Partner
from app.store.celebrations import REACTION_MAX
from app.tui.base import SAVE_KEY, SavesWithKey, UsesKintsugi
from app.tui.screens import STYLES
from app.tui.textual_patches import QuietFocus
from app.tui.widgets.footer import KeyFooter
from app.tui.widgets.keys import describe_keys
from app.tui.widgets.safe import kept, safe_str, safe_text
from app.tui.widgets.scroll import ScrollArea
from app.words import day_words


class CelebrationDialog(QuietFocus, UsesKintsugi, SavesWithKey, ModalScreen[str | None]):
    CSS_PATH = STYLES / "celebration_dialog.tcss"
    BINDINGS = [Binding("escape", "dismiss", id="close"), SAVE_KEY]
    SAVE_BUTTON = "#celebration-save"  # there when the one writing may react

    def __init__(
        self,
        celebration: Celebration | None,
        partners: list[Partner],
        reaction: str | None = None,
        problem: str = "",
    ) -> None:
        """``celebration``: None if it is no longer in the file; ``reaction``: the words typed
        before the store refused them (``problem``), else the writer's reaction as it stands."""
        super().__init__()
        self.celebration, self.partners, self.problem = celebration, partners, problem
        acting = self.kintsugi.acting
        self.can_react = celebration is not None and acting not in (None, celebration.author)
        self.mine = celebration.reactions.get(acting or "", "") if celebration else ""
        if reaction is not None:
            self.mine = reaction
        describe_keys(self, self.kintsugi.content)

    def compose(self) -> ComposeResult:
        text = self.kintsugi.content.text
        can_react, mine = self.can_react, self.mine
        with Vertical(id="celebration-dialog"):
            yield Static(id="celebration-title")
            yield Static(id="celebration-meta")
            with ScrollArea(id="celebration-scroll"):
                yield Static(id="celebration-note")
                yield Static(id="celebration-reactions")
            if can_react:
                yield Label(text("log.your_reaction"), classes="field-label")
                with self.prevent(Input.Changed):  # its first value is no change: a problem shown stays
                    yield Input(
                        safe_str(mine),
                        placeholder=text("log.reaction_placeholder"),
                        max_length=REACTION_MAX,
                        id="celebration-reaction",
                    )
                yield Static("", id="celebration-problem", classes="problem")
            with Horizontal(id="celebration-buttons"):
                if can_react:
                    yield Button(text("log.save_reaction"), variant="primary", id="celebration-save")
                yield Button(text("common.close"), id="celebration-close")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.show()
        if self.can_react:
            self.query_one("#celebration-reaction", Input).focus()
            self._problem(self.problem)

    def show(self) -> None:
        app = self.kintsugi
        text = app.content.text
        celebration = self.celebration
        if celebration is None:
            self.query_one("#celebration-title", Static).update(Text(text("log.gone")))
            return
        names = {p.id: p.name for p in self.partners}
        self.query_one("#celebration-title", Static).update(safe_text(celebration.title, "bold"))
        meta = Text()
        meta.append(day_words(app.content, celebration.day, "long"))
        meta.append("  ·  ")
        meta.append(text(f"celebrate.sizes.{celebration.size.value}"))
        if celebration.step:
            meta.append("\n")
            meta.append(
                text("log.step", number=celebration.step, title=app.content.step(celebration.step).title)
            )
        meta.append("\n")
        meta.append_text(safe_text(text("log.logged_by", name=names.get(celebration.author, "?")), "italic"))
        self.query_one("#celebration-meta", Static).update(meta)
        note = self.query_one("#celebration-note", Static)
        note.update(safe_text(celebration.note) if celebration.note.strip() else Text(""))
        note.display = bool(celebration.note.strip())
        lines = Text()
        for partner_id, name in names.items():
            said = celebration.reactions.get(partner_id, "")
            if partner_id == celebration.author or (partner_id == app.acting and not said):
                continue  # the author does not react to their own; the one writing now has the box
            if lines:
                lines.append("\n")
            if said:
                lines.append("♥ ", "bold")
                lines.append_text(safe_text(name, "bold", one_line=True))
                lines.append("  ")
                lines.append_text(safe_text(said))
            else:
                lines.append_text(safe_text(text("log.no_reaction", name=name), "italic dim"))
        self.query_one("#celebration-reactions", Static).update(lines)

    @on(Input.Changed, "#celebration-reaction")
    def _typing(self) -> None:
        self._problem("")

    def _problem(self, message: str) -> None:
        problem = self.query_one("#celebration-problem", Static)
        problem.update(safe_text(message))
        problem.set_class(bool(message), "-shown")

    @on(Input.Submitted, "#celebration-reaction")
    @on(Button.Pressed, "#celebration-save")
    def save(self) -> None:
        self.dismiss(kept(self.query_one("#celebration-reaction", Input).value, self.mine))

    @on(Button.Pressed, "#celebration-close")
    def _close(self) -> None:
        self.dismiss(None)
