"""Typed views of the records in the couple's file (pydantic v2).

Each kind of record has a model. ``from_raw`` builds one from a stored record
(``app.domain.records``), ``fields_of`` turns one back into the fields to
store. Maps such as signatures are stored one entry a field
(``signature.<partner id>``) so that concurrent entries merge.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator, Mapping
from enum import IntEnum, StrEnum
from functools import lru_cache
from typing import Annotated, Any, ClassVar, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from app.domain.clock import stamp_day
from app.domain.records import EDITED_BY, RawRecord, envelope_problem, map_field
from app.domain.text import same_text

SCHEMA_VERSION = 1
STEP_NUMBERS = range(1, 10)
NAME_MAX = 60
TITLE_MAX = 300
TEXT_MAX = 200_000


class StepStatus(StrEnum):
    NOT_STARTED = "not_started"
    EXPLORING = "exploring"
    PRACTISING = "practising"
    INTEGRATED = "integrated"


class AgreementStatus(StrEnum):
    PROPOSED = "proposed"  # waiting for one or both signatures
    AGREED = "agreed"  # both partners signed this exact wording
    CHANGED = "changed"  # the wording changed after someone signed
    TO_REVISIT = "to_revisit"  # someone asked to talk about it again
    RETIRED = "retired"  # kept, no longer in force


class CelebrationSize(StrEnum):
    SMALL = "small"
    MILESTONE = "milestone"
    ANNIVERSARY = "anniversary"


class Connection(IntEnum):
    """How connected a partner feels in a check-in, 1 (far apart) to 5 (very close)."""

    FAR = 1
    DISTANT = 2
    STEADY = 3
    CLOSE = 4
    VERY_CLOSE = 5


class Kinds(Mapping[str, "type[RecordModel]"]):
    """The registry of every kind of record, by the name of its table: a model registers itself
    by defining ``KIND`` as its module is imported.

    The steps' practices' kinds live in ``app.domain.practices``, a module a practice, and are not
    imported until something needs them (the dashboard's first frame reads none of them): reading
    the registry imports every one first (``app.domain.practices.import_all``), so it is complete
    whenever it is read. The other kinds are imported with ``app.domain``.
    """

    def __init__(self) -> None:
        self._models: dict[str, type[RecordModel]] = {}
        self._complete = False

    def register(self, kind: str, model: type[RecordModel]) -> None:
        if kind in self._models:
            raise TypeError(f"two models for the kind {kind!r}")
        self._models[kind] = model

    def _all(self) -> dict[str, type[RecordModel]]:
        if not self._complete:
            self._complete = True
            from app.domain.practices import import_all

            import_all()
        return self._models

    def __getitem__(self, kind: str) -> type[RecordModel]:
        return self._all()[kind]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


KINDS = Kinds()
"""Every kind of record, by the name of its table (see ``Kinds``)."""


class RecordModel(BaseModel):
    """What every record has: its id, who created it, when, who last edited it."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        kind = cls.__dict__.get("KIND")
        if kind is not None:
            KINDS.register(kind, cls)

    model_config = ConfigDict(frozen=True, extra="ignore", str_strip_whitespace=False)

    KIND: ClassVar[str]
    MAPS: ClassVar[dict[str, str]] = {}  # model attribute -> stored field prefix

    id: str
    author: str
    created: str
    edited_by: str = ""
    updated: str = ""

    @property
    def made_on(self) -> dt.date | None:
        """The day the record was made (None if its stamp cannot say)."""
        return stamp_day(self.created)

    @classmethod
    def from_raw(cls, record_id: str, raw: RawRecord) -> Self:
        fields = raw["fields"]
        data: dict[str, Any] = dict(fields)  # a map's "prefix.key" entries are no attribute: ignored
        for attribute, prefix in cls.MAPS.items():
            data[attribute] = map_field(fields, prefix)
        data.update(
            id=record_id,
            author=raw["author"],
            created=raw["created"],
            edited_by=fields.get(EDITED_BY, raw["author"]),
            updated=max(raw["stamps"].values()),
        )
        model = cls.model_validate(data)
        # pydantic gives every model a set of the fields that were set (~700 bytes, more than
        # the rest of a check-in), and a kind's records set the same few sets. A frozen model
        # never changes its set (model_copy copies it), so those that are equal share one.
        fields_set = model.__pydantic_fields_set__
        shared = _FIELDS_SETS.setdefault(frozenset(fields_set), fields_set)
        object.__setattr__(model, "__pydantic_fields_set__", shared)
        return model


_FIELDS_SETS: dict[frozenset[str], set[str]] = {}


class PracticeModel(RecordModel):
    """A kind a step's practice keeps: nothing before the dashboard's first frame reads one.

    pydantic builds a model's validator when its class is made, ~2 ms each; these
    kinds build theirs on first use instead, so starting the app does not wait
    for them.
    """

    model_config = ConfigDict(defer_build=True)


def fields_of(model: RecordModel) -> dict[str, Any]:
    """The stored fields of a model (maps flattened, envelope left out)."""
    data = model.model_dump(mode="json", exclude={"id", "author", "created", "edited_by", "updated"})
    for attribute, prefix in type(model).MAPS.items():
        for key, value in data.pop(attribute).items():
            data[f"{prefix}.{key}"] = value
    return data


def not_blank(value: str) -> str:
    """A text field's validator: some words, not only spaces."""
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _one_line(value: str) -> str:
    value = same_text(" ".join(value.split()))
    if not value:
        raise ValueError("must not be empty")
    return value


OneLine = Annotated[str, AfterValidator(_one_line)]


class Partner(RecordModel):
    KIND: ClassVar[str] = "partner"
    name: OneLine = Field(max_length=NAME_MAX)
    colour: str = Field(default="gold", max_length=20)


class Progress(RecordModel):
    """One partner's status on one step (its id is derived from both)."""

    KIND: ClassVar[str] = "progress"
    partner: str
    step: int = Field(ge=1, le=9)
    status: StepStatus = StepStatus.NOT_STARTED


class Celebration(RecordModel):
    KIND: ClassVar[str] = "celebration"
    MAPS: ClassVar[dict[str, str]] = {"reactions": "reaction"}
    title: OneLine = Field(max_length=TITLE_MAX)
    note: str = Field(default="", max_length=TEXT_MAX)
    day: dt.date
    step: int | None = Field(default=None, ge=1, le=9)
    size: CelebrationSize = CelebrationSize.SMALL
    reactions: dict[str, str] = {}
    from_suggestion: str = Field(default="", max_length=TITLE_MAX)  # app.domain.suggestions.Suggestion.key


class AgreementList(RecordModel):
    KIND: ClassVar[str] = "agreement_list"
    name: OneLine = Field(max_length=TITLE_MAX)
    position: int = 0
    archived: bool = False


@lru_cache(maxsize=16_384)  # every signed_by asks, for every agreement on every reread
def wording_key(text: str) -> str:
    """What a signature binds to: the exact wording, hashed."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class Agreement(RecordModel):
    KIND: ClassVar[str] = "agreement"
    MAPS: ClassVar[dict[str, str]] = {"signatures": "signature", "proofs": "proof"}
    list_id: str
    text: str = Field(max_length=TEXT_MAX)
    why: str = Field(default="", max_length=TEXT_MAX)
    review_on: dt.date | None = None
    revisit: str = Field(default="", max_length=TEXT_MAX)
    retired: bool = False
    signatures: dict[str, str] = {}  # partner id -> wording_key of the text they signed
    proofs: dict[str, dict[str, str]] = {}  # partner id -> {"machine", "sig"}: app.domain.machines

    @field_validator("text")
    @classmethod
    def _text_not_blank(cls, value: str) -> str:
        return not_blank(value)

    def signed_by(self, partner_id: str) -> bool:
        """True if that partner signed this exact wording."""
        return self.signatures.get(partner_id) == wording_key(self.text)

    def changed_since_signed_by(self, partner_id: str) -> bool:
        """True if that partner signed an earlier wording, which no longer counts."""
        return partner_id in self.signatures and not self.signed_by(partner_id)

    def status(self, partner_ids: Iterable[str]) -> AgreementStatus:
        """Derived from the record, never stored: see AgreementStatus."""
        if self.retired:
            return AgreementStatus.RETIRED
        if self.revisit.strip():
            return AgreementStatus.TO_REVISIT
        partner_ids = list(partner_ids)
        if partner_ids and all(self.signed_by(p) for p in partner_ids):
            return AgreementStatus.AGREED
        if any(self.changed_since_signed_by(p) for p in partner_ids):
            return AgreementStatus.CHANGED
        return AgreementStatus.PROPOSED

    def due_for_review(self, today: dt.date) -> bool:
        return not self.retired and self.review_on is not None and self.review_on <= today


class CheckIn(RecordModel):
    """A partner's check-in for a day (its id is derived from both)."""

    KIND: ClassVar[str] = "checkin"
    partner: str
    day: dt.date
    connection: Connection
    mood: str = Field(default="", max_length=NAME_MAX)
    note: str = Field(default="", max_length=TEXT_MAX)


def record_problem(kind: str, record_id: str, raw: object) -> str | None:
    """Why a stored record cannot be used, in one short phrase, or None."""
    problem = envelope_problem(raw)
    if problem:
        return problem
    model = KINDS.get(kind)
    if model is None:
        return f"unknown kind of record {kind[:40]!r}"
    try:
        model.from_raw(record_id, raw)  # type: ignore[arg-type]
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "record"
        return f"{kind} field {where}: {first['msg']}"
    return None
