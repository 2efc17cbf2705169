"""Agreement lists and agreements: proposing, wording, signing, retiring, putting lists in order."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from app.domain.clock import stamp_day
from app.domain.models import Agreement, AgreementList, wording_key
from app.domain.text import name_key
from app.store.errors import StoreError

if TYPE_CHECKING:
    from app.store.couple import CoupleStore

DEFAULT_LIST = "Our agreements"


class Agreements:
    """Agreement lists and agreements (mixed into ``CoupleStore``)."""

    def agreement_lists(self: CoupleStore) -> list[AgreementList]:
        return sorted(self.records(AgreementList), key=lambda lst: (lst.position, lst.name.casefold()))

    def agreement_list_named(self: CoupleStore, name: str, author: str) -> AgreementList:
        """The list with that name, created if there is none yet."""
        wanted = name_key(name)
        for existing in self.agreement_lists():
            if name_key(existing.name) == wanted:
                return existing
        # Named lists created on two machines apart are one list; a list renamed
        # away from this name keeps its id, so a new one gets a fresh id.
        record_id = self.derived_id("agreement_list", wanted)
        if record_id in self.raw_table(AgreementList.KIND):
            record_id = None
        position = len(self.records(AgreementList))
        return self.create(AgreementList, author, record_id, name=name, position=position)

    def add_agreement(
        self,
        author: str,
        text: str,
        *,
        list_name: str = DEFAULT_LIST,
        why: str = "",
        list_id: str | None = None,
        review_on: dt.date | None = None,
    ) -> Agreement:
        """Propose an agreement on the list ``list_id`` (or the one named ``list_name``)."""
        if not text.strip():
            raise StoreError("empty_text", case="agreement")
        if list_id is None:
            list_id = self.agreement_list_named(list_name, author).id
        elif self.get(AgreementList, list_id) is None:
            raise StoreError("unknown_record", case="id", kind="agreement list", id=list_id[:12])
        return self.create(
            Agreement, author, list_id=list_id, text=text.strip(), why=why.strip(), review_on=review_on
        )

    def agreement(self: CoupleStore, agreement_id: str) -> Agreement:
        found = self.get(Agreement, agreement_id)
        if found is None:
            raise StoreError("unknown_record", case="id", kind="agreement", id=agreement_id[:12])
        return found

    def find_agreement(self: CoupleStore, prefix: str) -> Agreement:
        """The one agreement whose id starts with ``prefix`` (as printed by the CLI)."""
        prefix = prefix.strip().lower()
        found = [a for a in self.agreements() if a.id.startswith(prefix)] if prefix else []
        if not found:
            raise StoreError("unknown_record", case="prefix", prefix=prefix)
        if len(found) > 1:
            raise StoreError("ambiguous", count=len(found), prefix=prefix)
        return found[0]

    def sign(self: CoupleStore, agreement_id: str, partner_id: str, wording: str | None = None) -> Agreement:
        """Sign the agreement's current wording as that partner.

        ``wording`` is the text the partner read: if the agreement says something
        else by now (the other partner's change just arrived), nothing is signed.
        """
        agreement = self.agreement(agreement_id)
        self.partner(partner_id)
        if wording is not None and wording != agreement.text:
            raise StoreError("wording_changed", wording=wording)
        return self.update(
            Agreement,
            agreement_id,
            partner_id,
            signatures={**agreement.signatures, partner_id: wording_key(agreement.text)},
            proofs={**agreement.proofs, partner_id: self.proof_for(agreement, partner_id)},
        )

    def unsign(self: CoupleStore, agreement_id: str, partner_id: str) -> Agreement:
        agreement = self.agreement(agreement_id)
        remaining = {p: key for p, key in agreement.signatures.items() if p != partner_id}
        proofs = {p: proof for p, proof in agreement.proofs.items() if p != partner_id}
        return self.update(Agreement, agreement_id, partner_id, signatures=remaining, proofs=proofs)

    def agreement_history(self: CoupleStore, agreement_id: str) -> list[tuple[dt.date | None, str]]:
        """The wordings the agreement had before, oldest first, as (the day it was replaced, text)."""
        raw = self.raw_table(Agreement.KIND).get(agreement_id)
        entries = raw["history"].get("text", {}) if raw else {}
        return [(stamp_day(stamp), entry["value"]) for stamp, entry in sorted(entries.items())]

    def rename_list(self: CoupleStore, list_id: str, name: str, editor: str) -> AgreementList:
        """A new name for a list; two lists never share a name (``--list NAME`` must find one)."""
        wanted = name_key(name)
        others = (lst for lst in self.agreement_lists() if lst.id != list_id)
        taken = next((lst for lst in others if name_key(lst.name) == wanted), None)
        if taken is not None:
            raise StoreError("list_exists", name=taken.name)
        return self.update(AgreementList, list_id, editor, name=name)

    def move_list(self: CoupleStore, list_id: str, offset: int, editor: str) -> list[AgreementList]:
        """Move a list up (-1) or down (+1); positions are rewritten 0, 1, 2 ..."""
        lists = self.agreement_lists()
        index = next(i for i, lst in enumerate(lists) if lst.id == list_id)
        target = max(0, min(len(lists) - 1, index + offset))
        lists.insert(target, lists.pop(index))
        for position, lst in enumerate(lists):
            if lst.position != position:
                self.update(AgreementList, lst.id, editor, position=position)
        return self.agreement_lists()

    def archive_list(self: CoupleStore, list_id: str, editor: str, archived: bool = True) -> AgreementList:
        """Put a list away (its agreements are kept), or bring it back with ``archived=False``."""
        return self.update(AgreementList, list_id, editor, archived=archived)

    def edit_agreement(
        self, agreement_id: str, editor: str, *, text: str, why: str = "", review_on: dt.date | None = None
    ) -> Agreement:
        """New wording, why or review date; signatures given to the old wording stop counting."""
        if not text.strip():
            raise StoreError("empty_text", case="agreement")
        current = self.agreement(agreement_id)
        # The same words with other spaces around them are not a new wording to sign again.
        wording = current.text if text.strip() == current.text.strip() else text.strip()
        return self.update(
            Agreement, agreement_id, editor, text=wording, why=why.strip(), review_on=review_on
        )

    def set_revisit(self: CoupleStore, agreement_id: str, note: str, editor: str) -> Agreement:
        """Ask to talk an agreement over again, saying why; an empty note clears the request."""
        self.agreement(agreement_id)
        return self.update(Agreement, agreement_id, editor, revisit=note.strip())

    def retire(self: CoupleStore, agreement_id: str, editor: str, retired: bool = True) -> Agreement:
        """Retire an agreement (kept, shown as retired), or put it back in force."""
        self.agreement(agreement_id)
        return self.update(Agreement, agreement_id, editor, retired=retired)

    def delete_agreement(self: CoupleStore, agreement_id: str, editor: str) -> None:
        """Delete an agreement; a tombstone carries the delete to the partner's copy."""
        self.agreement(agreement_id)
        self.delete(Agreement, agreement_id, editor)

    def agreements(self: CoupleStore) -> list[Agreement]:
        return sorted(self.records(Agreement), key=lambda a: a.created)
