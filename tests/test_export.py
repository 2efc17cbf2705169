"""The keepsake export: Markdown line by line, JSON, escaping, privacy, and `kintsugi export`."""

from __future__ import annotations

import datetime as dt
import json
import stat
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from app.cli import main
from app.content import Content, load_content
from app.domain.models import Celebration, StepStatus
from app.export import export_json, export_markdown, md_line, md_quote, save_export
from app.store.couple import CoupleStore
from app.store.storage import StoreError

TODAY = dt.date(2026, 5, 17)
SECRET = "SECRET-kept-on-this-machine"


@pytest.fixture
def content() -> Content:
    return load_content()


def day(days_ago: int) -> dt.date:
    return TODAY - dt.timedelta(days=days_ago)


@pytest.fixture
def journey(store: CoupleStore) -> CoupleStore:
    """A small, fixed journey, plus private words that must never leave this machine."""
    alex, sam = store.partner_named("Alex"), store.partner_named("Sam")
    store.set_progress(alex.id, 1, StepStatus.INTEGRATED)
    store.set_progress(sam.id, 1, StepStatus.PRACTISING)
    store.set_progress(sam.id, 2, StepStatus.EXPLORING)
    rest = store.add_agreement(sam.id, "We rest on Sundays", why="We are tired")
    store.sign(rest.id, sam.id)
    store.edit_agreement(rest.id, sam.id, text="We rest on Sundays, phones off", why="We are tired")
    store.sign(rest.id, sam.id)
    store.sign(rest.id, alex.id)
    store.add_agreement(alex.id, "No big decisions after ten", list_name="When things get hard")
    walk = store.add_celebration(alex.id, "First walk", day=day(40), step=1, note="Cold hands.\nWarm talk.")
    store.react(walk.id, sam.id, "So glad")
    store.add_celebration(sam.id, "Ten years", day=day(2), size="anniversary")
    store.hold_meeting(
        alex.id,
        day=day(7),
        appreciations={alex.id: "You made tea", sam.id: "You listened"},
        went_well="The walk",
        issue="Phones",
        needs={sam.id: "Quiet mornings"},
        agreement="Phones in the hall",
    )
    for days, score in ((0, 4), (1, 3), (35, 2)):
        store.check_in(alex.id, score, day=day(days))
    store.check_in(sam.id, 5, day=day(0))
    # Private: a private entry and a preference, both only in this machine's local file.
    store.add_entry(Celebration, alex.id, private=True, title=SECRET, day=day(1))
    store.local.set_preference("draft", SECRET)
    assert SECRET in store.local.path.read_text(encoding="utf-8")
    return store


def test_the_markdown_keepsake_line_by_line(journey: CoupleStore, content: Content) -> None:
    document = export_markdown(journey, content, TODAY)
    assert document.splitlines() == [
        "# Kintsugi: Alex and Sam",
        "",
        "Written out on Sunday 17 May 2026. Private entries stay on the machine they were written on "
        "and are never in here.",
        "",
        "## The nine steps",
        "",
        "| Step | Alex | Sam |",
        "| --- | --- | --- |",
        "| 1. Acknowledge the wounds | Integrated | Practising |",
        "| 2. Understand the origins | Not started | Exploring |",
        "| 3. Communicate openly | Not started | Not started |",
        "| 4. Seek professional support | Not started | Not started |",
        "| 5. Rebuild trust gradually | Not started | Not started |",
        "| 6. Practise self-compassion | Not started | Not started |",
        "| 7. Break unhealthy patterns | Not started | Not started |",
        "| 8. Stay present | Not started | Not started |",
        "| 9. Celebrate every step forward | Not started | Not started |",
        "",
        "## Agreements",
        "",
        "### Our agreements",
        "",
        "- **Agreed by both**: We rest on Sundays, phones off",
        "  - proposed by Sam; signed by Alex, Sam",
        "  - Why: We are tired",
        "  - Earlier wording: We rest on Sundays",
        "- **Proposed**: Phones in the hall",
        "  - proposed by Alex",
        "",
        "### When things get hard",
        "",
        "- **Proposed**: No big decisions after ten",
        "  - proposed by Alex",
        "",
        "## Celebrations",
        "",
        "### May 2026",
        "",
        "- **15 May** · Anniversary: Ten years (logged by Sam)",
        "",
        "### April 2026",
        "",
        "- **7 April** · step 1: First walk (logged by Alex)",
        "  > Cold hands.",
        "  > Warm talk.",
        "  - Sam: So glad",
        "",
        "## Weekly talks",
        "",
        "### Sunday 10 May 2026",
        "",
        "- **Appreciations**",
        "  - Alex: You made tea",
        "  - Sam: You listened",
        "- **What went well**",
        "  > The walk",
        "- **One thing to talk through**",
        "  > Phones",
        "- **What each of you needs**",
        "  - Sam: Quiet mornings",
        "- **New agreement**: Phones in the hall",
        "",
        "## Check-ins",
        "",
        "How many times each of you checked in, and the average connection (1 far apart, 5 very close), "
        "month by month.",
        "",
        "| Month | Alex: check-ins | Alex: average | Sam: check-ins | Sam: average |",
        "| --- | --- | --- | --- | --- |",
        "| May 2026 | 2 | 3.5 | 1 | 5.0 |",
        "| April 2026 | 1 | 2.0 | 0 | – |",
    ]


def test_nothing_from_the_local_file_is_exported(journey: CoupleStore, content: Content) -> None:
    local_text = journey.local.path.read_text(encoding="utf-8")
    markdown = export_markdown(journey, content, TODAY)
    as_json = export_json(journey, TODAY)
    local = json.loads(local_text)
    private_ids = [record_id for kinds in _tables(local) for record_id in kinds]
    assert private_ids  # the private entry is there, on this machine
    assert SECRET in local_text
    for document in (markdown, as_json):
        assert SECRET not in document
        assert not [record_id for record_id in private_ids if record_id in document]
    # No words at all from this machine's preferences or private entries reach the Markdown.
    for value in _strings(local.get("preferences", {})) + _strings(_tables(local)):
        if len(value) > 8:
            assert value not in markdown


def _tables(local: dict) -> list[dict]:
    """Every private table in a local file (files -> file id -> private -> kind -> records)."""
    return [table for entry in local.get("files", {}).values() for table in entry.get("private", {}).values()]


def _strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in _strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in _strings(value)]
    return []


def test_the_json_holds_every_shared_record_validated(journey: CoupleStore) -> None:
    document = json.loads(export_json(journey, TODAY))
    assert document["kintsugi_export"] == 1 and document["exported_on"] == "2026-05-17"
    assert document["file_id"] == journey.file_id
    records = document["records"]
    assert sorted(records) == [
        "agreement",
        "agreement_list",
        "celebration",
        "checkin",
        "meeting",
        "partner",
        "progress",
    ]
    assert [c["title"] for c in records["celebration"]] == ["First walk", "Ten years"]
    sam = journey.partner_named("Sam").id
    assert records["celebration"][0]["reactions"] == {sam: "So glad"}
    assert len(records["checkin"]) == 4 and len(records["meeting"]) == 1
    assert export_json(journey, TODAY) == export_json(journey, TODAY)  # stable


# -- escaping -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("# not a heading", "\\# not a heading"),
        ("1. not a list", "1\\. not a list"),
        ("- not a list", "\\- not a list"),
        ("> not a quote", "\\> not a quote"),
        ("===", "\\==="),
        ("a | b", "a \\| b"),
        ("[link](http://x)", "\\[link\\](http://x)"),
        ("<script>", "\\<script\\>"),
        ("*bold* _it_ `code`", "\\*bold\\* \\_it\\_ \\`code\\`"),
        ("back\\slash", "back\\\\slash"),
        ("bell\x07 clear\x1b[2J", "bell\\x07 clear\\x1b\\[2J"),
        ("rtl\u202eevil", "rtl\\u202eevil"),
        ("two\nlines", "two lines"),
        ("plain words, stay plain.", "plain words, stay plain."),
    ],
)
def test_partner_text_cannot_change_the_structure(typed: str, written: str) -> None:
    assert md_line(typed) == written


def test_a_quote_escapes_every_line() -> None:
    assert md_quote("one\n---\n\n# two", indent="  ") == ["  > one", "  > \\---", "  >", "  > \\# two"]


def test_hostile_words_stay_words_in_the_rendered_document(db_path: Path, content: Content) -> None:
    store = CoupleStore(db_path)
    alex, sam = store.init("# Alex | x", "Sam\x1b[31m")
    store.add_celebration(alex.id, "## Boom\n| a | b |", day=TODAY, note="---\n# heading\n```")
    store.add_agreement(sam.id, "1. [click](javascript:x) <b>")
    document = export_markdown(store, content, TODAY)
    assert "\x1b" not in document
    tokens = MarkdownIt("commonmark").enable("table").parse(document)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == [
        "Kintsugi: \\# Alex \\| x and Sam\\x1b\\[31m",
        "The nine steps",
        "Agreements",
        "Our agreements",
        "Celebrations",
        "May 2026",
        "Weekly talks",
        "Check-ins",
    ]
    assert not [t for t in tokens if t.type in {"link_open", "html_block", "html_inline", "fence", "hr"}]
    header_cells = [t for t in tokens if t.type == "th_open"]
    assert len(header_cells) == 3  # Step, and one column a partner, whatever their names hold
    rendered = MarkdownIt("commonmark").enable("table").render(document)
    assert "# Alex | x" in rendered and "1. [click](javascript:x) &lt;b&gt;" in rendered


# -- writing files and the command --------------------------------------------------------------


def test_an_export_file_is_private_to_its_owner(tmp_path: Path) -> None:
    written = save_export(tmp_path / "out" / "keepsake.md", "# hi\n")
    assert written.read_text(encoding="utf-8") == "# hi\n"
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    with pytest.raises(StoreError, match="is a folder"):
        save_export(tmp_path, "x")


def test_kintsugi_export_writes_markdown_or_json(
    journey: CoupleStore, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "keepsake.md"
    assert main(["--db", str(db_path), "export", "-o", str(out)]) == 0
    written, warning = capsys.readouterr().out.splitlines()
    assert written == f"Wrote your journey to {out}."
    assert warning == "It is plain text, meant to be read: keep it where only the two of you look."
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Kintsugi: Alex and Sam\n") and "## Check-ins" in text
    assert SECRET not in text
    assert main(["--db", str(db_path), "export", "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert "meeting" in printed["records"] and SECRET not in json.dumps(printed)


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "--format", "pdf"],
        ["export", "-o", "{folder}"],
        ["--db", "{missing}", "export"],
    ],
)
def test_kintsugi_export_problems_are_one_line(
    journey: CoupleStore, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    argv = [arg.format(folder=tmp_path, missing=tmp_path / "nope.json") for arg in argv]
    code = main(argv if argv[0] == "--db" else ["--db", str(db_path), *argv])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.splitlines()) == 1 and err.startswith("kintsugi: ") and "Traceback" not in err
