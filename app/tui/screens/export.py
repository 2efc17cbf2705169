"""Export the journey from the TUI: Markdown or JSON, to a file (the same as `kintsugi export`).

The file goes to the folder Kintsugi was started in, or the documents folder,
under a name that can also be a whole path; the full path it will be written
to is shown before anything is written. The dialog dismisses with what was
chosen (an ``ExportDraft``), or None; the App writes the file and says what it
is (``SAID``): Markdown is plain text, meant to be read; the JSON of a sealed
notebook is sealed like it. If it cannot be written, the App opens the dialog
again with the draft and the words saying why.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_documents_path
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from app.export import default_export_name
from app.store.places import user_path
from app.tui.base import SAVE_KEY, SavesWithKey, UsesKintsugi
from app.tui.screens import STYLES
from app.tui.textual_patches import QuietFocus
from app.tui.widgets.footer import KeyFooter
from app.tui.widgets.keys import describe_keys
from app.tui.widgets.safe import safe_text

SAID = {"plain": "export.saved_plain", "sealed": "export.saved_sealed", "json": "export.saved"}
"""What the couple is told once it is written: Markdown is plain text; a sealed notebook's JSON is sealed."""


def export_folders() -> dict[str, Path]:
    """Where an export may go, by the name of its choice: here, or the documents folder."""
    return {"here": Path.cwd(), "documents": user_documents_path()}


@dataclass(frozen=True)
class ExportDraft:
    """The format (``md`` or ``json``), the folder chosen, the name typed (None: the day's), and
    where that writes to."""

    fmt: str = "md"
    folder: str = "here"
    name: str | None = None
    target: Path | None = None


class ExportDialog(QuietFocus, UsesKintsugi, SavesWithKey, ModalScreen[ExportDraft | None]):
    """Dismisses with the ``ExportDraft`` to write, or None."""

    CSS_PATH = STYLES / "export.tcss"
    BINDINGS = [Binding("escape", "cancel", id="close"), SAVE_KEY]
    SAVE_BUTTON = "#export-save"
    AUTO_FOCUS = "#export-path"

    def __init__(self, fmt: str = "md", *, draft: ExportDraft | None = None, problem: str = "") -> None:
        """Opens on ``fmt``, or on a ``draft`` that could not be written (``problem`` says why)."""
        super().__init__()
        self.draft, self.problem = draft or ExportDraft(fmt), problem
        self.fmt, self.folder_name = self.draft.fmt, self.draft.folder
        self.folders = export_folders()
        self.folder = self.folders[self.folder_name]
        describe_keys(self, self.kintsugi.content)

    def _default_name(self, fmt: str) -> str:
        return default_export_name(self.kintsugi.today(), fmt)

    def compose(self) -> ComposeResult:
        text = self.kintsugi.content.text
        with Vertical(id="export-dialog"):
            yield Static(Text(text("export.heading")), id="export-heading")
            yield Static(Text(text("export.intro")), classes="intro")
            with Horizontal(classes="export-row"):
                yield Label(text("export.format_label"), classes="field-label")
                with RadioSet(id="export-format", classes="export-choice", compact=True):
                    for fmt in ("md", "json"):
                        label = text("export.markdown" if fmt == "md" else "export.json")
                        yield RadioButton(label, value=self.fmt == fmt, name=fmt, id=f"export-{fmt}")
            with Horizontal(classes="export-row"):
                yield Label(text("export.where_label"), classes="field-label")
                with RadioSet(id="export-where", classes="export-choice", compact=True):
                    for name in self.folders:
                        label = text(f"export.{name}")
                        yield RadioButton(
                            label, value=name == self.folder_name, name=name, id=f"export-{name}"
                        )
            yield Label(text("export.path_label"), classes="field-label")
            typed = self.draft.name if self.draft.name is not None else self._default_name(self.fmt)
            with self.prevent(Input.Changed):  # its first value is no change: a problem shown stays
                yield Input(typed, id="export-path", compact=True)
            yield Static(id="export-full")
            yield Static("", id="export-problem", classes="problem")
            with Horizontal(id="export-buttons"):
                yield Button(text("export.save"), variant="primary", id="export-save")
                yield Button(text("common.cancel"), id="export-cancel")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._show_target()
        self._problem(self.problem)

    def target(self) -> Path | None:
        """Where the file will be written: the name typed, in the folder chosen (a whole path as it is)."""
        typed = self.query_one("#export-path", Input).value.strip()
        if not typed:
            return None
        path = user_path(typed)
        return path if path.is_absolute() else self.folder / path

    def _show_target(self) -> None:
        target = self.target()
        words = self.kintsugi.content.text("export.written_to", path=target) if target else ""
        self.query_one("#export-full", Static).update(safe_text(words))

    @on(RadioSet.Changed, "#export-format")
    def _format_chosen(self, event: RadioSet.Changed) -> None:
        fmt = event.pressed.name or "md"
        path = self.query_one("#export-path", Input)
        if path.value == self._default_name(self.fmt):  # not edited: follow the format
            path.value = self._default_name(fmt)
        self.fmt = fmt

    @on(RadioSet.Changed, "#export-where")
    def _folder_chosen(self, event: RadioSet.Changed) -> None:
        self.folder_name = event.pressed.name if event.pressed.name in self.folders else self.folder_name
        self.folder = self.folders[self.folder_name]
        self._show_target()

    def _problem(self, message: str) -> None:
        problem = self.query_one("#export-problem", Static)
        problem.update(safe_text(message))
        problem.set_class(bool(message), "-shown")

    @on(Input.Changed, "#export-path")
    def _typing(self) -> None:
        self._problem("")
        self._show_target()

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-save")
    def save(self) -> None:
        where = self.target()
        if where is None:
            self._problem(self.kintsugi.content.text("export.need_path"))
            return
        typed = self.query_one("#export-path", Input).value
        self.dismiss(ExportDraft(self.fmt, self.folder_name, typed, where))

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
