"""A small form for one practice entry (steps 4 to 7): labelled fields, Save and Cancel.

The practice describes its fields (``FormField``) and the model the entry
will become; the form checks what was typed against that model before it
closes, so a problem is shown beside the form with everything typed still in
it. It makes no store call: it dismisses with the fields (``FormResult``),
or with ``FormResult(delete=True)`` when the entry should go, and the
practice posts the message the StepScreen turns into the store call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Select, Static, TextArea

from app.domain.models import RecordModel
from app.tui.base import UsesKintsugi
from app.tui.screens import PRACTICE_STYLES
from app.tui.screens.confirm import Confirm
from app.tui.textual_patches import QuietFocus
from app.tui.widgets.footer import KeyFooter
from app.tui.widgets.keys import describe_keys
from app.tui.widgets.safe import kept, safe_str, safe_text
from app.tui.widgets.scroll import ScrollArea

FieldKind = Literal["line", "text", "choice", "date"]


@dataclass(frozen=True)
class FormField:
    """One field of the form: ``name`` is the model's attribute; values come back typed
    (``date`` as a ``dt.date`` or None, ``choice`` as the chosen value)."""

    name: str
    label: str
    kind: FieldKind = "line"
    value: Any = ""
    choices: tuple[tuple[str, str], ...] = ()  # (label shown, value), for "choice"
    placeholder: str = ""
    max_length: int = 0
    required: bool = False


@dataclass(frozen=True)
class FormResult:
    """What the form closed with: the typed fields (converted), or a wish to delete the entry."""

    fields: dict[str, Any] = field(default_factory=dict)
    delete: bool = False


def _field_id(name: str) -> str:
    return f"form-{name.replace('_', '-')}"


class PracticeForm(QuietFocus, UsesKintsugi, ModalScreen[FormResult | None]):
    """Add or change one entry; see the module docstring.

    ``fixed`` are fields the practice sets itself (a new commitment's first
    day); ``convert`` turns the typed values into the model's fields; ``base``
    is the entry being changed, so fields the form does not show still count
    when what was typed is checked.
    """

    CSS_PATH = PRACTICE_STYLES
    BINDINGS = [
        Binding("ctrl+s", "save", id="practice.save"),
        Binding("escape", "cancel", id="practice.cancel"),
    ]

    def __init__(
        self,
        heading: str,
        fields: list[FormField],
        model: type[RecordModel],
        *,
        intro: str = "",
        fixed: dict[str, Any] | None = None,
        can_delete: bool = False,
        delete_question: str = "",
        convert: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
        base: RecordModel | None = None,
    ) -> None:
        super().__init__(classes="practice-form-screen")
        describe_keys(self, self.kintsugi.content)
        self.heading = heading
        self.fields = fields
        self.model = model
        self.intro = intro
        self.fixed = fixed or {}
        self.can_delete = can_delete
        self.delete_question = delete_question
        self.convert = convert or (lambda values: values)
        self.base = base.model_dump() if base is not None else {}  # the entry being changed

    def text(self, key: str, **fmt: object) -> str:
        return self.kintsugi.content.text(f"practice_form.{key}", **fmt)

    def compose(self) -> ComposeResult:
        with ScrollArea(id="practice-form"):
            yield Static(Text(self.heading), id="practice-form-heading")
            if self.intro:
                yield Static(safe_text(self.intro), classes="practice-form-intro")
            for item in self.fields:
                yield Static(Text(item.label), classes="field-label")
                yield self._input(item)
            yield Static("", id="practice-form-problem", classes="problem")
            with Horizontal(id="practice-form-buttons"):
                yield Button(self.text("save"), variant="primary", id="form-save", compact=True)
                yield Button(self.text("cancel"), id="form-cancel", compact=True)
                if self.can_delete:
                    yield Button(self.text("delete"), variant="error", id="form-delete", compact=True)
        yield KeyFooter()

    def _input(self, item: FormField) -> Input | TextArea | Select[str]:
        widget_id = _field_id(item.name)
        if item.kind == "text":
            area = TextArea(
                safe_str(item.value or "", one_line=False),
                id=widget_id,
                soft_wrap=True,
                tab_behavior="focus",
                classes="form-text",
                compact=True,
            )
            area.placeholder = item.placeholder
            return area
        if item.kind == "choice":
            values = {value for _, value in item.choices}
            return Select(
                [(safe_text(label, one_line=True), value) for label, value in item.choices],
                value=item.value if item.value in values else Select.NULL,
                allow_blank=item.value not in values,
                prompt=item.placeholder or self.text("choose"),
                id=widget_id,
                compact=True,
            )
        value = item.value.isoformat() if isinstance(item.value, dt.date) else str(item.value or "")
        return Input(
            safe_str(value),
            placeholder=item.placeholder,
            max_length=10 if item.kind == "date" else item.max_length,
            id=widget_id,
            compact=True,
        )

    def on_mount(self) -> None:
        if self.fields:
            self.query_one(f"#{_field_id(self.fields[0].name)}").focus()

    def _problem(self, message: str) -> None:
        shown = self.query_one("#practice-form-problem", Static)
        shown.update(Text(message))
        shown.set_class(bool(message), "-shown")

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    def _typing(self) -> None:
        self._problem("")

    def _values(self) -> dict[str, Any] | None:
        """What was typed, typed; None (and the problem shown) when something needs fixing."""
        values: dict[str, Any] = {}
        for item in self.fields:
            widget = self.query_one(f"#{_field_id(item.name)}")
            if isinstance(widget, TextArea):
                value: Any = kept(widget.text, str(item.value or ""), one_line=False)
            elif isinstance(widget, Select):
                value = None if widget.value is Select.NULL else widget.value
            else:
                value = kept(cast(Input, widget).value, str(item.value or ""))
            if item.kind == "date":
                value = value.strip()
                try:
                    value = dt.date.fromisoformat(value) if value else None
                except ValueError:
                    self._problem(self.text("not_a_date", label=item.label))
                    widget.focus()
                    return None
            if item.required and (value is None or (isinstance(value, str) and not value.strip())):
                self._problem(self.text("needs_words", label=item.label))
                widget.focus()
                return None
            values[item.name] = value
        return values

    def _checked(self, values: dict[str, Any]) -> bool:
        """True if the model takes these values; otherwise the first problem is shown."""
        try:
            self.model.model_validate(
                {**self.base, **self.fixed, **values, "id": "-", "author": "-", "created": ""}
            )
        except ValidationError as error:
            first = error.errors()[0]
            name = str(first["loc"][0]) if first["loc"] else ""
            label = next((item.label for item in self.fields if item.name == name), name)
            if first["type"] in {"string_too_short", "value_error"}:
                self._problem(self.text("needs_words", label=label))
            elif first["type"] == "string_too_long":
                limit = (first.get("ctx") or {}).get("max_length", "")
                self._problem(self.text("too_long", label=label, limit=limit))
            else:
                self._problem(self.text("not_right", label=label))
            if name in {item.name for item in self.fields}:
                self.query_one(f"#{_field_id(name)}").focus()
            return False
        return True

    @on(Input.Submitted)
    @on(Button.Pressed, "#form-save")
    def action_save(self) -> None:
        values = self._values()
        if values is None:
            return
        values = self.convert(values)
        if self._checked(values):
            self.dismiss(FormResult(values))

    @on(Button.Pressed, "#form-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#form-delete")
    def _delete(self) -> None:
        def answered(sure: bool | None) -> None:
            if sure:
                self.dismiss(FormResult(delete=True))

        question = self.delete_question or self.text("delete_question")
        sure = Confirm(question, self.text("delete"), self.text("keep"), variant="error")
        self.app.push_screen(sure, answered)
