"""Sentences from content/words.toml, for the CLI, the app and the export alike: what a store
error says (``error_words``), what a merge brought in (``report_words``) and why a copy was left
where it is (``left_copy_words``), a count (``counted``), a list (``listed``) and a day
(``day_words``).

Each takes the words to use: the app's ``Content`` (which holds words.toml's tables too), or
``load_words()`` (words.toml with cli.toml, what the CLI reads). Nowhere else in app/ writes a
sentence in Python, chooses between one and many, or formats a day: the screens and the CLI fill
in content's own sentences. An error's sentence quoting the file (a path, a name) has its
control characters written out (``printable``); what shows it adds its own rule on top (the app
never reads it as markup, the CLI keeps it to one line).

Stdlib and the domain only: the store reaches this module for a ``StoreError``'s ``str()``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from app.content import ContentError, Texts, load_words
from app.domain.text import printable

if TYPE_CHECKING:
    from app.domain.merge import MergeReport, Origin, RecordRef
    from app.store.errors import StoreError
    from app.store.sync import CopyOutcome

NEWER = "newer"  # the noun of a record of a kind this version does not know

# -- errors ------------------------------------------------------------------------------------


def error_words(error: StoreError, words: Texts | None = None, *, subject: str | None = None) -> str:
    """The sentence for ``error``: its reason's (and case's) sentence in words.toml [errors], with
    its details. ``words`` None reads the shipped words. ``subject`` stands for the path a sentence
    starts with, when what it is about has been named already ("couple 2.json was left as it is:
    it is empty."). If the words cannot be read, the reason and details, plainly: telling an error
    never fails."""
    details = dict(error.details)
    try:
        words = words if words is not None else load_words()
        template = words.text(error.sentence_key)
        if subject is not None and template.startswith("{path}"):
            details["path"] = subject
        sentence = _filled(words, template, details)
    except (ContentError, KeyError, IndexError, ValueError):
        facts = ", ".join(f"{name}={value}" for name, value in details.items())
        sentence = f"{error.sentence_key.removeprefix('errors.')} ({facts})" if facts else error.reason
    return printable(sentence)


def _filled(words: Texts, template: str, details: Mapping[str, Any]) -> str:
    """``template`` with ``details``: a list of names is written "Alex or Sam"."""
    values = {
        name: listed(words, [str(item) for item in value], "or")
        if isinstance(value, (list, tuple))
        else value
        for name, value in details.items()
    }
    return template.format_map(values)


# -- counts and lists --------------------------------------------------------------------------


def counted(words: Texts, key: str, count: int, **fmt: Any) -> str:
    """The sentence at ``key`` (a table of ``one`` and ``many``) for ``count``, with ``{count}``."""
    forms = words.value(key)
    if not isinstance(forms, Mapping):
        raise KeyError(f"{key} is not a table of one and many")
    return forms["one" if count == 1 else "many"].format_map({"count": count, **fmt})


def listed(words: Texts, items: Sequence[str], joiner: Literal["and", "or"] = "and") -> str:
    """ "a, b and c"; with "or": "a or b or c"."""
    if joiner == "or":
        return words.text("lists.or").join(items)
    if len(items) < 2:
        return "".join(items)
    return words.text("lists.comma").join(items[:-1]) + words.text("lists.and") + items[-1]


# -- what a merge brought ----------------------------------------------------------------------


def report_words(
    words: Texts,
    report: MergeReport,
    origin: Origin | None = None,
    direction: Literal["in", "out"] = "in",
) -> str:
    """One line: "2 new celebrations and 1 changed agreement came in from Sam." (``direction``
    "out": what our copy adds to the other). ``origin`` says where it came from (a copy, this
    machine, a partner: ``app.store.sync.came_from``)."""
    text = words.text
    deleted = set(report.deleted)
    parts = [
        *_kinds_counted(words, "report.new", report.added),
        *_kinds_counted(words, "report.changed", [ref for ref in report.changed if ref not in deleted]),
        *_kinds_counted(words, "report.deleted", report.deleted),
    ]
    where = _where(words, origin, direction)
    coming = direction == "in"
    if parts:
        conflicts = len({(kind, record_id) for kind, record_id, _ in report.conflicts})
        both = text("report.both", count=conflicts) if conflicts else ""
        key = "report.came_in" if coming else "report.went_out"
        line = text(key, parts=listed(words, parts), where=where, both=both)
    else:
        line = text("report.nothing_in" if coming else "report.nothing_out", where=where)
    if report.damaged:
        line += " " + counted(words, "report.damaged", len(report.damaged))
    if report.skipped:
        line += " " + counted(words, "report.skipped", len(report.skipped))
    return line


def _kinds_counted(words: Texts, key: str, refs: Iterable[RecordRef]) -> list[str]:
    """ "2 new celebrations", a kind at a time, in the order words.toml names the kinds."""
    from app.domain.models import KINDS

    nouns: Mapping[str, Any] = words.value("report.nouns")
    order = list(nouns)
    counts: dict[str, int] = {}
    for kind, _ in refs:
        noun = kind if kind in KINDS else NEWER
        counts[noun] = counts.get(noun, 0) + 1
    ranked = sorted(counts, key=lambda noun: (order.index(noun) if noun in order else len(order), noun))
    return [
        words.text(
            key,
            count=counts[noun],
            noun=counted(words, f"report.nouns.{noun}", counts[noun])
            if noun in nouns
            else noun.replace("_", " "),
        )
        for noun in ranked
    ]


def _where(words: Texts, origin: Origin | None, direction: str) -> str:
    if origin is None:
        return ""
    if origin.copy is not None:
        source = origin.copy
        if origin.folder is not None:
            source = words.text("report.copy_in", name=source, folder=_home_short(Path(origin.folder)))
        return words.text("report.from" if direction == "in" else "report.to", source=source)
    if direction != "in":
        return ""
    if origin.here:
        return words.text("report.here")
    return words.text("report.from", source=origin.partner) if origin.partner is not None else ""


def _home_short(folder: Path) -> Path:
    """The folder, under ``~`` when it is in the home folder."""
    try:
        return Path("~") / folder.relative_to(Path.home())
    except ValueError:
        return folder


def left_copy_words(words: Texts, outcome: CopyOutcome) -> str:
    """Why a conflict copy was left where it is: "couple 2.json was left as it is: it is empty."."""
    name = outcome.path.name
    if outcome.error is None:
        return words.text("copies.other_couple", name=name)
    why = error_words(outcome.error, words, subject=words.text("copies.it"))
    return words.text("copies.unreadable", name=name, why=why)


# -- days ----------------------------------------------------------------------------------------


def day_words(words: Texts, day: dt.date, form: str, today: dt.date | None = None) -> str:
    """``day`` as words.toml [dates] writes ``form`` ("long": "Thursday 12 November 2026"). A form
    with a ``<form>_this_year`` pattern needs ``today`` (the app's, which tests fix) and uses that
    pattern for a day of today's year. A datetime gives ``{hour}`` and ``{minute}`` too."""
    pattern = f"dates.{form}"
    try:
        this_year = words.text(f"{pattern}_this_year")
    except KeyError:
        this_year = None
    if this_year is not None and today is None:
        raise TypeError(f"the {form!r} form of a day needs today")
    template = this_year if this_year is not None and today is not None and day.year == today.year else None
    names = words.value
    fields = {
        "weekday": names("dates.weekdays")[day.weekday()],
        "short_weekday": names("dates.short_weekdays")[day.weekday()],
        "day": day.day,
        "month": names("dates.months")[day.month - 1],
        "short_month": names("dates.short_months")[day.month - 1],
        "year": day.year,
        "hour": day.hour if isinstance(day, dt.datetime) else 0,
        "minute": day.minute if isinstance(day, dt.datetime) else 0,
    }
    return (template or words.text(pattern)).format_map(fields)
