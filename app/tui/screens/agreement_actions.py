"""What the agreements screen does (``AgreementActions``, mixed into ``AgreementsScreen``): each
action opens its dialog when it needs words or a yes, then makes one store call as the partner
writing now. A dialog only returns what was typed (app/tui/screens/agreement_dialogs.py); if the
store refuses, the error is told and the dialog opens again with what was typed still in it."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from rich.text import Text

from app.domain.models import Agreement, AgreementList, Partner
from app.store.agreements import DEFAULT_LIST
from app.store.storage import StoreError
from app.tui.base import UsesKintsugi
from app.tui.messages import Saved
from app.tui.screens.agreement_dialogs import AgreementDraft, AgreementForm, ListNameForm, RevisitForm
from app.tui.screens.confirm import Confirm
from app.tui.widgets.agreement_ledger import Filter
from app.tui.widgets.safe import safe_str, safe_text


class AgreementActions(UsesKintsugi):
    """The agreements screen's actions on agreements and on lists; what they act on is the
    screen's (below, as it reads and chooses it)."""

    writer: Partner | None
    other: Partner | None
    partners: list[Partner]
    lists: list[AgreementList]
    list_id: str | None
    agreement_id: str | None
    filter: Filter
    show_archived: bool
    current: Agreement | None
    current_list: AgreementList | None
    visible_lists: list[AgreementList]
    confirmable: bool
    text: Callable[..., str]
    reread: Callable[[], None]
    show_filter: Callable[..., None]
    show_again: Callable[[], None]

    def after_saving(self, message_key: str = "", **names: str) -> None:
        """Tell what was done (when there are words for it), then let every screen re-read."""
        if message_key:
            self.notify(self.text(message_key, **{k: safe_str(v) for k, v in names.items()}), markup=False)
        self.post_message(Saved())

    # -- agreements ----------------------------------------------------------------------

    def action_propose(self, draft: AgreementDraft | None = None) -> None:
        if self.writer is None:
            return
        chosen = self.current_list
        intro = self.text(
            "agreements.proposing_as",
            name=safe_str(self.writer.name),
            list=safe_str(chosen.name if chosen else DEFAULT_LIST),
        )
        form = AgreementForm(self.text("agreements.new"), Text(intro), self.text("agreements.propose"), draft)
        self.app.push_screen(form, partial(self._proposed, self.writer.id, chosen.id if chosen else None))

    def _proposed(self, author: str, list_id: str | None, draft: AgreementDraft | None) -> None:
        if draft is None:
            return
        with self.reporting() as attempt:
            added = self.kintsugi.store.add_agreement(
                author, draft.text, why=draft.why, review_on=draft.review_on, list_id=list_id
            )
        if attempt.failed:
            self.action_propose(draft)
            return
        self.list_id, self.agreement_id = added.list_id, added.id
        if not self.filter.passes(added, [p.id for p in self.partners], author):
            self.filter = Filter()
            self.show_filter("all", search="")
        self.after_saving("agreements.proposed")

    def action_edit(self, draft: AgreementDraft | None = None) -> None:
        agreement = self.current
        if agreement is None or self.writer is None:
            return
        if draft is None:
            review = agreement.review_on.isoformat() if agreement.review_on else ""
            draft = AgreementDraft(agreement.text, agreement.why, review)
        intro = Text(self.text("agreements.editing_as", name=safe_str(self.writer.name)))
        form = AgreementForm(self.text("agreements.edit_heading"), intro, self.text("common.save"), draft)
        self.app.push_screen(form, partial(self._edited, agreement.id, self.writer.id))

    def _edited(self, agreement_id: str, editor: str, draft: AgreementDraft | None) -> None:
        if draft is None:
            return
        with self.reporting() as attempt:
            self.kintsugi.store.edit_agreement(
                agreement_id, editor, text=draft.text, why=draft.why, review_on=draft.review_on
            )
        if attempt.failed:
            self.action_edit(draft)
            return
        self.after_saving("agreements.edited")

    def action_sign(self) -> None:
        self.sign()

    def action_confirm(self) -> None:
        """Sign again, at the signer's own machine, what was signed together at the other's."""
        self.sign()

    def sign(self) -> None:
        agreement, writer, other = self.current, self.writer, self.other
        if agreement is None or writer is None or other is None:
            return
        confirming = agreement.signed_by(writer.id)
        if confirming and not self.confirmable:
            self.notify(self.text("agreements.already_signed", name=safe_str(writer.name)), markup=False)
            return
        with self.reporting() as attempt:
            try:
                signed = self.kintsugi.store.sign(agreement.id, writer.id, wording=agreement.text)
            except StoreError as error:
                if error.reason != "wording_changed":
                    raise
                # The partner's change arrived since this was shown: show the new words, sign nothing.
                self.notify(self.text("agreements.wording_changed"), severity="warning", markup=False)
                self.kintsugi.revision += 1
                return
        if attempt.failed:
            return
        if confirming:
            done = "agreements.confirmed"
        else:
            done = "agreements.both_signed" if signed.signed_by(other.id) else "agreements.signed"
        self.after_saving(done, name=writer.name, other=other.name)

    def action_unsign(self) -> None:
        agreement, writer = self.current, self.writer
        if agreement is None or writer is None:
            return
        with self.reporting() as attempt:
            self.kintsugi.store.unsign(agreement.id, writer.id)
        if not attempt.failed:
            self.after_saving("agreements.unsigned", name=writer.name)

    def action_revisit(self) -> None:
        agreement = self.current
        if agreement is None or self.writer is None:
            return
        intro = Text(self.text("agreements.revisit_intro"))
        intro.append("\n\n")
        intro.append_text(safe_text(agreement.text, "bold"))
        self.app.push_screen(
            RevisitForm(intro, agreement.revisit), partial(self._revisited, agreement.id, self.writer.id)
        )

    def _revisited(self, agreement_id: str, editor: str, note: str | None) -> None:
        if note is None:
            return
        with self.reporting() as attempt:
            self.kintsugi.store.set_revisit(agreement_id, note, editor)
        if not attempt.failed:
            self.after_saving("agreements.revisit_set" if note.strip() else "agreements.revisit_cleared")

    def signed_by_both(self, agreement: Agreement) -> bool:
        """True if both partners signed its wording as it stands: it is not one partner's to undo alone."""
        return len(self.partners) == 2 and all(agreement.signed_by(p.id) for p in self.partners)

    def _set_retired(self, agreement_id: str, editor: str, retired: bool) -> None:
        with self.reporting() as attempt:
            self.kintsugi.store.retire(agreement_id, editor, retired)
        if not attempt.failed:
            self.after_saving("agreements.retired_done" if retired else "agreements.unretired")

    def action_retire(self) -> None:
        """Retire it; one you both signed asks first, and tells the partner who retired it."""
        agreement, writer, other = self.current, self.writer, self.other
        if agreement is None or writer is None or other is None:
            return
        if not self.signed_by_both(agreement):
            self._set_retired(agreement.id, writer.id, True)
            return
        ask = Confirm(
            self.text("agreements.retire_signed_intro", name=other.name),
            self.text("agreements.retire_confirm"),
            self.text("common.cancel"),
            heading=self.text("agreements.retire_heading"),
            about=agreement.text,
            variant="warning",
        )
        self.app.push_screen(ask, partial(self._retire_answered, agreement.id, writer.id))

    def _retire_answered(self, agreement_id: str, editor: str, confirmed: bool | None) -> None:
        if confirmed:
            self._set_retired(agreement_id, editor, True)

    def action_unretire(self) -> None:
        agreement, writer = self.current, self.writer
        if agreement is not None and writer is not None:
            self._set_retired(agreement.id, writer.id, False)

    def action_delete(self) -> None:
        agreement, other = self.current, self.other
        if agreement is None or self.writer is None or other is None:
            return
        intro = "delete_signed_intro" if self.signed_by_both(agreement) else "delete_intro"
        ask = Confirm(
            self.text(f"agreements.{intro}", name=other.name),
            self.text("agreements.delete_confirm"),
            self.text("common.cancel"),
            heading=self.text("agreements.delete_heading"),
            about=agreement.text,
            variant="error",
        )
        self.app.push_screen(ask, partial(self._deleted, agreement.id, self.writer.id))

    def _deleted(self, agreement_id: str, editor: str, confirmed: bool | None) -> None:
        if not confirmed:
            return
        with self.reporting() as attempt:
            self.kintsugi.store.delete_agreement(agreement_id, editor)
        if not attempt.failed:
            self.agreement_id = None
            self.after_saving("agreements.deleted")

    # -- lists ---------------------------------------------------------------------------

    def action_new_list(self, name: str = "") -> None:
        if self.writer is None:
            return
        form = ListNameForm(self.text("agreements.new_list_heading"), name)
        self.app.push_screen(form, partial(self._list_created, self.writer.id))

    def _list_created(self, author: str, name: str | None) -> None:
        if name is None:
            return
        existing = next((lst for lst in self.lists if lst.name.casefold() == name.casefold()), None)
        if existing is not None:
            self.notify(self.text("agreements.list_exists", name=safe_str(existing.name)), markup=False)
            self.show_archived = self.show_archived or existing.archived
            self.list_id = existing.id
            self.reread()
            return
        with self.reporting() as attempt:
            created = self.kintsugi.store.agreement_list_named(name, author)
        if attempt.failed:
            self.action_new_list(name)
            return
        self.list_id, self.agreement_id = created.id, None
        self.after_saving()

    def action_rename_list(self, name: str | None = None) -> None:
        chosen = self.current_list
        if chosen is None or self.writer is None:
            return
        heading = self.text("agreements.rename_list_heading")
        form = ListNameForm(heading, chosen.name if name is None else name)
        self.app.push_screen(form, partial(self._list_renamed, chosen.id, self.writer.id))

    def _list_renamed(self, list_id: str, editor: str, name: str | None) -> None:
        if name is None:
            return
        with self.reporting() as attempt:
            self.kintsugi.store.rename_list(list_id, name, editor)
        if attempt.failed:
            self.action_rename_list(name)
            return
        self.after_saving()

    def action_move_list(self, offset: int) -> None:
        """Move the chosen list past its visible neighbour (archived lists out of sight are skipped)."""
        chosen, writer = self.current_list, self.writer
        visible = self.visible_lists
        if chosen is None or writer is None or chosen not in visible:
            return
        neighbour = visible.index(chosen) + offset
        if not 0 <= neighbour < len(visible):
            return
        every = [lst.id for lst in self.lists]
        steps = every.index(visible[neighbour].id) - every.index(chosen.id)
        with self.reporting() as attempt:
            self.kintsugi.store.move_list(chosen.id, steps, writer.id)
        if not attempt.failed:
            self.after_saving()

    def _set_archived(self, archived: bool) -> None:
        chosen, writer = self.current_list, self.writer
        if chosen is None or writer is None:
            return
        with self.reporting() as attempt:
            self.kintsugi.store.archive_list(chosen.id, writer.id, archived)
        if attempt.failed:
            return
        if archived and not self.show_archived:  # it goes out of sight: choose its neighbour
            visible = self.visible_lists
            index = visible.index(chosen)
            rest = visible[:index] + visible[index + 1 :]
            self.list_id = rest[min(index, len(rest) - 1)].id if rest else None
        done = "agreements.list_archived" if archived else "agreements.list_unarchived"
        self.after_saving(done, name=chosen.name)

    def action_archive_list(self) -> None:
        self._set_archived(True)

    def action_unarchive_list(self) -> None:
        self._set_archived(False)

    def action_show_archived(self) -> None:
        self.show_archived = True
        self.show_again()

    def action_hide_archived(self) -> None:
        self.show_archived = False
        self.show_again()
