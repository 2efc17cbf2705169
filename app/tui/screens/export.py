"""Export the journey from the TUI: Markdown or JSON, to a file (the same as `kintsugi export`)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from app.export import default_export_name, export_json, export_markdown, save_export
from app.store.storage import StoreError
from app.tui.base import SAVE_KEY, QuietFocus, SavesWithKey, UsesKintsugi
from app.tui.screens import STYLES
from app.tui.widgets.footer import KeyFooter
from app.tui.widgets.keys import describe_keys
from app.tui.widgets.safe import safe_text


class ExportDialog(QuietFocus, UsesKintsugi, SavesWithKey, ModalScreen[Path | None]):
    """Dismisses with the path written, or None."""

    CSS_PATH = STYLES / "export.tcss"
    BINDINGS = [Binding("escape", "cancel", id="close"), SAVE_KEY]
    SAVE_BUTTON = "#export-save"
    AUTO_FOCUS = "#export-path"

    def __init__(self, fmt: str = "md") -> None:
        super().__init__()
        self.fmt = fmt
        describe_keys(self, self.kintsugi.content)

    def _default_path(self, fmt: str) -> str:
        return str(Path.home() / default_export_name(self.kintsugi.today(), fmt))

    def compose(self) -> ComposeResult:
        text = self.kintsugi.content.text
        with Vertical(id="export-dialog"):
            yield Static(Text(text("export.heading")), id="export-heading")
            yield Static(Text(text("export.intro")), classes="intro")
            yield Label(text("export.format_label"), classes="field-label")
            with RadioSet(id="export-format", compact=True):
                yield RadioButton(text("export.markdown"), value=self.fmt == "md", name="md", id="export-md")
                yield RadioButton(
                    text("export.json"), value=self.fmt == "json", name="json", id="export-json"
                )
            yield Label(text("export.path_label"), classes="field-label")
            yield Input(self._default_path(self.fmt), id="export-path")
            yield Static("", id="export-problem", classes="problem")
            with Horizontal(id="export-buttons"):
                yield Button(text("export.save"), variant="primary", id="export-save")
                yield Button(text("common.cancel"), id="export-cancel")
        yield KeyFooter()

    @on(RadioSet.Changed, "#export-format")
    def _format_chosen(self, event: RadioSet.Changed) -> None:
        fmt = event.pressed.name or "md"
        path = self.query_one("#export-path", Input)
        if path.value == self._default_path(self.fmt):  # not edited: follow the format
            path.value = self._default_path(fmt)
        self.fmt = fmt

    def _problem(self, message: str) -> None:
        problem = self.query_one("#export-problem", Static)
        problem.update(safe_text(message))
        problem.set_class(bool(message), "-shown")

    @on(Input.Changed, "#export-path")
    def _typing(self) -> None:
        self._problem("")

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-save")
    def save(self) -> None:
        app = self.kintsugi
        where = self.query_one("#export-path", Input).value.strip()
        if not where:
            self._problem(app.content.text("export.need_path"))
            return
        try:
            if self.fmt == "json":
                document = export_json(app.store, app.today())
            else:
                document = export_markdown(app.store, app.content, app.today())
            path = save_export(Path(where), document)
        except StoreError as error:
            self._problem(str(error))
            self.notify(str(error), severity="error", markup=False)
            return
        self.dismiss(path)

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
