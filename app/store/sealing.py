"""Sealing the couple's file: every record encrypted on its own, readable by the couple's machines only.

A sealed file (format 2) is still one canonical JSON file that syncs and merges:

```json
{
 "_meta": {"file": {"file_id": "...", "schema_version": 2, "sealing": {"scheme": "...", "key": "<key id>"}}},
 "key": {"<key id>/<machine id>": <record: the file key wrapped to that machine>},
 "machine": {"<machine id>": <record: a machine's public keys, whose it is, who admitted it>},
 "sealed": {"<stored id>": {"box": "<base64 of one sealed record>"}}
}
```

- **One box a record.** A record (its kind, id, fields, stamps, history) is
  written as compact JSON, deflated (a record's JSON shrinks to about 40%: the
  file is written, fsynced and read in half the bytes), and sealed with
  AES-256-GCM-SIV under the file key, with the file id and its stored id as
  associated data, into one entry of the file: a change to one
  record changes one line (git diffs, sync uploads), and a merge compares
  boxes by their bytes and opens only those that differ. GCM-SIV, not plain
  GCM: copies holding the same records must be byte-identical, so sealing is
  deterministic (the nonce comes from the stored id; deflating is, for one
  zlib: docs/SYNC.md says what a machine whose zlib deflates otherwise
  changes), and GCM-SIV is the mode
  built to stay safe when a nonce repeats (it reveals only that a box holds
  the same record as before, which the unchanged bytes would show anyway).
- **Stored ids** are a keyed hash of the record's kind and id, so nobody
  without the key can test a date or a name against an id derived from them
  (a check-in's id comes from its partner and day).
- **The file key** is wrapped to each admitted machine's X25519 key (an
  ephemeral key, HKDF-SHA256, AES-256-GCM) and, once, to the couple's
  recovery code (scrypt). Machine and key records stay readable: a machine
  asking to join can read and write nothing else.
- What an outsider still sees: how many records there are and how big each
  is, which boxes changed when (file dates, git history), the machines' public
  keys and which partner id (a random id, not a name) each belongs to.
  docs/PRIVACY.md says it in plain words.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import os
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

# cryptography is imported where it is used: a plain file never loads it (~40 ms of a cold start).
if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

SEALED_FORMAT = 2
SCHEME = "aes-256-gcm-siv/2"  # what this version writes: a box holds its record deflated
SCHEMES = frozenset({"aes-256-gcm-siv/1", SCHEME})  # what it opens (/1: each box holds its record's JSON)
DEFLATED = b"\x01"  # a box's plain text starting so: the record's JSON after it, raw DEFLATE (RFC 1951)
SEALED_TABLE = "sealed"
MACHINE_KIND = "machine"
KEY_KIND = "key"
PLAIN_KINDS = frozenset({MACHINE_KIND, KEY_KIND})  # what a machine asking to join must read and write
UNOPENED = "~sealed"  # in memory: boxes this machine could not open, written back as they are
RECOVERY = "recovery"
SCRYPT_N = 2**17  # ~0.3 s here: a recovery code is typed rarely, and guessed never
SCRYPT_R = 8
SCRYPT_P = 1


class SealError(ValueError):
    """A box or a wrapped key that does not open with the key at hand."""


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: object) -> bytes:
    if not isinstance(text, str):
        raise SealError("not base64 text")
    try:  # given bytes, a2b_base64 decodes about twice as fast as given the str
        return binascii.a2b_base64(text.encode("ascii"), strict_mode=True)
    except (ValueError, binascii.Error) as error:
        raise SealError("not base64 text") from error


def _derive(key: bytes, purpose: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"kintsugi " + purpose).derive(key)


def key_id_of(file_key: bytes) -> str:
    """A name for a file key that tells nothing about it (two keys of one file are told apart by it)."""
    return _derive(file_key, b"key id").hex()[:16]


def new_file_key() -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCMSIV

    return AESGCMSIV.generate_key(256)


@dataclass(frozen=True)
class Sealed:
    """A record as it sits in a sealed file."""

    stored_id: str
    box: str


class FileKey:
    """The couple's file key, ready to seal and open records of one file."""

    def __init__(self, key: bytes, file_id: str) -> None:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCMSIV

        self._not_opened = (InvalidTag, ValueError)  # what decrypting a box that does not open raises
        self._in_file = f"{file_id}\x00".encode()  # what each box's associated data starts with
        self.key = key
        self.id = key_id_of(key)
        self.file_id = file_id
        self._aead = AESGCMSIV(_derive(key, b"records"))
        self._index = _derive(key, b"index")
        self._nonces = _derive(key, b"nonces")

    def stored_id(self, kind: str, record_id: str) -> str:
        """The record's name in the file: a keyed hash of its kind and id."""
        message = f"{kind}\x00{record_id}".encode("utf-8", "surrogatepass")
        return hmac.digest(self._index, message, "sha256").hex()[:32]

    def seal(self, kind: str, record_id: str, raw: Any) -> Sealed:
        stored = self.stored_id(kind, record_id)
        plain = json.dumps(
            {"kind": kind, "id": record_id, "record": raw},
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=True,
        ).encode("ascii")
        plain = DEFLATED + zlib.compress(plain, 6, -15)
        nonce = hmac.digest(self._nonces, stored.encode("ascii"), "sha256")[:12]
        box = self._aead.encrypt(nonce, plain, self._associated(stored))
        return Sealed(stored, b64(nonce + box))

    def open_plain(self, stored_id: str, box: object) -> bytes:
        """The JSON a box holds; SealError if it is not one of this file's boxes under this key.

        The stored id is part of what the box authenticates: a box moved to
        another record's place does not open.
        """
        data = unb64(box)
        try:
            plain = self._aead.decrypt(data[:12], data[12:], self._associated(stored_id))
        except self._not_opened as error:
            raise SealError("the box does not open with this key") from error
        if plain.startswith(DEFLATED):
            try:
                return zlib.decompress(plain[1:], -15)
            except zlib.error as error:
                raise SealError("the box holds no record") from error
        return plain  # sealed by a Kintsugi before deflating (scheme /1): the JSON itself

    def open(self, stored_id: str, box: object) -> tuple[str, str, Any]:
        """(kind, id, record) of a box; SealError if it does not open, or holds no record."""
        try:
            return opened_record(json.loads(self.open_plain(stored_id, box)))
        except ValueError as error:
            raise SealError("the box holds no record") from error

    def _associated(self, stored_id: str) -> bytes:
        return self._in_file + stored_id.encode()


def opened_record(opened: object) -> tuple[str, str, Any]:
    """(kind, id, record) from what a box held; SealError if it is not a sealed record."""
    if not (
        isinstance(opened, dict) and isinstance(opened.get("kind"), str) and isinstance(opened.get("id"), str)
    ):
        raise SealError("the box holds no record")
    return opened["kind"], opened["id"], opened.get("record")


# -- the file key, wrapped ------------------------------------------------------------------------


def wrap_for_machine(file_key: bytes, box_public: str, file_id: str) -> dict[str, str]:
    """The file key, readable only with the private key matching ``box_public`` (X25519)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    recipient = X25519PublicKey.from_public_bytes(unb64(box_public))
    ephemeral = X25519PrivateKey.generate()
    shared = ephemeral.exchange(recipient)
    eph_public = ephemeral.public_key().public_bytes_raw()
    wrap_key = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=eph_public + recipient.public_bytes_raw(),
        info=b"kintsugi file key " + file_id.encode(),
    ).derive(shared)
    nonce = os.urandom(12)
    wrapped = AESGCM(wrap_key).encrypt(nonce, file_key, file_id.encode())
    return {"ephemeral": b64(eph_public), "wrapped": b64(nonce + wrapped)}


def unwrap_for_machine(wrap: Mapping[str, Any], box_private: X25519PrivateKey, file_id: str) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    try:
        eph_public = unb64(wrap["ephemeral"])
        data = unb64(wrap["wrapped"])
        shared = box_private.exchange(X25519PublicKey.from_public_bytes(eph_public))
        wrap_key = HKDF(
            algorithm=hashes.SHA256(),
            length=32,
            salt=eph_public + box_private.public_key().public_bytes_raw(),
            info=b"kintsugi file key " + file_id.encode(),
        ).derive(shared)
        return AESGCM(wrap_key).decrypt(data[:12], data[12:], file_id.encode())
    except (KeyError, TypeError, ValueError, InvalidTag) as error:
        raise SealError("this machine's key does not open it") from error


def _code_key(code: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    words = " ".join(code.lower().split()).encode()
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(words)


def wrap_with_code(file_key: bytes, code: str, file_id: str) -> dict[str, Any]:
    """The file key, readable with the recovery code (scrypt)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt = os.urandom(16)
    nonce = os.urandom(12)
    wrapped = AESGCM(_code_key(code, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)).encrypt(
        nonce, file_key, file_id.encode()
    )
    return {"salt": b64(salt), "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "wrapped": b64(nonce + wrapped)}


def unwrap_with_code(wrap: Mapping[str, Any], code: str, file_id: str) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        data = unb64(wrap["wrapped"])
        key = _code_key(code, unb64(wrap["salt"]), int(wrap["n"]), int(wrap["r"]), int(wrap["p"]))
        return AESGCM(key).decrypt(data[:12], data[12:], file_id.encode())
    except (KeyError, TypeError, ValueError, InvalidTag) as error:
        raise SealError("the recovery code does not open it") from error
