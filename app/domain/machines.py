"""Each partner's own machines, and signatures nobody else can make.

Every machine has its own keys (made on first use, kept in that machine's
local file): an Ed25519 key that signs, an X25519 key the file key is wrapped
to. Its public keys are published in the couple's file as a ``machine``
record, with the partner it belongs to and the *vouches* other machines gave
it: a signature by a machine over (file, machine, partner, keys), made when
someone at that machine compared a few words with the new one and said yes.

Who trusts what is worked out from where one stands (``trusted_machines``):
this machine is trusted because it holds its own private key; a machine
another trusted machine vouched for is trusted; the partner's machine that
vouched for one of mine is trusted (that is how a machine joins: the partner's
admitted it); but a machine claiming to be *mine* counts only if one of my own
machines vouched for it, so the partner cannot add a machine in my name.

An agreement's signature (``proof.<partner>``) is an Ed25519 signature by
the signing machine over (file, agreement, the wording's hash, the signer).
``standing`` says what the app may show: signed by that partner at their own
machine, signed together at the other partner's keyboard, signed before
signatures were checked, or not verified (a wrong key, other words, a
machine nobody vouched for).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar

from pydantic import Field

from app.domain.models import Agreement, RecordModel

MACHINE_KIND = "machine"
WORDS_SHOWN = 6  # 48 bits: words to compare aloud when a machine joins


class KeyWrap(RecordModel):
    """The file key, wrapped for one machine (or the recovery code): ``app.store.sealing``."""

    KIND: ClassVar[str] = "key"
    wrap: dict[str, Any]


class Machine(RecordModel):
    """A machine's public keys, whose it is, and which machines vouched for it."""

    KIND: ClassVar[str] = MACHINE_KIND
    MAPS: ClassVar[dict[str, str]] = {"vouches": "vouch", "replicas": "replica"}
    partner: str = ""  # "" while it asks to join and nobody has said whose it is
    sign_key: str = Field(max_length=200)
    box_key: str = Field(max_length=200)
    vouches: dict[str, str] = {}  # voucher's machine id -> signature (base64)
    replicas: dict[str, bool] = {}  # replica ids this machine stamps with


def machine_id_of(sign_key: str) -> str:
    """A machine's id: a hash of its public signing key."""
    return hashlib.sha256(base64.b64decode(sign_key)).hexdigest()[:24]


def fingerprint(sign_key: str, box_key: str) -> bytes:
    """What the words compared aloud are made from."""
    return hashlib.sha256(f"{sign_key}/{box_key}".encode()).digest()


def words_for(sign_key: str, box_key: str, wordlist: list[str]) -> list[str]:
    """``WORDS_SHOWN`` words naming a machine's keys (a 256-word list: one byte a word)."""
    if len(wordlist) != 256:
        raise ValueError("the word list must have 256 words")
    return [wordlist[byte] for byte in fingerprint(sign_key, box_key)[:WORDS_SHOWN]]


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def vouch_payload(file_id: str, machine_id: str, partner: str, sign_key: str, box_key: str) -> bytes:
    return _canonical(
        {
            "vouch": {
                "file": file_id,
                "machine": machine_id,
                "partner": partner,
                "sign": sign_key,
                "box": box_key,
            }
        }
    )


def signature_payload(file_id: str, agreement_id: str, text: str, signer: str) -> bytes:
    wording = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return _canonical(
        {"sign": {"file": file_id, "agreement": agreement_id, "wording": wording, "signer": signer}}
    )


def verifies(sign_key: str, signature: object, payload: bytes) -> bool:
    """True if ``signature`` (base64) is the signing key's over ``payload``."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if not isinstance(signature, str):
        return False
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(sign_key, validate=True))
        key.verify(base64.b64decode(signature, validate=True), payload)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def _vouched_by(machine: Machine, voucher: Machine, file_id: str) -> bool:
    signature = machine.vouches.get(voucher.id)
    payload = vouch_payload(file_id, machine.id, machine.partner, machine.sign_key, machine.box_key)
    return signature is not None and verifies(voucher.sign_key, signature, payload)


def trusted_machines(machines: Iterable[Machine], mine: str, me: str, file_id: str) -> dict[str, str]:
    """The machines trusted from machine ``mine`` (whose partner is ``me``): machine id -> partner id.

    See the module docstring for the rules. A machine whose record does not
    match its own id is never trusted.
    """
    known = {m.id: m for m in machines if _well_formed(m)}
    if mine not in known:
        return {}
    trusted: dict[str, str] = {mine: me}
    changed = True
    while changed:
        changed = False
        for machine in known.values():
            if machine.id in trusted or not machine.partner:
                continue
            vouchers = [known[v] for v in machine.vouches if v in trusted and v in known]
            if machine.partner == me:  # mine only by the word of one of my own machines
                vouchers = [v for v in vouchers if trusted[v.id] == me]
            welcomed_me = machine.partner != me and any(
                _vouched_by(known[t], machine, file_id) for t in trusted if trusted[t] == me
            )
            if welcomed_me or any(_vouched_by(machine, v, file_id) for v in vouchers):
                trusted[machine.id] = machine.partner
                changed = True
    return trusted


def _well_formed(machine: Machine) -> bool:
    try:
        return machine_id_of(machine.sign_key) == machine.id
    except ValueError:
        return False


class Standing(StrEnum):
    """What a partner's signature on an agreement's current wording is, seen from this machine."""

    NOT_SIGNED = "not_signed"
    OWN_MACHINE = "own_machine"  # signed at one of that partner's own machines
    TOGETHER = "together"  # signed at the other partner's keyboard, "writing as" the signer
    BEFORE_CHECKS = "before_checks"  # signed before Kintsugi signed with machine keys
    NOT_VERIFIED = "not_verified"  # a proof that does not check out


@dataclass(frozen=True)
class SignatureView:
    standing: Standing
    machine: str = ""  # the machine that signed, if the proof checks out


def standing(
    agreement: Agreement,
    signer: str,
    machines: Mapping[str, Machine],
    trusted: Mapping[str, str],
    file_id: str,
) -> SignatureView:
    """How ``signer``'s signature on the agreement's current wording stands."""
    if not agreement.signed_by(signer):
        return SignatureView(Standing.NOT_SIGNED)
    proof = agreement.proofs.get(signer)
    if not isinstance(proof, dict):
        return SignatureView(Standing.BEFORE_CHECKS)
    machine = machines.get(str(proof.get("machine", "")))
    payload = signature_payload(file_id, agreement.id, agreement.text, signer)
    if (
        machine is None
        or machine.id not in trusted
        or not verifies(machine.sign_key, proof.get("sig"), payload)
    ):
        return SignatureView(Standing.NOT_VERIFIED)
    if trusted[machine.id] == signer:
        return SignatureView(Standing.OWN_MACHINE, machine.id)
    return SignatureView(Standing.TOGETHER, machine.id)
