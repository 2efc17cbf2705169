"""The weekly "state of us" talk: a guided walk through five parts, saved as one record.

1. Appreciations: one from each of you.
2. What went well this week.
3. One issue to talk through, taking speaker and listener turns.
4. What each of you needs.
5. Any new agreement (it joins the agreements list as proposed, for you both to sign).

What you wrote last time is shown beside each part (below it on a narrow
screen). Nothing is saved until the end; leaving with something written
asks for escape a second time. The store call is made here, once.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, ContentSwitcher, Header, Input, Label, Static, TextArea

from app.domain.meeting import Meeting
from app.domain.models import Partner
from app.store.storage import StoreError
from app.tui.base import SAVE_KEY, SavesWithKey, UsesKintsugi
from app.tui.screens import STYLES
from app.tui.textual_patches import QuietFocus, SizedAtOnce
from app.tui.widgets.footer import KeyFooter
from app.tui.widgets.keys import describe_keys
from app.tui.widgets.safe import safe_text
from app.tui.widgets.scroll import ScrollArea
from app.words import day_words

PARTS = ("appreciations", "went_well", "issue", "needs", "agreement")


class MeetingScreen(QuietFocus, SizedAtOnce, UsesKintsugi, SavesWithKey, Screen[Meeting | None]):
    """Dismisses with the saved ``Meeting``, or None when left without saving."""

    CSS_PATH = STYLES / "meeting.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS = [
        Binding("escape", "leave", id="leave"),
        Binding("ctrl+b", "back", id="meeting_back", key_display="^b"),
        Binding("ctrl+n", "next", id="meeting_next", key_display="^n"),
        SAVE_KEY,
    ]
    SAVE_BUTTON = "#meeting-save"  # on the last part

    def __init__(self, partners: list[Partner]) -> None:
        super().__init__()
        self.partners = partners
        self.part = 0
        self._leaving = False
        describe_keys(self, self.kintsugi.content)

    def words(self, key: str, **fmt: object) -> str:
        return self.kintsugi.content.text(f"meeting.{key}", **fmt)

    # -- the form ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with ScrollArea(id="meeting"):
            yield Static(id="meeting-progress")
            yield Static(id="meeting-title")
            yield Static(id="meeting-guide")
            with Horizontal(id="meeting-body"):
                with ContentSwitcher(initial="part-appreciations", id="meeting-parts"):
                    with Vertical(id="part-appreciations", classes="part"):
                        yield from self._per_partner("appreciation", "appreciates")
                    with Vertical(id="part-went_well", classes="part"):
                        yield Label(self.words("went_well_label"), classes="field-label")
                        yield TextArea(id="meeting-went-well", classes="meeting-text")
                    with Vertical(id="part-issue", classes="part"):
                        yield Label(self.words("issue_label"), classes="field-label")
                        yield Input(placeholder=self.words("issue_placeholder"), id="meeting-issue")
                        yield Label(self.words("issue_notes_label"), classes="field-label")
                        yield TextArea(id="meeting-issue-notes", classes="meeting-text")
                    with Vertical(id="part-needs", classes="part"):
                        yield from self._per_partner("need", "needs")
                    with Vertical(id="part-agreement", classes="part"):
                        yield Label(self.words("agreement_label"), classes="field-label")
                        yield Input(placeholder=self.words("agreement_placeholder"), id="meeting-agreement")
                        yield Static(Text(self.words("agreement_note")), classes="note")
                with Vertical(id="meeting-last"):
                    yield Static(Text(self.words("last_time")), id="meeting-last-title")
                    yield Static(id="meeting-last-text")
            yield Static("", id="meeting-problem", classes="problem")
            with Horizontal(id="meeting-buttons"):
                yield Button(self.words("back"), id="meeting-back")
                yield Button(self.words("next"), variant="primary", id="meeting-next")
                yield Button(self.words("save"), variant="primary", id="meeting-save")
        yield KeyFooter()

    def _per_partner(self, field: str, label: str) -> ComposeResult:
        for index, partner in enumerate(self.partners):
            other = self.partners[1 - index] if len(self.partners) == 2 else partner
            yield Label(
                safe_text(self.words(f"{label}_label", name=partner.name, other=other.name), one_line=True),
                classes="field-label",
            )
            yield TextArea(id=f"meeting-{field}-{index}", classes="meeting-text")

    def on_mount(self) -> None:
        self.last = self._last_meeting()
        self.show_part()
        self.call_after_refresh(self._focus_part)

    def _last_meeting(self) -> Meeting | None:
        with self.reporting() as attempt:
            held = self.kintsugi.store.meetings()
        if attempt.failed:
            return None
        return held[0] if held else None

    # -- moving through the parts -------------------------------------------------------------

    def show_part(self) -> None:
        name = PARTS[self.part]
        self.query_one(ContentSwitcher).current = f"part-{name}"
        self.query_one("#meeting-progress", Static).update(
            Text(self.words("progress", number=self.part + 1, count=len(PARTS)))
        )
        self.query_one("#meeting-title", Static).update(Text(self.words(f"{name}_title")))
        self.query_one("#meeting-guide", Static).update(Text(self.words(f"{name}_guide")))
        self.query_one("#meeting-back", Button).disabled = self.part == 0
        last_part = self.part == len(PARTS) - 1
        self.query_one("#meeting-next", Button).display = not last_part
        self.query_one("#meeting-save", Button).display = last_part
        self._show_last_time(name)
        self._problem("")
        self.refresh_bindings()

    def _focus_part(self) -> None:
        part = self.query_one(f"#part-{PARTS[self.part]}")
        fields = part.query("TextArea, Input")
        if fields:
            fields.first().focus()

    def _show_last_time(self, name: str) -> None:
        last = self.last
        box = self.query_one("#meeting-last")
        if last is None:
            box.display = self.part == 0
            self.query_one("#meeting-last-text", Static).update(
                Text(self.words("first_meeting"), style="italic")
            )
            return
        lines = Text()
        lines.append(
            self.words("last_on", day=day_words(self.kintsugi.content, last.day, "weekday")), "italic"
        )
        said = self._last_words(last, name)
        for who, words in said:
            lines.append("\n")
            if who:
                lines.append_text(safe_text(who, "bold", one_line=True))
                lines.append(": ")
            lines.append_text(safe_text(words))
        if not said:
            lines.append("\n")
            lines.append(self.words("nothing_last_time"), "dim italic")
        box.display = True
        self.query_one("#meeting-last-text", Static).update(lines)

    def _last_words(self, last: Meeting, name: str) -> list[tuple[str, str]]:
        names = {p.id: p.name for p in self.partners}
        if name == "appreciations":
            return [(names.get(p, "?"), words) for p, words in last.appreciations.items()]
        if name == "needs":
            return [(names.get(p, "?"), words) for p, words in last.needs.items()]
        if name == "went_well":
            return [("", last.went_well)] if last.went_well else []
        if name == "issue":
            return [("", words) for words in (last.issue, last.issue_notes) if words]
        if last.agreement_id:
            try:
                agreement = self.kintsugi.store.agreement(last.agreement_id)
            except StoreError:
                return []
            return [("", agreement.text)]
        return []

    def action_next(self) -> None:
        if self.part < len(PARTS) - 1:
            self.part += 1
            self.show_part()
            self._focus_part()

    def action_back(self) -> None:
        if self.part > 0:
            self.part -= 1
            self.show_part()
            self._focus_part()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return self.part > 0 or None
        if action == "next":
            return self.part < len(PARTS) - 1 or None
        return super().check_action(action, parameters)

    @on(Button.Pressed, "#meeting-next")
    def _next_pressed(self) -> None:
        self.action_next()

    @on(Button.Pressed, "#meeting-back")
    def _back_pressed(self) -> None:
        self.action_back()

    @on(Input.Submitted, "#meeting-issue")
    def _issue_entered(self) -> None:
        self.query_one("#meeting-issue-notes", TextArea).focus()

    # -- leaving and saving ---------------------------------------------------------------------

    def _texts(self) -> dict[str, str]:
        found = {widget.id or "": widget.text for widget in self.query(TextArea)}
        found.update({widget.id or "": widget.value for widget in self.query(Input)})
        return found

    @property
    def anything_written(self) -> bool:
        return any(value.strip() for value in self._texts().values())

    @on(TextArea.Changed)
    @on(Input.Changed)
    def _typing(self) -> None:
        self._leaving = False
        self._problem("")

    def action_leave(self) -> None:
        if self.anything_written and not self._leaving:
            self._leaving = True
            self._problem(self.words("leave_again"))
            return
        self.dismiss(None)

    def _problem(self, message: str) -> None:
        problem = self.query_one("#meeting-problem", Static)
        problem.update(safe_text(message))
        problem.set_class(bool(message), "-shown")
        if message:
            self.call_after_refresh(problem.scroll_visible, animate=False)

    @on(Button.Pressed, "#meeting-save")
    def save(self) -> None:
        app = self.kintsugi
        texts = self._texts()
        ids = [p.id for p in self.partners]
        with self.reporting() as attempt:
            if app.acting is None:
                raise StoreError("no_writer")
            meeting = app.store.hold_meeting(
                app.acting,
                day=app.today(),
                appreciations={p: texts.get(f"meeting-appreciation-{i}", "") for i, p in enumerate(ids)},
                went_well=texts.get("meeting-went-well", ""),
                issue=texts.get("meeting-issue", ""),
                issue_notes=texts.get("meeting-issue-notes", ""),
                needs={p: texts.get(f"meeting-need-{i}", "") for i, p in enumerate(ids)},
                agreement=texts.get("meeting-agreement", ""),
            )
        if attempt.failed:
            self._problem(attempt.words)
            return
        self.dismiss(meeting)
