"""Text from the couple's file is data on every screen: never markup, never terminal control codes.

One couple's file where every text a partner can write holds hostile text
(markup with actions and links, escape sequences, a bell, bidi overrides, NUL,
a 5,000-character line, blank-looking text, emoji, combining and right-to-left
characters), walked screen by screen: the app keeps running, the words show
as typed, and no ESC or BEL reaches the terminal.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from textual.markup import to_content

from app.cli import main
from app.domain.calm import RepairPhrase
from app.domain.models import Agreement, Celebration
from app.domain.practices.celebrate import SharedGoal
from app.domain.practices.kindness import CompassionBreak, KindReply
from app.domain.practices.openly import CalmMoment, IStatement, ListeningTurn
from app.domain.practices.origins import Origin, Trigger
from app.domain.practices.patterns import Boundary, Pattern, SpaceWish
from app.domain.practices.present import Grounding, PresentMoment
from app.domain.practices.support import BOTH, SessionQuestion, SupportContact, SupportSession
from app.domain.practices.trust import Commitment
from app.domain.practices.wounds import Wound
from app.store.couple import CoupleStore
from app.store.files import canonical_json
from app.store.local import LocalState
from app.store.sync import sync_with
from app.tui.widgets.safe import kept, safe_markup, safe_str
from tests.support.files import records
from tests.support.tui import WIDE, screen_text

TODAY = dt.date(2026, 11, 18)
WORLD = "e\u0301 👩\u200d❤\ufe0f\u200d👨 שלום"  # a combining accent, joined emoji, right-to-left
NASTY = f"[bold red]x [link=https://example.com]y[/link] \x1b[2J\x1b[31mred \x07bell a\u202eb \x00 {WORLD}"
ME = "[@click=app.quit]Alex[/]\x1b[2J"
OTHER = "[bold red]Sam\x07\u202e"
LONG_LINE = "w" * 5_000

# How they show: as typed, control characters written out.
MARKUP = "[bold red]x [link=https://example.com]y[/link]"
ESCAPES = "\\x1b[2J\\x1b[31mred"
SHOWN_ME = "[@click=app.quit]Alex[/]\\x1b[2J"
SHOWN_OTHER = "[bold red]Sam\\x07\\u202e"
TALL = (160, 90)  # every practice's lists in view, and every column of "our file"'s table
CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def hostile(what: str) -> str:
    """Text for one field: an action link naming the field, then everything else that could bite."""
    return f"[@click=app.quit]{what}[/] {NASTY}"


def short(what: str) -> str:
    """The same for a field of a few words (a name, a mood: 60 characters at most)."""
    return f"[@click=app.quit]{what}\x1b[2J\x07\u202e"


def start(what: str) -> str:
    """How ``hostile(what)`` starts on the screen."""
    return f"[@click=app.quit]{what}[/]"


def shown_short(what: str) -> str:
    """How ``short(what)`` shows."""
    return f"[@click=app.quit]{what}\\x1b[2J\\x07\\u202e"


MY_NOTE = f"\x1b[31m{hostile('my check-in')}"  # an escape first: where a form field shows it


def hostile_couple(db_path: Path, tmp_path: Path) -> CoupleStore:
    """Every kind of record, each of its texts that reach a screen hostile; ME is at this machine."""
    store = CoupleStore(db_path)
    me, other = (p.id for p in store.init(ME, OTHER))
    day = TODAY

    party = store.add_celebration(
        other, hostile("party"), note=f"{hostile('party note')}\n   \n{LONG_LINE}", day=day, step=1
    )
    store.react(party.id, me, hostile("reaction"))
    store.add_celebration(me, short("small win"), note="   ", day=day - dt.timedelta(days=1), step=9)

    signed = store.add_agreement(other, hostile("agreement"), list_name=hostile("list"), why=hostile("why"))
    store.sign(signed.id, other)
    store.sign(signed.id, me)
    store.edit_agreement(signed.id, me, text=hostile("agreement"), why=f"{hostile('why')} {LONG_LINE}")
    revisit = store.add_agreement(me, hostile("second agreement"), list_name=hostile("list"), review_on=day)
    store.set_revisit(revisit.id, hostile("revisit"), other)

    store.check_in(me, 4, mood=short("my mood"), note=MY_NOTE, day=day)
    store.check_in(other, 2, mood=short("their mood"), note=f"   {hostile('their check-in')}", day=day)

    # The writer's entries: some private (this machine's local file), some shared.
    for author, whose, private in ((me, "my", True), (other, "their", False)):
        store.add_entry(
            Wound,
            author,
            private=private,
            what=hostile(f"{whose} wound"),
            where=hostile(f"{whose} where"),
            feeling=short(f"{whose} feel"),
        )
        store.add_entry(
            Origin,
            author,
            when=short(f"{whose} when"),
            happened=hostile(f"{whose} happened"),
            mark=hostile(f"{whose} mark"),
            today=hostile(f"{whose} today"),
        )
        store.add_entry(
            Trigger,
            author,
            private=private,
            trigger=hostile(f"{whose} trigger"),
            story=hostile(f"{whose} story"),
            helps=hostile(f"{whose} helps"),
        )
        store.add_entry(
            IStatement,
            author,
            when=hostile(f"{whose} see"),
            feeling=short(f"{whose} feeling"),
            need=hostile(f"{whose} need"),
            request=hostile(f"{whose} request"),
        )
        store.add_entry(KindReply, author, harsh=hostile(f"{whose} harsh"), kind=hostile(f"{whose} kind"))
        store.add_entry(
            Grounding,
            author,
            private=private,
            day=day,
            **{sense: hostile(f"{whose} {sense}") for sense in ("see", "touch", "hear", "smell", "taste")},
        )
        store.create(
            Boundary, author, text=hostile(f"{whose} boundary"), why=hostile(f"{whose} boundary why")
        )
        store.create(SpaceWish, author, what=hostile(f"{whose} space"), how_often=short(f"{whose} often"))
    store.add_entry(KindReply, me, private=True, harsh=hostile("private harsh"), kind="   ")
    store.add_entry(CompassionBreak, me, private=True, day=day, note=hostile("break note"))
    store.create(
        ListeningTurn,
        other,
        speaker=other,
        listener=me,
        said=hostile("said"),
        paraphrases=[hostile("paraphrase")],
        confirmed=True,
        day=day,
    )
    store.create(CalmMoment, other, day=day, at=hostile("at"), topic=hostile("topic"))
    store.create(RepairPhrase, other, text=hostile("phrase"))
    store.create(
        SupportContact, other, name=hostile("contact"), reach=hostile("reach"), notes=hostile("contact notes")
    )
    store.create(
        SupportSession, other, day=day, who=BOTH, takeaways=hostile("takeaways"), homework=hostile("homework")
    )
    store.create(SessionQuestion, other, text=hostile("session question"))
    store.create(
        Commitment, other, partner=other, what=hostile("commitment"), since=day - dt.timedelta(days=3)
    )
    store.create(
        Pattern,
        other,
        trigger=hostile("pattern"),
        old_reaction=hostile("old reaction"),
        cost=hostile("cost"),
        new_response=hostile("new response"),
    )
    store.create(PresentMoment, other, day=day, line=hostile("present"))
    store.create(SharedGoal, other, what=hostile("goal"))

    store.give_answer(me, hostile("my answer"), day=day)
    store.give_answer(other, hostile("their answer"), day=day)
    half = {part: hostile(f"my {part}") for part in ("feelings", "view", "set_me_up", "regret", "apology")}
    repair = store.save_half(me, half, about=hostile("repair"), day=day)
    store.save_half(
        other,
        {"view": hostile("their view"), "apology": hostile("their apology")},
        repair_id=repair.id,
    )
    store.hold_meeting(
        other,
        day=day - dt.timedelta(days=7),
        appreciations={me: hostile("my thanks"), other: hostile("their thanks")},
        went_well=hostile("went well"),
        issue=hostile("issue"),
        issue_notes=hostile("issue notes"),
        needs={me: hostile("my need"), other: hostile("their need")},
        agreement=hostile("meeting agreement"),
    )

    # Both wrote an agreement's words apart: "Our file" shows the other text beside the winning one.
    copy = tmp_path / "sams" / "couple.json"
    copy.parent.mkdir()
    shutil.copy(store.path, copy)
    sams = CoupleStore(copy, LocalState(tmp_path / "sams" / "local.json"))
    sams.update(Agreement, revisit.id, other, text=hostile("their wording"))
    store.update(Agreement, revisit.id, me, text=hostile("my wording"))
    sync_with(store, copy)

    # A damaged or hand-edited file: text kept aside under a field name no model has.
    data = json.loads(db_path.read_text(encoding="utf-8"))
    raw = data[Celebration.KIND][party.id]
    raw["history"]["\x1b]0;[b]gone\x07"] = {raw["created"]: {"value": hostile("kept aside"), "seen": False}}
    db_path.write_text(canonical_json(data), encoding="utf-8")
    store.refresh()
    return store


def leaks(shown: str) -> list[str]:
    """The lines of ``screen_text`` (the segments about to reach the terminal) that hold a control
    character: ESC, BEL, a bidi override ..."""
    return [line for line in shown.split("\n") if CONTROLS.search(line)]


@dataclass(frozen=True)
class Visit:
    """Press ``keys``: the screen then shows each of ``shows``."""

    where: str
    keys: tuple[str, ...]
    shows: tuple[str, ...]


def palette(where: str, *shows: str) -> Visit:
    """The command palette, narrowed to the entries holding the couple's words (only they have an "@")."""
    return Visit(f"the palette on {where}", ("ctrl+p", "@"), shows)


NAMES = (f"Writing as {SHOWN_ME}", SHOWN_OTHER)
PRACTICES = {
    1: (
        start("my wound"),
        start("their wound"),
        shown_short("my feel"),
        f"{SHOWN_OTHER} shared a wound with you",
    ),
    2: (
        shown_short("my when"),
        f"Left: {start('my mark')}",
        start("their happened"),
        f"Story: {start('my story')}",
    ),
    3: (
        f"When I see {start('my see')}",
        shown_short("their feeling"),
        start("said"),
        f"{SHOWN_OTHER} spoke",
        start("topic"),
    ),
    4: (f"Reach: {start('reach')}", f"Took away: {start('takeaways')}", f"○ {start('session question')}"),
    5: (start("commitment"), f"{SHOWN_OTHER} keeps this"),
    6: (start("my harsh"), start("their kind"), f"shared with {SHOWN_OTHER}", f"Shared by {SHOWN_OTHER}"),
    7: (
        start("pattern"),
        f"Old way: {start('old reaction')}",
        start("my boundary"),
        f"{SHOWN_OTHER}'s",
        start("their space"),
    ),
    8: (
        f"Saw: {start('their see')}",
        f"Tasted: {start('their taste')}",
        f"Saw: {start('my see')}",
        start("present"),
    ),
    9: (f"Wed 18 Nov  {start('party')}", shown_short("small win"), f"○ {start('goal')}"),
}
STEP_PALETTES = {
    4: (f"Asked at the session: {start('session question')}",),
    5: (f"Kept today: {start('commitment')}", f"({SHOWN_OTHER} keeps this one)"),
    6: (f"Share: {start('private harsh')}", f"let {SHOWN_OTHER} read this thought"),
}


def walk() -> Iterator[Visit]:
    """Every mode and screen, in an order that keeps the key presses few."""
    yield Visit(
        "the dashboard", (), (*NAMES, start("party"), start("agreement"), start("my wording"), ESCAPES)
    )
    yield palette("the dashboard", f"Celebrate: You both signed: {start('agreement')} [bold red]x [link=h")
    leave = ("escape",)  # what closes the screen shown last
    for number in range(1, 10):
        yield Visit(f"step {number}, About", (*leave, str(number)), NAMES)
        yield Visit(f"step {number}, Practice", ("p",), (*PRACTICES[number], ESCAPES))
        leave = ("p",)  # back to the About tab
        if number in STEP_PALETTES:
            yield palette(f"step {number}", *STEP_PALETTES[number])
            leave = ("escape", "p")
        if number == 2:
            yield Visit(
                "the form for one's own entry", ("e",), (shown_short("my when"), start("my happened"))
            )
            leave = ("escape", "p")
    yield Visit(
        "the agreements (a)",
        (*leave, "a"),
        (
            f"Signing as {SHOWN_ME}",
            f"hands over to {SHOWN_OTHER}",
            start("my wording"),
            f"Why: {start('why')}",
        ),
    )
    yield palette("the agreements", f"Take back {SHOWN_ME}'s signature")
    yield Visit("changing an agreement", ("escape", "e"), (f"Changing it as {SHOWN_ME}", start("agreement")))
    yield Visit("the celebration log (l)", ("escape", "l"), (start("party"), shown_short("small win")))
    yield Visit(
        "a celebration from the log",
        ("enter",),
        (f"Logged by {SHOWN_OTHER}", start("party note"), "w" * 60, ESCAPES, "Save", "Close"),
    )
    yield Visit(
        "the check-in (k)",
        ("escape", "k"),
        (f"Check in · {SHOWN_ME}", "\\x1b[31m[@click=app.quit]my", "Cancel"),
    )
    yield Visit(
        "the weekly talk (m)", ("escape", "m"), (f"{SHOWN_ME}:", start("my thanks"), start("their thanks"))
    )
    yield Visit("the weekly talk, what went well", ("ctrl+n",), (start("went well"),))
    yield Visit("the weekly talk, one issue", ("ctrl+n",), (start("issue"), start("issue notes")))
    yield Visit("the weekly talk, needs", ("ctrl+n",), (f"What {SHOWN_OTHER} needs", start("their need")))
    yield Visit("the help (?)", ("escape", "question_mark"), NAMES[:1])
    yield Visit(
        "the calm screen (!)",
        ("escape", "exclamation_mark"),
        (f"“{start('phrase')} [bold red]x", f"by {SHOWN_OTHER}"),
    )
    yield Visit(
        "our file (f)",
        ("escape", "f"),
        (
            f"{SHOWN_OTHER}'s celebration, its \\x1b]0;[b]gone\\x07",
            f"{start('my wording')} [bold red]x",
            "[@click=app.quit]kept",
        ),
    )
    yield Visit(
        "today's question, from the palette",
        ("ctrl+p", *"question", "enter"),
        (f"{SHOWN_ME}  ✎ writing now", start("my answer"), start("their answer"), ESCAPES),
    )
    yield Visit(
        "repair talks, from the palette",
        ("escape", "ctrl+p", *"repair", "enter"),
        (start("repair"), f"{SHOWN_OTHER}'s half", start("my feelings"), start("their view")),
    )
    yield Visit(
        "writing one's half of a repair",
        ("e",),
        (start("my view"), start("my apology"), start("their apology")),
    )


@pytest.mark.parametrize("words", [NASTY, ME, "[link=https://exa…", "a [b]x[/b", "\\[red] C:\\", "[/]"])
def test_palette_markup_shows_the_words_as_typed(words: str) -> None:
    """What the palette reads as markup; Textual's own escape() lets a cut-short tag through."""
    assert to_content(safe_markup(words)).plain == safe_str(words)


def test_a_field_gives_back_the_stored_words_when_left_as_shown() -> None:
    stored = f"{hostile('note')}\n\tsecond line"
    shown = safe_str(stored)
    assert not CONTROLS.search(shown) and "\n" not in shown
    assert kept(shown, stored) == stored
    assert kept(f"{shown}!", stored) == f"{shown}!"
    in_area = safe_str(stored, one_line=False)
    assert in_area.endswith("\n    second line") and kept(in_area, stored, one_line=False) == stored


async def test_every_screen_shows_hostile_text_as_typed(db_path: Path, tmp_path: Path, make_app) -> None:
    store = hostile_couple(db_path, tmp_path)
    app = make_app(store, today=TODAY)
    async with app.run_test(size=TALL) as pilot:
        await pilot.pause()
        before = db_path.read_bytes()  # once the answers both gave are revealed, on opening
        await pilot.click("#celebrations", offset=(14, 0))  # right on the would-be [@click=app.quit]
        for visit in walk():
            await pilot.press(*visit.keys)
            await pilot.pause()
            shown = screen_text(app)
            assert app.is_running, visit.where
            assert not leaks(shown), (visit.where, leaks(shown))
            missing = [words for words in visit.shows if words not in shown]
            assert not missing, (visit.where, missing, shown)
        assert app.acting == store.partners[0].id
    assert db_path.read_bytes() == before  # looking changed nothing, and no dialog saved on its way out


def test_the_command_line_prints_hostile_text_escaped(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile_couple(db_path, tmp_path)
    assert main(["agreements"]) == 0
    listed = capsys.readouterr().out
    assert main(["export", "--format", "md"]) == 0
    exported = capsys.readouterr().out
    for out in (listed, exported):
        assert not CONTROLS.search(out.replace("\n", "")), out
    assert f"{start('my wording')} {MARKUP} {ESCAPES}" in listed
    # both signed at this one machine: Sam's signature says so, the names escaped there too
    assert f"(signed: {SHOWN_ME}, {SHOWN_OTHER} (together at {SHOWN_ME}'s keyboard))" in listed
    # In Markdown, what would be read as a link or an emphasis is escaped too: it shows as typed.
    md_markup = r"\[bold red\]x \[link=https://example.com\]y\[/link\] \x1b\[2J\x1b\[31mred \x07bell"
    for what in ("list", "agreement", "why", "revisit", "party", "party note", "reaction", "my thanks"):
        assert rf"\[@click=app.quit\]{what}\[/\] {md_markup}" in exported, what
    assert r"\[@click=app.quit\]Alex\[/\]\x1b\[2J and \[bold red\]Sam\x07\u202e" in exported


async def test_a_form_left_as_shown_keeps_the_words_as_they_were(
    db_path: Path, tmp_path: Path, make_app
) -> None:
    """Form fields show the couple's words made safe; saved untouched, the file keeps the words themselves."""
    store = hostile_couple(db_path, tmp_path)
    me = store.partners[0].id
    app = make_app(store, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("k")  # today's check-in again: only closer, 5
        await pilot.pause()
        await pilot.click("#checkin-connection", offset=(2, 4))
        await pilot.click("#checkin-save")
        await pilot.press("2", "p", "e")  # the writer's own experience, on step 2: only a year added
        await pilot.pause()
        await pilot.click("#form-year")
        await pilot.press(*"2001", "ctrl+s")
        await pilot.pause()
        await pilot.press("6", "e")  # the writer's own harsh thought: only a word put before the kinder reply
        await pilot.pause()
        await pilot.press("tab", *"Yes. ", "ctrl+s")  # from the harsh thought to the kinder reply's start
        await pilot.pause()
        assert app.is_running
    checkin = next(c for c in records(db_path, "checkin") if c["partner"] == me)
    assert (checkin["connection"], checkin["mood"], checkin["note"]) == (5, short("my mood"), MY_NOTE)
    origin = next(o for o in records(db_path, "origin") if o["happened"] == hostile("my happened"))
    assert origin["year"] == 2001
    assert (origin["when"], origin["mark"], origin["today"]) == (
        short("my when"),
        hostile("my mark"),
        hostile("my today"),
    )
    reply = next(r for r in records(db_path, "kind_reply") if r["kind"].startswith("Yes. "))
    assert reply["harsh"] == hostile("my harsh")
    assert reply["kind"].startswith(f"Yes. {start('my kind')} {MARKUP} {ESCAPES}")  # changed: kept as shown
