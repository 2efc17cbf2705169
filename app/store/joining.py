"""A machine that cannot open a sealed file yet: asking to be let in, being let in, recovering.

Such a machine reads the file's machines and keys and nothing else. To ask, it
adds its own machine record (its public keys; whose machine it is, left for
the machine that lets it in to say) to the file as it is on disk, never
touching the sealed records it cannot read: if the file changed while it
wrote, what it wrote is put back out of place and it tries again on the new
file. A machine of the couple sees the request, shows its words to compare,
and vouches for it (``CoupleStore.vouch``), which wraps the file key for it:
the next time this machine reads the file, it opens.

With the recovery code (every machine lost), the file key is unwrapped from
the code instead; the machine then wraps it for itself and is in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.domain.clock import HybridClock
from app.domain.machines import KeyWrap, Machine
from app.domain.models import fields_of
from app.domain.records import new_record, newest_valid_stamp
from app.store.couple_file import Data, parse_couple_file, read_couple_text
from app.store.files import canonical_json, fsync_folder, swap_back, swap_in, write_temp
from app.store.keys import Locked, key_record_id, sealing_of
from app.store.lock import MachineLock
from app.store.storage import StoreError, held
from app.store.storage_saving import SAVE_ROUNDS

if TYPE_CHECKING:
    from app.store.couple import CoupleStore


def read_as_it_is(store: CoupleStore) -> Data:
    """The file as it is on disk, its sealed records left sealed."""
    text, _ = read_couple_text(store.places.real)
    return parse_couple_file(text, store.path)


def is_let_in(store: CoupleStore) -> bool:
    """True if this machine can open the file (it is plain, or holds a wrap of its key for this machine)."""
    disk = read_as_it_is(store)
    if sealing_of(disk) is None:
        return True
    try:
        store.keyring.file_key(disk)
    except Locked:
        return False
    return True


def ask_to_join(store: CoupleStore) -> Machine:
    """Add this machine's public keys to a file it cannot open, asking to be let in. Returns its record.

    Asking twice changes nothing.
    """
    keyring, places = store.keyring, store.places
    places.ensure_machine()
    clock = HybridClock(store.local.replica_id)
    with held(MachineLock(places.lock), store.path):
        for _ in range(SAVE_ROUNDS):
            text, found = read_couple_text(places.real)
            disk = parse_couple_file(text, store.path)
            machines = disk.setdefault(Machine.KIND, {})
            if keyring.machine_id in machines:
                return Machine.from_raw(keyring.machine_id, machines[keyring.machine_id])
            for raw in machines.values():
                if stamp := newest_valid_stamp(raw):
                    clock.observe(stamp)
            machine = Machine(
                id=keyring.machine_id,
                author="",
                created="",
                sign_key=keyring.sign_key,
                box_key=keyring.box_key,
                replicas={store.local.replica_id: True},
            )
            machines[machine.id] = new_record("", clock.tick(), fields_of(machine))
            tmp, _ = write_temp(places.real, canonical_json(disk))
            intruder = swap_in(tmp, places.real, found)
            if intruder is None:
                fsync_folder(places.real.parent)
                return Machine.from_raw(machine.id, machines[machine.id])
            if intruder.swapped:
                swap_back(intruder, places.real)  # theirs back in place; ours undone, to be redone on it
            else:
                tmp.unlink(missing_ok=True)
    raise StoreError("file_busy", case="joining", path=store.path)


def recover(store: CoupleStore, code: str, partner_name: str) -> None:
    """Open a sealed file with the couple's recovery code, as ``partner_name``, and stay let in."""
    file_key = store.open_with_code(code)
    store.load()
    partner = store.partner_named(partner_name)
    store.set_me(partner.id)
    holder = key_record_id(file_key.id, store.keyring.machine_id)
    from app.store.sealing import wrap_for_machine

    wrap = wrap_for_machine(file_key.key, store.keyring.box_key, store.file_id)
    store.create(KeyWrap, partner.id, holder, wrap=wrap)
