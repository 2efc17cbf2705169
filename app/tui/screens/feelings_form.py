"""The practice form of steps 1-3 (``FeelingsPractice``): ``FeelingsForm``, a ``PracticeForm``
with a feelings picker and a live preview.

A field of kind ``"feeling"`` is a ``FeelingPicker`` (its value is the word).
``preview`` renders what was typed so far under the fields (the I-statement
builder shows the sentence it makes and its gentle warnings there), and is
called again whenever a field changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import RenderableType
from textual import on
from textual.widgets import Input, Select, Static, TextArea

from app.tui.screens.practice_form import FormField, PracticeForm, _field_id
from app.tui.widgets.feelings import FeelingPicker

Preview = Callable[[dict[str, Any]], RenderableType]


class FeelingsForm(PracticeForm):
    """A ``PracticeForm`` whose fields of kind ``"feeling"`` are feelings pickers, with the
    ``preview`` of what was typed under them."""

    def __init__(self, *args: Any, preview: Preview | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.preview = preview

    def _input(self, item: FormField) -> Any:
        if item.kind == "feeling":  # type: ignore[comparison-overlap]
            return FeelingPicker(str(item.value or ""), compact=True, id=_field_id(item.name))
        return super()._input(item)

    def on_mount(self) -> None:
        super().on_mount()
        if self.preview is not None:
            self.query_one("#practice-form").mount(
                Static(id="practice-form-preview"), before="#practice-form-problem"
            )
            self.call_after_refresh(self._show_preview)

    def typed(self) -> dict[str, Any]:
        """What each field holds right now, as typed (no checks)."""
        found: dict[str, Any] = {}
        for item in self.fields:
            widget = self.query_one(f"#{_field_id(item.name)}")
            if isinstance(widget, TextArea):
                found[item.name] = widget.text
            elif isinstance(widget, Select):
                found[item.name] = None if widget.value is Select.NULL else widget.value
            else:
                found[item.name] = getattr(widget, "value", "")
        return found

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    @on(FeelingPicker.Changed)
    def _show_preview(self) -> None:
        if self.preview is not None and self.query("#practice-form-preview"):
            self.query_one("#practice-form-preview", Static).update(self.preview(self.typed()))
