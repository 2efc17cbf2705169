"""The journey as a keepsake: Markdown for reading (or for a therapist), JSON for keeping.

Both read only the couple's file, never this machine's local file, so
private entries (kept in the local file) can never be exported.

Markdown: the nine steps with each partner's status, agreements with their
history, celebrations, weekly talks, and a check-in summary (counts and
averages a month, side by side, never ranked). Everything a partner wrote is
escaped so it cannot change the document's structure (a title starting with
"#" is not a heading, a "|" does not split a table) and terminal control
characters are written out (``\\x1b``). A feature with its own shared
records adds a section through ``MARKDOWN_SECTIONS``.

JSON: every record this version can read, validated, by kind.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.content import Content
from app.domain.checkins import checkins_by_month
from app.domain.meeting import Meeting
from app.domain.models import KINDS, SCHEMA_VERSION, Agreement, Celebration, CelebrationSize, Partner
from app.domain.text import printable
from app.store.couple import CoupleStore
from app.store.files import atomic_write
from app.store.sealing import PLAIN_KINDS, SealError
from app.store.storage import StoreError
from app.words import day_words

EXPORT_VERSION = 1
EXPORT_KIND = "export"  # what a sealed export's box is, to the file key
FORMATS = ("md", "json")

# -- making partner text safe in Markdown ------------------------------------------------------

# Characters that mean something anywhere in a line.
_INLINE = re.compile(r"([\\`*_\[\]<>|~&!{}])")
# What makes a line a heading, quote, list item, rule or setext underline when it starts it.
_LINE_START = re.compile(r"^([#>+=-]|\d+(?=[.)]))")


def md_line(value: object) -> str:
    """Partner text as one line of Markdown that shows exactly what they wrote."""
    text = " ".join(str(value).replace("\t", " ").splitlines()).strip()
    text = _INLINE.sub(r"\\\1", text)
    # "# x" -> "\# x"; "1. x" -> "1\. x" (the mark after the number is what starts a list)
    text = _LINE_START.sub(
        lambda m: m.group(1) + "\\" if m.group(1)[0].isdigit() else "\\" + m.group(1), text
    )
    return printable(text)


def md_quote(value: object, indent: str = "") -> list[str]:
    """Several lines of partner text as a block quote (each line escaped, blank lines kept)."""
    lines = []
    for line in str(value).strip().splitlines():
        escaped = md_line(line)
        lines.append(f"{indent}> {escaped}" if escaped else f"{indent}>")
    return lines


def md_cell(value: object) -> str:
    """Partner text in a table cell (one line, pipes escaped)."""
    return md_line(value) or " "


# -- Markdown ------------------------------------------------------------------------------------

MarkdownSection = Callable[[CoupleStore, Content], list[str]]
MARKDOWN_SECTIONS: list[MarkdownSection] = []
"""Sections other features add at the end (each returns its lines, starting with a ``## `` heading)."""


def export_markdown(store: CoupleStore, content: Content, today: dt.date | None = None) -> str:
    """The journey as a Markdown document (see the module docstring)."""
    text = content.text
    today = today or dt.date.today()
    partners = store.partners
    names = {p.id: p.name for p in partners}
    first, second = (md_line(p.name) for p in partners[:2])
    lines = [
        f"# {text('export.title', first=first, second=second)}",
        "",
        text("export.made_on", day=day_words(content, today, "long")),
        "",
    ]
    lines += _steps(store, content, partners)
    lines += _agreements(store, content, partners, names)
    lines += _celebrations(store, content, names)
    lines += _meetings(store, content, partners, names)
    lines += _checkins(store, content, partners)
    for section in MARKDOWN_SECTIONS:
        lines += [*section(store, content), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _steps(store: CoupleStore, content: Content, partners: list[Partner]) -> list[str]:
    text = content.text
    progress = {p.id: store.progress(p.id) for p in partners}
    lines = [f"## {text('export.steps')}", ""]
    lines.append("| " + " | ".join([text("export.step"), *(md_cell(p.name) for p in partners)]) + " |")
    lines.append("|" + " --- |" * (len(partners) + 1))
    for step in content.steps:
        statuses = [text(f"status.{progress[p.id][step.number].value}") for p in partners]
        lines.append("| " + " | ".join([f"{step.number}. {md_cell(step.title)}", *statuses]) + " |")
    return [*lines, ""]


def _agreements(
    store: CoupleStore, content: Content, partners: list[Partner], names: dict[str, str]
) -> list[str]:
    text = content.text
    lines = [f"## {text('export.agreements')}", ""]
    agreements = store.agreements()
    if not agreements:
        return [*lines, text("export.none"), ""]
    ids = [p.id for p in partners]
    lists = {lst.id: lst.name for lst in store.agreement_lists()}
    by_list: dict[str, list[Agreement]] = {list_id: [] for list_id in lists}
    for agreement in agreements:
        by_list.setdefault(agreement.list_id, []).append(agreement)
    for list_id, held in by_list.items():
        if not held:
            continue
        lines += [f"### {md_line(lists.get(list_id, text('export.unlisted')))}", ""]
        for agreement in held:
            status = text(f"export.status.{agreement.status(ids).value}")
            lines.append(f"- **{status}**: {md_line(agreement.text)}")
            signed = [md_line(names[p]) for p in ids if agreement.signed_by(p)]
            details = [text("export.proposed_by", name=md_line(names.get(agreement.author, "?")))]
            if signed:
                details.append(text("export.signed_by", names=", ".join(signed)))
            if agreement.review_on:
                details.append(text("export.review_on", day=day_words(content, agreement.review_on, "long")))
            lines.append(f"  - {'; '.join(details)}")
            if agreement.why.strip():
                lines.append(f"  - {text('export.why')}: {md_line(agreement.why)}")
            if agreement.revisit.strip():
                lines.append(f"  - {text('export.revisit')}: {md_line(agreement.revisit)}")
            for _stamp, earlier in store.agreement_history(agreement.id):
                lines.append(f"  - {text('export.earlier_wording')}: {md_line(earlier)}")
        lines.append("")
    return lines


def _celebrations(store: CoupleStore, content: Content, names: dict[str, str]) -> list[str]:
    text = content.text
    lines = [f"## {text('export.celebrations')}", ""]
    celebrations = store.celebrations()
    if not celebrations:
        return [*lines, text("export.none"), ""]
    month = None
    for celebration in celebrations:
        day = celebration.day
        if (day.year, day.month) != month:
            if month is not None:
                lines.append("")
            month = (day.year, day.month)
            lines += [f"### {day_words(content, day, 'month')}", ""]
        lines += _celebration(celebration, content, names)
    return [*lines, ""]


def _celebration(celebration: Celebration, content: Content, names: dict[str, str]) -> list[str]:
    text = content.text
    parts = [f"**{day_words(content, celebration.day, 'day_of_month')}**"]
    if celebration.size != CelebrationSize.SMALL:
        parts.append(text(f"celebrate.sizes.{celebration.size.value}"))
    if celebration.step:
        parts.append(text("export.step_number", number=celebration.step))
    who = md_line(names.get(celebration.author, "?"))
    lines = [f"- {' · '.join(parts)}: {md_line(celebration.title)} ({text('export.logged_by', name=who)})"]
    if celebration.note.strip():
        lines += md_quote(celebration.note, indent="  ")
    for partner_id, words in celebration.reactions.items():
        lines.append(f"  - {md_line(names.get(partner_id, '?'))}: {md_line(words)}")
    return lines


def _meetings(
    store: CoupleStore, content: Content, partners: list[Partner], names: dict[str, str]
) -> list[str]:
    text = content.text
    lines = [f"## {text('export.meetings')}", ""]
    held = store.meetings()
    if not held:
        return [*lines, text("export.none"), ""]
    for meeting in held:
        lines += [f"### {day_words(content, meeting.day, 'long')}", ""]
        lines += _per_partner(text("meeting.appreciations_title"), meeting.appreciations, partners)
        for title, words in (
            (text("meeting.went_well_title"), meeting.went_well),
            (text("meeting.issue_title"), meeting.issue),
            (text("meeting.issue_notes_label"), meeting.issue_notes),
        ):
            if words.strip():
                lines.append(f"- **{title}**")
                lines += md_quote(words, indent="  ")
        lines += _per_partner(text("meeting.needs_title"), meeting.needs, partners)
        lines += _meeting_agreement(store, content, meeting)
        lines.append("")
    return lines


def _per_partner(title: str, said: dict[str, str], partners: list[Partner]) -> list[str]:
    if not any(words.strip() for words in said.values()):
        return []
    lines = [f"- **{title}**"]
    for partner in partners:
        if said.get(partner.id, "").strip():
            lines.append(f"  - {md_line(partner.name)}: {md_line(said[partner.id])}")
    return lines


def _meeting_agreement(store: CoupleStore, content: Content, meeting: Meeting) -> list[str]:
    if not meeting.agreement_id:
        return []
    agreement = store.get(Agreement, meeting.agreement_id)
    if agreement is None:
        return []
    return [f"- **{content.text('export.new_agreement')}**: {md_line(agreement.text)}"]


def _checkins(store: CoupleStore, content: Content, partners: list[Partner]) -> list[str]:
    text = content.text
    lines = [f"## {text('export.checkins')}", ""]
    months = checkins_by_month(store.checkins(), [p.id for p in partners])
    if not months:
        return [*lines, text("export.none"), ""]
    lines += [text("export.checkins_intro"), ""]
    heading = [text("export.month")]
    for partner in partners:
        name = md_cell(partner.name)
        heading += [text("export.count_of", name=name), text("export.average_of", name=name)]
    lines.append("| " + " | ".join(heading) + " |")
    lines.append("|" + " --- |" * len(heading))
    for month in months:
        cells = [day_words(content, month.month, "month")]
        for partner in partners:
            average = month.averages.get(partner.id)
            cells += [str(month.counts.get(partner.id, 0)), f"{average:.1f}" if average is not None else "–"]
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]


# -- JSON ------------------------------------------------------------------------------------------


def export_json(store: CoupleStore, today: dt.date | None = None) -> str:
    """Every record this version can read, validated, by kind (ASCII JSON, stable order).

    The export of a sealed notebook is sealed too, with the notebook's key:
    only the couple's machines open it (``open_export``).
    """
    records: dict[str, list[dict[str, Any]]] = {}
    for kind, model in sorted(KINDS.items()):
        if kind in PLAIN_KINDS:  # machines and their keys: this notebook's locks, not its story
            continue
        held = sorted(store.records(model), key=lambda record: (record.created, record.id))
        if held:
            records[kind] = [record.model_dump(mode="json") for record in held]
    document = {
        "kintsugi_export": EXPORT_VERSION,
        "schema_version": SCHEMA_VERSION,
        "file_id": store.file_id,
        "exported_on": (today or dt.date.today()).isoformat(),
        "records": records,
    }
    if store.sealed:
        file_key = store.keyring.file_key(store.storage.read() or {})
        sealed = file_key.seal(EXPORT_KIND, document["exported_on"], records)
        del document["records"]
        document["sealed"] = {"key": file_key.id, "id": sealed.stored_id, "box": sealed.box}
    return json.dumps(document, indent=2, ensure_ascii=True, sort_keys=True) + "\n"


def open_export(store: CoupleStore, text: str) -> str:
    """A sealed JSON export of this notebook, opened (as ``export_json`` would have written it plain)."""
    try:
        document = json.loads(text)
        sealed = document.pop("sealed")
        file_key = store.keyring.file_key(store.storage.read() or {})
        if document.get("file_id") != store.file_id or sealed.get("key") != file_key.id:
            raise ValueError("another notebook's, or sealed with another key")
        _, _, records = file_key.open(sealed["id"], sealed["box"])
    except (ValueError, KeyError, TypeError, AttributeError, SealError):
        raise StoreError("export_not_ours") from None
    return json.dumps({**document, "records": records}, indent=2, ensure_ascii=True, sort_keys=True) + "\n"


# -- writing a file --------------------------------------------------------------------------------


def save_export(path: Path, document: str) -> Path:
    """Write the export to ``path`` (created 0600: this is intimate writing); StoreError if it cannot."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise StoreError("export_folder", path=path, example=path / "kintsugi.md")
    try:
        atomic_write(path, document)
    except OSError as error:
        raise StoreError("export_unwritable", path=path, why=error.strerror or error) from None
    return path


def default_export_name(today: dt.date, fmt: str) -> str:
    return f"kintsugi-{today.isoformat()}.{fmt}"
