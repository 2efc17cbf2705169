"""A practice made of lists of entries, with the keys every such practice shares: n new, e or
Enter edit, x delete, s share a private entry (or, on one's own shared entry, take it back),
acting on the list the keyboard is in.

Steps 4 to 7 each hold a few small lists (contacts, sessions, questions; a pattern log and each
partner's boundaries ...): a ``Section`` says what one list holds and how an entry looks and is
edited, an ``EntrySection`` shows it (entry_section.py), a ``SectionStack`` stacks them
(section_stack.py), and ``SectionedPractice`` gives them their keys. Nothing here writes: the
forms return what was typed and the practice posts ``SaveEntry`` / ``DeleteEntry`` /
``ShareEntry`` / ``UnshareEntry``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.widgets import Button, OptionList

from app.domain.models import RecordModel
from app.tui.messages import DeleteEntry, SaveEntry, ShareEntry, UnshareEntry
from app.tui.practices.entry_section import EntrySection, Section, View, section_of
from app.tui.practices.section_stack import SectionStack
from app.tui.screens.confirm import Confirm
from app.tui.screens.practice_form import FormResult, PracticeForm
from app.tui.widgets.keys import describe_keys
from app.tui.widgets.safe import safe_str, safe_text


class SectionedPractice(SectionStack):
    """A practice made of ``EntrySection`` s, with their keys and the forms they open."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", id="practice.new"),
        Binding("e", "edit", id="practice.edit"),
        Binding("x", "delete", id="practice.delete"),
        Binding("s", "share", id="practice.share"),
        Binding("s", "take_back", id="practice.take_back"),  # on one's own shared entry instead
    ]
    FORM: ClassVar[type[PracticeForm]] = PracticeForm  # a subclass's form may do more (steps 1-3)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        describe_keys(self, self.kintsugi.content)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        sharing = action in {"share", "take_back"}
        if action in {"edit", "delete"} or sharing:
            if not self.is_mounted or not self.query(EntrySection):
                return None
            section = self.current()
            if sharing and not section.section.private:
                return False
            entry = section.highlighted
            view = self.view() if sharing else None
            if entry is None or (sharing and view is None):
                return False if action == "take_back" else None
            if view is not None:
                private, mine = entry.id in view.private, entry.author == view.acting
                if action == "take_back":
                    return mine and not private
                return True if private else (False if mine else None)  # False: s takes it back
        return True

    # -- the keys ----------------------------------------------------------------------

    def _mine_or_say(self, section: EntrySection, entry: RecordModel, view: View) -> bool:
        if section.section.own_only and entry.author != view.acting:
            name = safe_str(view.name(entry.author))
            self.notify(self.kintsugi.content.text("practice_form.not_yours", name=name), markup=False)
            return False
        return True

    def action_new(self, key: str | None = None) -> None:
        self.open_form(self.section_widget(key) if key else self.current(), None)

    def action_edit(self) -> None:
        section = self.current()
        entry = section.highlighted
        if entry is not None:
            self.open_form(section, entry)

    def open_form(self, widget: EntrySection, entry: RecordModel | None) -> None:
        view = self.view()
        if view is None:
            return
        section = widget.section
        if entry is not None and not self._mine_or_say(widget, entry, view):
            return
        heading = self.words(f"{section.key}_{'edit' if entry else 'new'}")
        intro = self.words(f"{section.key}_private_intro") if section.private and entry is None else ""
        form = self.FORM(
            heading,
            section.form(entry, view),
            section.model,
            intro=intro,
            fixed=section.fixed(entry, view),
            can_delete=entry is not None,
            delete_question=self.words(f"{section.key}_delete"),
            convert=section.convert,
            base=entry,
            **self.form_options(section),
        )

        def done(result: FormResult | None) -> None:
            if result is None:
                return
            if result.delete and entry is not None:
                self.post_message(DeleteEntry(section.model, entry.id))
                return
            fields = {**section.fixed(entry, view), **result.fields}
            if entry is None:
                self._adding[section.key] = set(widget.entries)
            self.post_message(
                SaveEntry(
                    section.model,
                    fields,
                    record_id=entry.id if entry else None,
                    private=section.private and entry is None,
                )
            )
            widget.option_list.focus()

        self.app.push_screen(form, done)

    def form_options(self, section: Section) -> dict[str, Any]:
        """More keyword arguments for ``FORM`` when it opens for ``section`` (none here)."""
        return {}

    def action_delete(self) -> None:
        widget = self.current()
        entry = widget.highlighted
        view = self.view()
        if entry is None or view is None or not self._mine_or_say(widget, entry, view):
            return
        model = widget.section.model

        def answered(sure: bool | None) -> None:
            if sure:
                self.post_message(DeleteEntry(model, entry.id))

        text = self.kintsugi.content.text
        question = self.words(f"{widget.section.key}_delete")
        sure = Confirm(question, text("practice_form.delete"), text("practice_form.keep"), variant="error")
        self.app.push_screen(sure, answered)

    def action_share(self) -> None:
        widget = self.current()
        entry = widget.highlighted
        if entry is not None:
            self.ask_to_share(widget, entry)

    def ask_to_share(self, widget: EntrySection, entry: RecordModel) -> None:
        """Say who will read it and ask; only a yes shares it (the key, and the palette's commands)."""
        view = self.view()
        if view is None or not widget.section.private:
            return
        text = self.kintsugi.content.text
        if entry.id not in view.private:
            self.notify(text("practice_form.already_shared"), markup=False)
            return
        name = view.name(view.other)

        def answered(yes: bool | None) -> None:
            if yes:
                self.post_message(ShareEntry(widget.section.model, entry.id))
                self.notify(text("practice_form.shared_with", name=safe_str(name)), markup=False)

        self.app.push_screen(
            Confirm(
                safe_text(text("practice_form.share_question", name=name)),
                text("practice_form.share_yes", name=safe_str(name)),
                text("practice_form.share_no"),
            ),
            answered,
        )

    def action_take_back(self) -> None:
        """Ask, saying honestly what the partner's copy keeps; a yes makes the entry private again."""
        widget = self.current()
        entry = widget.highlighted
        view = self.view()
        if entry is None or view is None or entry.id in view.private or entry.author != view.acting:
            return
        text = self.kintsugi.content.text
        name = view.name(view.other)

        def answered(yes: bool | None) -> None:
            if yes:
                self._adding[widget.section.key] = set(widget.entries)  # the highlight follows it
                self.post_message(UnshareEntry(widget.section.model, entry.id))
                self.notify(text("practice_form.taken_back", name=safe_str(name)), markup=False)

        self.app.push_screen(
            Confirm(
                safe_text(text("practice_form.take_back_question", name=name)),
                text("practice_form.take_back_yes"),
                text("practice_form.take_back_no"),
            ),
            answered,
        )

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        for widget in self.query(EntrySection):
            if widget.option_list is event.option_list:
                self._last_section = widget.section.key
                self.on_option_chosen(widget)
                return

    def on_option_chosen(self, widget: EntrySection) -> None:
        """Enter or a click on an entry: edit it (a practice may do something else)."""
        entry = widget.highlighted
        if entry is not None:
            self.open_form(widget, entry)

    @on(Button.Pressed, ".entry-add")
    def _add_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        section = section_of(event.button)
        if section is not None:
            self._last_section = section.section.key
            self.open_form(section, None)
