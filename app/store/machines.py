"""Each partner's machines and their keys, signatures that verify, and sealing the file.

``MachineBook`` is the part of ``CoupleStore`` that deals with machines: it
publishes this machine's public keys in the couple's file, vouches for
another machine (and, in a sealed file, wraps the file key for it), says which
machines this one trusts, signs agreements with this machine's key and says
how a signature stands, and seals a plain file (``encrypt``).
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from app.domain.clock import replica_of
from app.domain.machines import (
    KeyWrap,
    Machine,
    SignatureView,
    signature_payload,
    standing,
    trusted_machines,
    vouch_payload,
)
from app.domain.models import Agreement
from app.domain.records import new_record
from app.domain.wordlist import WORDS
from app.store.couple_file import load_couple_file
from app.store.files import META_DOC, META_TABLE, atomic_write, canonical_json
from app.store.keys import key_record_id, sealed_meta, sealing_of
from app.store.sealing import RECOVERY, FileKey, new_file_key, wrap_for_machine, wrap_with_code
from app.store.storage import StoreError

if TYPE_CHECKING:
    from app.store.couple import CoupleStore

RECOVERY_WORDS = 12  # 96 bits, stretched by scrypt


def new_recovery_code() -> str:
    return " ".join(secrets.choice(WORDS) for _ in range(RECOVERY_WORDS))


class MachineBook:
    """Machines, vouches, signatures and sealing (mixed into ``CoupleStore``)."""

    # -- this machine -----------------------------------------------------------------------

    def machine_fields(self: CoupleStore, partner: str) -> dict[str, Any]:
        """What this machine publishes about itself: its public keys, whose it is, its replica id."""
        keyring = self.keyring
        return {
            "partner": partner,
            "sign_key": keyring.sign_key,
            "box_key": keyring.box_key,
            "replicas": {self.local.replica_id: True},
        }

    def this_machine(self: CoupleStore) -> Machine | None:
        return self.get(Machine, self.keyring.machine_id)

    def publish_machine(self: CoupleStore) -> None:
        """Put this machine's public keys in the couple's file, once, with the partner it is for.

        Only once this machine knows which partner it is for (a machine that
        must still be told writes nothing); again only when something it says
        changed: a new replica id.
        """
        me = self.local.me(self.file_id)
        if me is None:
            return
        current = self.this_machine()
        if current is None:
            self.create(Machine, me, self.keyring.machine_id, **self.machine_fields(me))
            return
        replica = self.local.replica_id
        changes: dict[str, Any] = {}
        if replica not in current.replicas:
            changes["replicas"] = {**current.replicas, replica: True}
        if not current.partner:
            changes["partner"] = me
        if changes:
            self.update(Machine, current.id, me, **changes)

    # -- which machines are whose -------------------------------------------------------------

    def machines(self: CoupleStore) -> dict[str, Machine]:
        return {machine.id: machine for machine in self.records(Machine)}

    def trusted(self: CoupleStore) -> dict[str, str]:
        """Machine id -> partner id, for every machine this one trusts (``trusted_machines``)."""
        me = self.local.me(self.file_id)
        if me is None:
            return {}
        return trusted_machines(self.records(Machine), self.keyring.machine_id, me, self.file_id)

    def waiting_machines(self: CoupleStore) -> list[Machine]:
        """Machines in the file this one does not trust yet: asking to join, or to be confirmed."""
        trusted = self.trusted()
        return sorted(
            (m for m in self.records(Machine) if m.id not in trusted), key=lambda m: (m.created, m.id)
        )

    def machine_of(self: CoupleStore, stamp: str) -> Machine | None:
        """The machine that made ``stamp`` (it ends with one of the replica ids that machine stamps
        with), or None if no machine in the file says so."""
        replica = replica_of(stamp)
        return next((machine for machine in self.records(Machine) if replica in machine.replicas), None)

    def vouch(self: CoupleStore, machine_id: str, partner_id: str, editor: str) -> Machine:
        """Say, from this machine, that that machine is ``partner_id``'s (after comparing its words).

        In a sealed file, the file key is wrapped for it too: it can open the file.
        """
        self.partner(partner_id)
        machine = self.machines().get(machine_id)
        if machine is None:
            raise StoreError("unknown_record", case="machine", id=machine_id[:12])
        payload = vouch_payload(self.file_id, machine.id, partner_id, machine.sign_key, machine.box_key)
        vouches = {**machine.vouches, self.keyring.machine_id: self.keyring.sign(payload)}
        vouched = self.update(Machine, machine.id, editor, partner=partner_id, vouches=vouches)
        sealing = sealing_of(self._data())
        if sealing is not None:
            file_key = self.keyring.file_key(self._data())
            wrap = wrap_for_machine(file_key.key, machine.box_key, self.file_id)
            self.create(KeyWrap, editor, key_record_id(file_key.id, machine.id), wrap=wrap)
        return vouched

    # -- signatures -----------------------------------------------------------------------------

    def proof_for(self: CoupleStore, agreement: Agreement, signer: str) -> dict[str, str]:
        """This machine's signature over the agreement's wording, as ``signer``."""
        payload = signature_payload(self.file_id, agreement.id, agreement.text, signer)
        return {"machine": self.keyring.machine_id, "sig": self.keyring.sign(payload)}

    def signature_view(self: CoupleStore, agreement: Agreement, signer: str) -> SignatureView:
        """How ``signer``'s signature on the agreement stands, seen from this machine."""
        return standing(agreement, signer, self.machines(), self.trusted(), self.file_id)

    # -- sealing --------------------------------------------------------------------------------

    @property
    def sealed(self: CoupleStore) -> bool:
        return sealing_of(self._data()) is not None

    def seal_tables(self: CoupleStore, tables: dict[str, Any], author: str, file_key: FileKey) -> str:
        """Seal ``tables`` (a whole file) with ``file_key``: wraps for this machine and the recovery code.

        Returns the recovery code, which exists nowhere else: show it once.
        """
        self.keyring.keep(file_key)
        code = new_recovery_code()
        for holder, wrap in (
            (self.keyring.machine_id, wrap_for_machine(file_key.key, self.keyring.box_key, file_key.file_id)),
            (RECOVERY, wrap_with_code(file_key.key, code, file_key.file_id)),
        ):
            raw = new_record(author, self.clock.tick(), {"wrap": wrap})
            tables.setdefault(KeyWrap.KIND, {})[key_record_id(file_key.id, holder)] = raw
        tables[META_TABLE] = sealed_meta(tables[META_TABLE], file_key)
        return code

    def encrypt(self: CoupleStore, editor: str) -> str:
        """Seal a plain file for the machines this one trusts; returns the recovery code.

        Refused while a partner has no machine this one trusts: that partner's
        Kintsugi could not open the file (or it is too old to have published a
        key, or nobody has compared its words yet), and it must never be shut out.
        """
        if self.sealed:
            raise StoreError("already_sealed", path=self.path)
        trusted = self.trusted()
        for partner in self.partners:
            if partner.id not in trusted.values():
                raise StoreError("partner_cannot_open", name=partner.name)
        self._tick()  # the clock has seen every stamp in the file before the keys are stamped
        data = {name: dict(table) for name, table in self._data().items()}
        file_key = FileKey(new_file_key(), self.file_id)
        code = self.seal_tables(data, editor, file_key)
        machines = self.machines()
        for machine_id in trusted:
            if machine_id != self.keyring.machine_id:
                wrap = wrap_for_machine(file_key.key, machines[machine_id].box_key, self.file_id)
                raw = new_record(editor, self.clock.tick(), {"wrap": wrap})
                data[KeyWrap.KIND][key_record_id(file_key.id, machine_id)] = raw
        self.storage.write(data)
        self.seal_copies()
        return code

    def seal_copies(self: CoupleStore) -> None:
        """Seal the copies this machine keeps of a sealed file (backups, merged conflict copies)
        that were written while it was plain, once a key: they follow the file's choice."""
        data = self._data()
        sealing = sealing_of(data)
        if sealing is None:
            return
        done = self.local.preference("sealed_copies", {})
        if isinstance(done, dict) and done.get(self.file_id) == sealing.get("key"):
            return
        for folder in (self.places.backups, self.places.merged):
            for copy in sorted(folder.glob("*")) if folder.is_dir() else []:
                try:
                    held = load_couple_file(copy, settle=0).data
                except StoreError:
                    continue  # sealed already, or not a copy of a couple's file
                if held[META_TABLE][META_DOC].get("file_id") == self.file_id:
                    atomic_write(
                        copy, canonical_json(self.keyring.seal_data({**held, META_TABLE: data[META_TABLE]}))
                    )
        self.local.set_preference(
            "sealed_copies", {**(done if isinstance(done, dict) else {}), self.file_id: sealing.get("key")}
        )
