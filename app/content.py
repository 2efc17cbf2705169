"""The words of the product: the nine steps, the UI strings, help and daily questions.

Everything a user reads lives in ``content/`` (see STYLE.md, point 8); this module
loads it into typed, immutable objects. Stdlib only, so importing it is cheap and
never pulls in Textual.

Layout of the content directory::

    steps/NN-slug.md   TOML front matter between ``+++`` lines, then a Markdown body
    ui.toml            the app's own strings, in tables
    words.toml         what the CLI, the app and the export share: errors, merge reports,
                       counts, lists, days (``app/words.py`` makes sentences of them)
    cli.toml           what the ``kintsugi`` command says (its help, its lines, its problems)
    help.md            the help screen body
    questions.toml     ``questions = [...]``, one is shown each day

``load_content()`` reads ui.toml with words.toml, ``load_words()`` cli.toml with words.toml (for
the command line, and a ``StoreError``'s own sentence, without the rest); either way a string is
read by one dotted key (``content.text("errors.file_empty", path=...)``), and no table is in two
files.

Parsing the TOML is most of the time it takes (~15 ms of an app's start, in pure Python); given a
folder (``kept_in``: the one this machine's own file is in), what each file parsed to is kept
there, in ``content.json`` by the text's hash, and read instead while the text is the same.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from app.resources import resource_dir

__all__ = ["Content", "ContentError", "Step", "Texts", "content_dir", "load_content", "load_words"]

STEP_COUNT = 9
FRONT_MATTER_FENCE = "+++"
STEP_TEXT_FIELDS = ("slug", "title", "tagline", "practice")
STEP_LIST_FIELDS = ("keep_in_mind", "prompts")
UI_FILE = "ui.toml"
WORDS_FILE = "words.toml"
CLI_FILE = "cli.toml"
KEPT_FILE = "content.json"  # in ``kept_in``: what the content's TOML parsed to, by its text's hash
_KEPT_FORMAT = 1

# Strings the app relies on; a missing one is a ContentError at load time, not a
# KeyError in the middle of a screen.
REQUIRED_UI_KEYS = (
    "app.title",
    "app.subtitle",
    "onboarding.heading",
    "onboarding.intro",
    "onboarding.your_name",
    "onboarding.partner_name",
    "onboarding.sync_note",
    "identify.heading",
    "identify.intro",
    "status.not_started",
    "status.exploring",
    "status.practising",
    "status.integrated",
    "status.descriptions.not_started",
    "status.descriptions.exploring",
    "status.descriptions.practising",
    "status.descriptions.integrated",
    "dashboard.you_two",
    "dashboard.steps",
    "dashboard.celebrations",
    "dashboard.agreements",
    "dashboard.no_celebrations",
    "dashboard.no_agreements",
    "dashboard.no_checkins",
    "celebrate.sizes.small",
    "celebrate.sizes.milestone",
    "celebrate.sizes.anniversary",
    *(f"checkin.scale.{n}" for n in range(1, 6)),
)

# What app/words.py reads of words.toml, besides the [errors] sentences and the nouns.
REQUIRED_WORDS_KEYS = (
    "lists.or",
    "lists.comma",
    "lists.and",
    "copies.unreadable",
    "copies.other_couple",
    "copies.it",
    "report.came_in",
    "report.went_out",
    "report.nothing_in",
    "report.nothing_out",
    "report.new",
    "report.changed",
    "report.deleted",
    "report.both",
    "report.from",
    "report.to",
    "report.here",
    "report.copy_in",
    *(f"report.{counted}.{form}" for counted in ("damaged", "skipped") for form in ("one", "many")),
    *(f"report.nouns.newer.{form}" for form in ("one", "many")),
    *(
        f"dates.{form}"
        for form in (
            "day",
            "day_this_year",
            "day_no_year",
            "day_with_year",
            "entry",
            "entry_this_year",
            "turn",
            "turn_this_year",
            "weekday",
            "long",
            "date",
            "day_of_month",
            "month",
            "timeline",
            "moment",
        )
    ),
)
DATE_NAMES = {"dates.months": 12, "dates.short_months": 12, "dates.weekdays": 7, "dates.short_weekdays": 7}


class ContentError(Exception):
    """A content file is missing or malformed. The message is one line naming the file."""


@dataclass(frozen=True)
class Step:
    number: int
    slug: str
    title: str
    tagline: str
    keep_in_mind: tuple[str, ...]
    prompts: tuple[str, ...]
    practice: str
    body: str


@dataclass(frozen=True)
class Texts:
    """Tables of strings read by dotted key: words.toml alone (``load_words``), or with ui.toml
    in ``Content``."""

    ui: Mapping[str, Any]

    def value(self, dotted_key: str) -> Any:
        """The raw value at ``dotted_key`` (a str, a tuple, or a nested mapping)."""
        node: Any = self.ui
        for part in dotted_key.split("."):
            if not isinstance(node, Mapping) or part not in node:
                raise KeyError(dotted_key)
            node = node[part]
        return node

    def text(self, dotted_key: str, **fmt: Any) -> str:
        """The string at ``dotted_key``, formatted with ``fmt`` when given.

        ``content.text("report.from", source=name)``. Raises KeyError naming the key
        when it is missing, is not a string, or needs a placeholder that was not given.
        """
        value = self.value(dotted_key)
        if not isinstance(value, str):
            raise KeyError(f"{dotted_key} is not a string")
        if not fmt:
            return value
        try:
            return value.format_map(fmt)
        except KeyError as missing:
            raise KeyError(f"{dotted_key} needs the placeholder {missing}") from None


@dataclass(frozen=True)
class Content(Texts):
    steps: tuple[Step, ...]
    help: str
    questions: tuple[str, ...]

    def step(self, number: int) -> Step:
        """The step numbered ``number`` (1-9); KeyError if there is none."""
        for step in self.steps:
            if step.number == number:
                return step
        raise KeyError(f"step {number}")

    def question_for(self, day: datetime.date) -> str:
        """Today's question: the same for a given date on every machine."""
        return self.questions[day.toordinal() % len(self.questions)]

    @property
    def cheers(self) -> tuple[str, ...]:
        """Warm one-liners shown when a celebration is logged."""
        return self.value("celebrate.cheers")

    @property
    def feelings(self) -> Mapping[str, tuple[str, ...]]:
        """Feeling words by group (hard, tender, pleasant: the order the picker lists them in)."""
        return self.value("feelings")

    @property
    def moods(self) -> tuple[str, ...]:
        """All feeling words, group by group, for picking a mood in a check-in."""
        return tuple(word for group in self.feelings.values() for word in group)


def content_dir() -> Path:
    """Where the content lives: ``$KINTSUGI_CONTENT`` if set, else the shipped folder."""
    override = os.environ.get("KINTSUGI_CONTENT")
    return Path(override) if override else resource_dir("content")


def load_content(directory: Path | None = None, *, kept_in: Path | None = None) -> Content:
    """Load and validate all content. The default directory is loaded once per process.

    ``kept_in``: a folder where what the TOML parsed to is kept between runs (``KEPT_FILE``)."""
    if directory is None:
        return _default_content(kept_in)
    return _load(Path(directory), _Kept(kept_in))


def load_words(directory: Path | None = None, *, kept_in: Path | None = None) -> Texts:
    """words.toml and cli.toml (the default directory's once per process): what the ``kintsugi``
    command says, and a ``StoreError``'s own sentence, without parsing the rest of the content."""
    if directory is None:
        return _default_words(kept_in)
    return _words_and_cli(Path(directory), _Kept(kept_in))


@functools.cache
def _default_content(kept_in: Path | None) -> Content:
    return _load(content_dir(), _Kept(kept_in))


@functools.cache
def _default_words(kept_in: Path | None) -> Texts:
    return _words_and_cli(content_dir(), _Kept(kept_in))


class _Kept:
    """What each TOML text parsed to, kept in ``KEPT_FILE`` between runs, by the text's hash: read
    instead of parsing while the text is the same. Nothing is kept without a folder, and a file
    that cannot be read or written is as if there were none (the content is parsed, as ever)."""

    def __init__(self, folder: Path | None) -> None:
        self.path = folder / KEPT_FILE if folder is not None else None
        self.found: dict[str, Any] = {}
        self.used: dict[str, Any] = {}
        if self.path is not None:
            try:
                kept = json.loads(self.path.read_bytes())
            except (OSError, ValueError, RecursionError):
                kept = None
            if (
                isinstance(kept, dict)
                and kept.get("format") == _KEPT_FORMAT
                and isinstance(kept.get("parsed"), dict)
            ):
                self.found = kept["parsed"]

    def toml(self, text: str) -> dict[str, Any]:
        """``tomllib.loads(text)``, or what it gave when this text was last parsed."""
        key = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
        parsed = self.found.get(key)
        if not isinstance(parsed, dict):
            parsed = tomllib.loads(text)
        self.used[key] = parsed
        return parsed

    def keep(self) -> None:
        """Write what this load parsed, if any of it is not what the file holds (written whole, so
        a half-written file is never read)."""
        if self.path is None or self.used.keys() == self.found.keys():
            return
        try:
            text = json.dumps({"format": _KEPT_FORMAT, "parsed": self.used}, ensure_ascii=True)
            temporary = self.path.with_name(f".{KEPT_FILE}.{os.getpid()}.tmp")
            temporary.write_text(text, encoding="ascii")
            os.replace(temporary, self.path)
        except (OSError, TypeError, ValueError):  # a folder not there or read-only; a date in the TOML
            return


def _words_and_cli(directory: Path, kept: _Kept) -> Texts:
    words = _load_words(directory, kept)
    cli_path = directory / CLI_FILE
    texts = Texts(ui=_joined(cli_path, _freeze(_read_toml(cli_path, kept)), words))
    kept.keep()
    return texts


def _joined(path: Path, tables: Mapping[str, Any], words: Mapping[str, Any]) -> Mapping[str, Any]:
    """The tables of ``path`` beside words.toml's, under one dotted key each."""
    both = sorted(set(tables) & set(words))
    if both:
        raise ContentError(f"{path}: the tables {both} are in {WORDS_FILE} too; each lives in one file")
    return MappingProxyType({**tables, **words})


def _load_words(directory: Path, kept: _Kept) -> Mapping[str, Any]:
    if not directory.is_dir():
        raise ContentError(f"{directory}: content folder not found")
    path = directory / WORDS_FILE
    words = _freeze(_read_toml(path, kept))
    for key in REQUIRED_WORDS_KEYS:
        if not _is_text(_lookup(words, key)):
            raise ContentError(f"{path}: missing or empty string {key!r}")
    for key, length in DATE_NAMES.items():
        _check_word_list(path, words, key)
        if len(_lookup(words, key)) != length:
            raise ContentError(f"{path}: {key!r} must name {length}")
    for table in ("errors", "report.nouns"):
        _check_sentences(path, words, table)
    return words


def _check_sentences(path: Path, words: Mapping[str, Any], table: str) -> None:
    """Every entry of ``table`` is a string, or a table of strings (its cases, or one and many)."""
    entries = _lookup(words, table)
    if not isinstance(entries, Mapping) or not entries:
        raise ContentError(f"{path}: missing table {table!r}")
    for name, entry in entries.items():
        cases = entry.values() if isinstance(entry, Mapping) else [entry]
        if not cases or not all(map(_is_text, cases)):
            raise ContentError(f"{path}: {table}.{name} must be a string or a table of strings")


def _load(directory: Path, kept: _Kept) -> Content:
    words = _load_words(directory, kept)
    steps = _load_steps(directory / "steps", kept)
    ui_path = directory / UI_FILE
    ui = _joined(ui_path, _freeze(_read_toml(ui_path, kept)), words)
    for key in REQUIRED_UI_KEYS:
        if not _is_text(_lookup(ui, key)):
            raise ContentError(f"{ui_path}: missing or empty string {key!r}")
    _check_word_list(ui_path, ui, "celebrate.cheers")
    feelings = _lookup(ui, "feelings")
    if not isinstance(feelings, Mapping) or not feelings:
        raise ContentError(f"{ui_path}: missing table 'feelings'")
    for group in feelings:
        _check_word_list(ui_path, ui, f"feelings.{group}")
    help_path = directory / "help.md"
    help_text = _read_text(help_path).strip()
    if not help_text:
        raise ContentError(f"{help_path}: the help text is empty")
    questions_path = directory / "questions.toml"
    questions = _freeze(_read_toml(questions_path, kept)).get("questions")
    if not isinstance(questions, tuple) or not questions or not all(map(_is_text, questions)):
        raise ContentError(f"{questions_path}: 'questions' must be a non-empty list of strings")
    kept.keep()
    return Content(steps=steps, ui=ui, help=help_text, questions=questions)


def _load_steps(folder: Path, kept: _Kept) -> tuple[Step, ...]:
    if not folder.is_dir():
        raise ContentError(f"{folder}: steps folder not found")
    steps = sorted((_load_step(path, kept) for path in folder.glob("*.md")), key=lambda s: s.number)
    numbers = [step.number for step in steps]
    if numbers != list(range(1, STEP_COUNT + 1)):
        raise ContentError(f"{folder}: expected steps 1 to {STEP_COUNT} once each, found {numbers}")
    return tuple(steps)


def _load_step(path: Path, kept: _Kept) -> Step:
    text = _read_text(path)
    lines = text.splitlines()
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        raise ContentError(f"{path}: must start with a '{FRONT_MATTER_FENCE}' front matter line")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FRONT_MATTER_FENCE)
    except StopIteration:
        raise ContentError(f"{path}: front matter has no closing '{FRONT_MATTER_FENCE}' line") from None
    try:
        meta = kept.toml("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as error:
        raise ContentError(f"{path}: front matter is not valid TOML ({_one_line(error)})") from None
    body = "\n".join(lines[end + 1 :]).strip()

    number = meta.get("number")
    if not isinstance(number, int) or isinstance(number, bool):
        raise ContentError(f"{path}: 'number' must be a whole number")
    for key in STEP_TEXT_FIELDS:
        if not _is_text(meta.get(key)):
            raise ContentError(f"{path}: missing or empty {key!r}")
    lists = {}
    for key in STEP_LIST_FIELDS:
        items = meta.get(key)
        if not isinstance(items, list) or not items or not all(map(_is_text, items)):
            raise ContentError(f"{path}: {key!r} must be a non-empty list of non-empty strings")
        lists[key] = tuple(item.strip() for item in items)
    if not body:
        raise ContentError(f"{path}: the body after the front matter is empty")
    expected_name = f"{number:02d}-{meta['slug']}.md"
    if path.name != expected_name:
        raise ContentError(f"{path}: file name should be {expected_name} to match its front matter")
    return Step(
        number=number,
        slug=meta["slug"].strip(),
        title=meta["title"].strip(),
        tagline=meta["tagline"].strip(),
        keep_in_mind=lists["keep_in_mind"],
        prompts=lists["prompts"],
        practice=meta["practice"].strip(),
        body=body,
    )


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ContentError(f"{path}: cannot be read ({_one_line(error)})") from None


def _read_toml(path: Path, kept: _Kept) -> dict[str, Any]:
    try:
        return kept.toml(_read_text(path))
    except tomllib.TOMLDecodeError as error:
        raise ContentError(f"{path}: not valid TOML ({_one_line(error)})") from None


def _freeze(value: Any) -> Any:
    """dicts become read-only mappings and lists become tuples, all the way down."""
    if isinstance(value, dict):
        return MappingProxyType({key: _freeze(item) for key, item in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(item) for item in value)
    return value


def _lookup(tree: Mapping[str, Any], dotted_key: str) -> Any:
    node: Any = tree
    for part in dotted_key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def _check_word_list(path: Path, ui: Mapping[str, Any], dotted_key: str) -> None:
    items = _lookup(ui, dotted_key)
    if not isinstance(items, tuple) or not items or not all(map(_is_text, items)):
        raise ContentError(f"{path}: {dotted_key!r} must be a non-empty list of strings")


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())
