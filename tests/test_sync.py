"""The ways two copies meet, each for real: conflict copies, a copy handed over, git."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.domain.clock import HybridClock, format_stamp, parse_stamp
from app.domain.merge import MergeReport
from app.domain.models import Agreement, Celebration, Progress, StepStatus, wording_key
from app.store.couple import CoupleStore
from app.store.couple_file import parse_couple_file
from app.store.files import canonical_json
from app.store.local import LocalState
from app.store.storage import StoreError
from app.store.sync import (
    find_conflict_copies,
    git_setup,
    merge_conflict_copies,
    sync_with,
)
from tests.support.words import describe, left_why

REPO = Path(__file__).resolve().parent.parent
SYNCTHING = "couple.sync-conflict-20250501-101112-ABCDEF7.json"


def ids(store: CoupleStore) -> tuple[str, str]:
    alex, sam = store.partners
    return alex.id, sam.id


def sams_copy(store: CoupleStore, tmp_path: Path, other_machine, name: str = "sam") -> CoupleStore:
    """Sam's machine with a copy of the file as it is now."""
    target = tmp_path / f"{name}-machine" / "couple.json"
    target.parent.mkdir()
    shutil.copyfile(store.path, target)
    return other_machine(target, name)


# -- finding conflict copies -------------------------------------------------------------------

COPIES = [
    SYNCTHING,
    "couple.sync-conflict-20250501-101112-7QXK2LM.json",
    "couple (Sam's conflicted copy 2025-05-01).json",
    "couple (Sam's conflicted copy 2025-05-01 (1)).json",
    "couple (Sam's conflicted copy 2025-05-01) (2).json",
    "couple (Sam (laptop)'s conflicted copy 2025-05-01).json",
    "couple (Sam\u2019s conflicted copy 2025-05-01).json",
    "couple (conflicted copy 2025-05-01 101112).json",
    "couple_conflict-20250501-101112.json",
    "couple 2.json",
    "couple 13.json",
    "couple (1).json",
]
NOT_COPIES = [
    "couple.json",
    ".syncthing.couple.json.tmp",
    "~syncthing~couple.json.tmp",
    ".dropbox",
    ".dropbox.attr",
    "couple.json.partial",
    "couple (1).json.partial",
    ".couple.json.4242.tmp",
    "couple.json.bak",
    "couples.json",
    "couple 2.txt",
    "couple2.json",
    "couple (one).json",
    "other.sync-conflict-20250501-101112-ABCDEF7.json",
    "couple.sync-conflict-20250501-101112-ABCDEF7.txt",
    "couple (Sam's conflicted copy yesterday).json",
    "couple 2024.json",
]


def test_conflict_copies_of_every_sync_service_are_found_and_nothing_else(tmp_path: Path) -> None:
    folder = tmp_path / "Dropbox"
    folder.mkdir()
    for name in COPIES + NOT_COPIES:
        (folder / name).write_text("{}")
    (folder / "couple 3.json").mkdir()  # a folder is never a copy
    assert find_conflict_copies(folder / "couple.json") == sorted(folder / name for name in COPIES)


def test_the_file_name_is_taken_literally(tmp_path: Path) -> None:
    path = tmp_path / "us (v2) + notes.kintsugi"
    names = [
        "us (v2) + notes.sync-conflict-20250501-101112-ABCDEF7.kintsugi",
        "us (v2) + notes (Sam's conflicted copy 2025-05-01).kintsugi",
        "us (v2) + notes 2.kintsugi",
        "us (v2) + notes (1).kintsugi",
    ]
    decoys = ["us (v2)  notes 2.kintsugi", "us (v2) + notes 2.json", "usX(v2) + notes (1).kintsugi"]
    for name in names + decoys:
        (tmp_path / name).write_text("{}")
    assert find_conflict_copies(path) == sorted(tmp_path / name for name in names)


def test_no_folder_means_no_copies(tmp_path: Path) -> None:
    assert find_conflict_copies(tmp_path / "missing" / "couple.json") == []


# -- merging conflict copies -------------------------------------------------------------------


def test_a_syncthing_copy_is_merged_and_moved_aside(
    store: CoupleStore, tmp_path: Path, other_machine
) -> None:
    alex, sam = ids(store)
    sam_store = sams_copy(store, tmp_path, other_machine)
    future = HybridClock(sam_store.local.replica_id, now_ms=lambda: 4_000_000_000_000)
    sam_store.clock = future  # Sam's clock runs far ahead
    made = sam_store.add_celebration(sam, "We laughed at dinner")
    store.add_celebration(alex, "A quiet morning")
    copy = store.path.parent / SYNCTHING
    shutil.copyfile(sam_store.path, copy)

    outcomes = merge_conflict_copies(store)

    assert [o.path for o in outcomes] == [copy]
    (outcome,) = outcomes
    assert outcome.merged and outcome.error is None and not outcome.left_because
    assert outcome.report.added == [("celebration", made.id)]
    assert {c.title for c in store.celebrations()} == {"We laughed at dinner", "A quiet morning"}
    on_disk = parse_couple_file(store.path.read_text(encoding="utf-8"), store.path)
    assert made.id in on_disk["celebration"]
    assert store.path.read_text(encoding="utf-8") == canonical_json(on_disk)
    # our clock observed their stamps: our next edit outranks theirs
    assert parse_stamp(store.clock.last)[:2] >= parse_stamp(made.updated)[:2]
    assert store.update(Celebration, made.id, alex, note="so much").updated > made.updated
    # moved, under its own name, into a private folder
    assert not copy.exists()
    merged = store.places.merged
    assert not (store.path.parent / ".kintsugi").exists()  # this machine's folder, not the synced one
    assert outcome.moved_to == merged / SYNCTHING
    assert outcome.moved_to.read_bytes() == sam_store.path.read_bytes()
    assert stat.S_IMODE(merged.stat().st_mode) == 0o700
    assert describe(outcome.report, store, source=copy) == f"1 new celebration came in from {SYNCTHING}."
    assert find_conflict_copies(store.path) == []


def test_a_copy_with_a_name_already_merged_is_kept_under_a_new_name(
    store: CoupleStore, tmp_path: Path, other_machine
) -> None:
    copy = store.path.parent / SYNCTHING
    for title in ("First", "Second"):
        sam_store = sams_copy(store, tmp_path, other_machine, name=f"sam-{title}")
        sam_store.add_celebration(ids(store)[1], title)
        shutil.copyfile(sam_store.path, copy)
        merge_conflict_copies(store)
    merged = sorted(p.name for p in store.places.merged.iterdir())
    assert merged == sorted([SYNCTHING, SYNCTHING.replace(".json", ".2.json")])
    assert {c.title for c in store.celebrations()} == {"First", "Second"}


def test_another_couples_file_is_refused_and_left_in_place(tmp_path: Path, store: CoupleStore) -> None:
    strangers = CoupleStore(tmp_path / "elsewhere" / "couple.json", LocalState(tmp_path / "l2" / "l.json"))
    strangers.init("Robin", "Kim")
    copy = store.path.parent / "couple (1).json"
    shutil.copyfile(strangers.path, copy)
    before = store.path.read_bytes()

    (outcome,) = merge_conflict_copies(store)

    assert not outcome.merged
    assert left_why(outcome) == "couple (1).json is another couple's file; it was left as it is."
    assert copy.exists()
    assert store.path.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"{ this is not json", "not valid JSON"),
        (b"", "empty"),
        (b"\xff\xfe\x00garbage", "not valid JSON"),
        (b'{"celebration": {}}', "not a Kintsugi file"),
    ],
)
def test_a_copy_that_is_not_a_couple_file_is_left_with_a_reason(
    store: CoupleStore, content: bytes, why: str
) -> None:
    copy = store.path.parent / "couple 2.json"
    copy.write_bytes(content)
    before = store.path.read_bytes()
    (outcome,) = merge_conflict_copies(store)
    assert not outcome.merged
    reason = left_why(outcome)
    assert reason.startswith("couple 2.json was left as it is: ")
    assert why in reason
    assert reason.count(".") >= 1 and "\n" not in reason
    assert copy.read_bytes() == content
    assert store.path.read_bytes() == before


def test_damaged_records_in_a_copy_are_kept_as_they_are_and_the_rest_merged(
    store: CoupleStore, tmp_path: Path, other_machine
) -> None:
    sam_store = sams_copy(store, tmp_path, other_machine)
    good = sam_store.add_celebration(ids(store)[1], "Good one")
    data = json.loads(sam_store.path.read_text(encoding="utf-8"))
    data["celebration"]["broken"] = {"author": "x"}
    data["wizard"] = {"w": {}}
    (store.path.parent / SYNCTHING).write_text(json.dumps(data), encoding="utf-8")

    (outcome,) = merge_conflict_copies(store)

    assert outcome.merged
    assert outcome.report.added == [("celebration", good.id)]
    assert set(outcome.report.damaged) == {("celebration", "broken"), ("wizard", "w")}
    assert outcome.report.skipped == []
    assert store.raw_table("celebration")["broken"] == {"author": "x"}  # nothing dropped: check lists it
    assert {(kind, rid) for kind, rid, _ in store.problems()} == {("celebration", "broken"), ("wizard", "w")}
    assert "1 new celebration came in" in describe(outcome.report, store)
    assert "2 damaged records came in and are kept as they are" in describe(outcome.report, store)


# -- a copy handed over ------------------------------------------------------------------------


@pytest.fixture
def two_copies(store: CoupleStore, tmp_path: Path, other_machine) -> tuple[CoupleStore, CoupleStore]:
    """Alex's file and Sam's copy, each with something the other lacks."""
    alex, sam = ids(store)
    sam_store = sams_copy(store, tmp_path, other_machine)
    store.add_celebration(alex, "Alex's walk")
    sam_store.add_celebration(sam, "Sam's song")
    sam_store.add_celebration(sam, "Sam's letter")
    sam_store.add_agreement(sam, "We say goodnight")
    return store, sam_store


def test_sync_brings_their_records_in(two_copies: tuple[CoupleStore, CoupleStore]) -> None:
    ours, theirs = two_copies
    their_bytes = theirs.path.read_bytes()
    outcome = sync_with(ours, theirs.path)
    assert outcome.wrote_ours and not outcome.wrote_other
    assert sorted(kind for kind, _ in outcome.came_in.added) == [
        "agreement",
        "agreement_list",
        "celebration",
        "celebration",
    ]
    assert [kind for kind, _ in outcome.went_out.added] == ["celebration"]
    assert {c.title for c in ours.celebrations()} == {"Alex's walk", "Sam's song", "Sam's letter"}
    assert theirs.path.read_bytes() == their_bytes
    line = describe(outcome.came_in, ours, source=theirs.path)
    folder = theirs.path.parent  # both files are couple.json: the line says which folder
    assert line == (
        f"2 new celebrations, 1 new agreement list and 1 new agreement came in from couple.json in {folder}."
    )
    assert describe(outcome.went_out, ours, source=theirs.path, direction="out") == (
        f"1 new celebration went out to couple.json in {folder}."
    )


def test_sync_both_leaves_two_identical_files(two_copies: tuple[CoupleStore, CoupleStore]) -> None:
    ours, theirs = two_copies
    outcome = sync_with(ours, theirs.path, both=True)
    assert outcome.wrote_ours and outcome.wrote_other
    assert ours.path.read_bytes() == theirs.path.read_bytes()
    theirs.refresh()
    assert {c.title for c in theirs.celebrations()} == {"Alex's walk", "Sam's song", "Sam's letter"}
    again = sync_with(theirs, ours.path, both=True)
    assert not again.came_in.anything and not again.went_out.anything
    assert not again.wrote_ours and not again.wrote_other
    assert ours.path.read_bytes() == theirs.path.read_bytes()
    assert describe(again.came_in, theirs, source=ours.path) == (
        f"Nothing new came in from couple.json in {ours.path.parent}."
    )


def test_a_copy_in_the_home_folder_is_named_from_there(store: CoupleStore, tmp_path: Path) -> None:
    downloads = Path.home() / "Downloads"
    downloads.mkdir()
    (downloads / "couple.json").write_bytes(store.path.read_bytes())
    outcome = sync_with(store, downloads / "couple.json")
    assert describe(outcome.came_in, store, source=downloads / "couple.json") == (
        "Nothing new came in from couple.json in ~/Downloads."
    )


def test_sync_dry_run_reports_and_writes_nothing(two_copies: tuple[CoupleStore, CoupleStore]) -> None:
    ours, theirs = two_copies
    before = ours.path.read_bytes(), theirs.path.read_bytes()
    outcome = sync_with(ours, theirs.path, both=True, dry_run=True)
    assert outcome.dry_run and not outcome.wrote_ours and not outcome.wrote_other
    assert len(outcome.came_in.added) == 4 and len(outcome.went_out.added) == 1
    assert (ours.path.read_bytes(), theirs.path.read_bytes()) == before
    assert {c.title for c in ours.celebrations()} == {"Alex's walk"}


def test_sync_refuses_another_couples_file(store: CoupleStore, tmp_path: Path) -> None:
    other = tmp_path / "other" / "couple.json"
    CoupleStore(other, LocalState(tmp_path / "l2" / "l.json")).init("Robin", "Kim")
    before = store.path.read_bytes(), other.read_bytes()
    with pytest.raises(StoreError) as caught:
        sync_with(store, other, both=True)
    assert str(caught.value) == f"{other} is another couple's file; nothing was merged."
    assert (store.path.read_bytes(), other.read_bytes()) == before


def test_sync_refuses_what_is_not_a_couple_file(store: CoupleStore, tmp_path: Path) -> None:
    other = tmp_path / "notes.json"
    other.write_text("[1, 2]")
    with pytest.raises(StoreError, match="not a Kintsugi file"):
        sync_with(store, other)
    with pytest.raises(StoreError, match="does not exist"):
        sync_with(store, tmp_path / "missing.json")


def test_sync_both_carries_records_of_other_this_version_cannot_read(
    two_copies: tuple[CoupleStore, CoupleStore],
) -> None:
    ours, theirs = two_copies
    data = json.loads(theirs.path.read_text(encoding="utf-8"))
    data["celebration"]["from-the-future"] = {"author": "x", "hologram": True}
    theirs.path.write_text(json.dumps(data), encoding="utf-8")
    outcome = sync_with(ours, theirs.path, both=True)
    assert outcome.came_in.damaged == [("celebration", "from-the-future")]
    kept = json.loads(theirs.path.read_text(encoding="utf-8"))
    assert kept["celebration"]["from-the-future"] == {"author": "x", "hologram": True}
    assert ours.raw_table("celebration")["from-the-future"] == {"author": "x", "hologram": True}
    assert ours.path.read_bytes() == theirs.path.read_bytes()


def test_a_rewording_and_a_signature_made_apart_both_survive(
    store: CoupleStore, tmp_path: Path, other_machine
) -> None:
    """The agreements issue: Alex rewrites while Sam signs the old wording."""
    alex, sam = ids(store)
    old, new = "We talk before bed.", "We talk before bed, phones away."
    agreement = store.add_agreement(alex, old)
    sam_store = sams_copy(store, tmp_path, other_machine)
    store.update(Agreement, agreement.id, alex, text=new)  # copy A
    sam_store.sign(agreement.id, sam)  # copy B, still showing the old wording

    sync_with(store, sam_store.path, both=True)
    sync_with(sam_store, store.path, both=True)

    assert store.path.read_bytes() == sam_store.path.read_bytes()
    for copy in (store, sam_store):
        copy.refresh()
        merged = copy.get(Agreement, agreement.id)
        assert merged is not None
        assert merged.text == new
        assert merged.signatures == {sam: wording_key(old)}  # present...
        assert not merged.signed_by(sam)  # ...but given to the old wording, so it does not count
        raw = copy.raw_table("agreement")[agreement.id]
        assert old in {entry["value"] for entry in raw["history"]["text"].values()}


# -- git ----------------------------------------------------------------------------------------


def git(cwd: Path, *args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


@pytest.fixture
def git_env(tmp_path: Path) -> dict[str, str]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    return {
        **os.environ,  # HOME is tmp_path/home (conftest): no real git config is read
        "PYTHONPATH": str(REPO),  # so the driver's `python -m app` imports this tree
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_MERGE_AUTOEDIT": "no",
        "GIT_EDITOR": "true",
        "GIT_TERMINAL_PROMPT": "0",
    }


def clone(bare: Path, target: Path, who: str, env: dict[str, str]) -> Path:
    git(bare.parent, "clone", "-q", str(bare), str(target), env=env)
    git(target, "config", "user.name", who, env=env)
    git(target, "config", "user.email", f"{who.lower()}@example.org", env=env)
    git(target, "config", "commit.gpgsign", "false", env=env)
    return target


def test_git_pull_merges_the_couple_file_with_the_driver(tmp_path: Path, git_env: dict[str, str]) -> None:
    env = git_env
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "--initial-branch=main", str(bare), env=env)

    one = clone(bare, tmp_path / "alex", "Alex", env)
    git(one, "symbolic-ref", "HEAD", "refs/heads/main", env=env)
    alex_store = CoupleStore(one / "couple.json", LocalState(tmp_path / "local-alex" / "local.json"))
    alex_store.init("Alex", "Sam")
    done = git_setup(one / "couple.json")
    assert done.added and done.attributes == one / ".gitattributes"
    assert (one / ".gitattributes").read_text() == "/couple.json merge=kintsugi\n"
    assert (one / ".gitignore").read_text() == "/.~couple.json.*.tmp\n"
    git(one, "add", "couple.json", ".gitattributes", ".gitignore", env=env)
    git(one, "commit", "-q", "-m", "Our file", env=env)
    git(one, "push", "-q", "-u", "origin", "main", env=env)

    two = clone(bare, tmp_path / "sam", "Sam", env)
    git_setup(two / "couple.json")  # the attributes came with the clone: only the config is new
    assert (two / ".gitattributes").read_text() == "/couple.json merge=kintsugi\n"
    assert git(two, "status", "--porcelain", env=env).stdout == ""
    driver = git(two, "config", "merge.kintsugi.driver", env=env).stdout.strip()
    assert driver.endswith(" -I -m app merge-driver %O %A %B") and sys.executable in driver
    assert git(two, "check-attr", "merge", "couple.json", env=env).stdout.strip().endswith("kintsugi")

    alex, sam = ids(alex_store)
    alex_store.add_celebration(alex, "We walked by the river")
    git(one, "commit", "-q", "-am", "A walk", env=env)
    git(one, "push", "-q", env=env)

    sam_store = CoupleStore(two / "couple.json", LocalState(tmp_path / "local-sam" / "local.json"))
    sam_store.add_agreement(sam, "We pause when voices rise")
    sam_store.set_progress(sam, 3, StepStatus.EXPLORING)
    sam_store.add_celebration(sam, "We sang in the car")
    git(two, "commit", "-q", "-am", "An agreement, a step and a song", env=env)

    # Line by line, git alone could not merge these two sides.
    git(two, "fetch", "-q", env=env)
    base = git(two, "merge-base", "HEAD", "origin/main", env=env).stdout.strip()
    sides = []
    for rev in ("HEAD", base, "origin/main"):
        side = tmp_path / f"side-{len(sides)}"
        side.write_text(git(two, "show", f"{rev}:couple.json", env=env).stdout)
        sides.append(str(side))
    assert git(two, "merge-file", "-p", *sides, env=env, check=False).returncode > 0

    pulled = git(two, "pull", "--no-rebase", env=env, check=False)
    assert pulled.returncode == 0, pulled.stdout + pulled.stderr

    text = (two / "couple.json").read_text(encoding="utf-8")
    assert "<<<<<<<" not in text and ">>>>>>>" not in text
    data = parse_couple_file(text, two / "couple.json")
    assert text == canonical_json(data)
    assert git(two, "status", "--porcelain", env=env).stdout == ""
    sam_store.refresh()
    assert {c.title for c in sam_store.celebrations()} == {"We walked by the river", "We sang in the car"}
    assert [a.text for a in sam_store.agreements()] == ["We pause when voices rise"]
    assert sam_store.progress(sam)[3] == StepStatus.EXPLORING
    assert len(sam_store.records(Progress)) == 1

    # and back: Alex fast-forwards to the very same bytes
    git(two, "push", "-q", env=env)
    git(one, "pull", "-q", "--no-rebase", env=env)
    assert (one / "couple.json").read_bytes() == (two / "couple.json").read_bytes()
    alex_store.refresh()
    assert [a.text for a in alex_store.agreements()] == ["We pause when voices rise"]


def test_git_setup_outside_a_repository_says_so(tmp_path: Path, git_env: dict[str, str]) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    with pytest.raises(StoreError, match="is not inside a git repository"):
        git_setup(folder / "couple.json")


def test_git_setup_is_idempotent_and_quotes_odd_paths(tmp_path: Path, git_env: dict[str, str]) -> None:
    repo = tmp_path / "repo"
    (repo / "our notes").mkdir(parents=True)
    git(repo, "init", "-q", env=git_env)
    (repo / ".gitattributes").write_text("*.png binary")  # no newline at the end
    path = repo / "our notes" / "couple [1].json"
    git_setup(path)
    git_setup(path)
    assert (repo / ".gitattributes").read_text() == (
        '*.png binary\n"/our notes/couple \\\\[1\\\\].json" merge=kintsugi\n'
    )
    assert (repo / ".gitignore").read_text() == "/our notes/.~couple \\[1\\].json.*.tmp\n"
    leftover = repo / "our notes" / ".~couple [1].json.4242.tmp"
    leftover.write_text("{}")
    assert git(repo, "check-ignore", "--", str(leftover.relative_to(repo)), env=git_env).returncode == 0
    found = git(repo, "check-attr", "merge", "--", "our notes/couple [1].json", env=git_env).stdout
    assert found.strip().endswith("merge: kintsugi")
    other = git(repo, "check-attr", "merge", "--", "couple [1].json", env=git_env).stdout
    assert other.strip().endswith("unspecified")


def test_merge_driver_merges_into_ours(store: CoupleStore, tmp_path: Path, other_machine) -> None:
    sam_store = sams_copy(store, tmp_path, other_machine)
    sam_store.add_celebration(ids(store)[1], "Theirs")
    store.add_celebration(ids(store)[0], "Ours")
    ours = tmp_path / "A"
    shutil.copyfile(store.path, ours)
    assert main(["merge-driver", str(tmp_path / "no-base"), str(ours), str(sam_store.path)]) == 0
    data = parse_couple_file(ours.read_text(encoding="utf-8"), ours)
    titles = {raw["fields"]["title"] for raw in data["celebration"].values()}
    assert titles == {"Theirs", "Ours"}
    assert ours.read_text(encoding="utf-8") == canonical_json(data)


def test_merge_driver_leaves_ours_alone_when_it_cannot_merge(
    store: CoupleStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ours = tmp_path / "A"
    shutil.copyfile(store.path, ours)
    before = ours.read_bytes()
    broken = tmp_path / "B"
    broken.write_text("<<<<<<< HEAD\n")

    def driver(*paths: Path) -> int:
        return main(["merge-driver", *(str(path) for path in paths)])

    assert driver(tmp_path / "O", ours, broken) == 1
    assert ours.read_bytes() == before
    strangers = tmp_path / "strangers" / "couple.json"
    CoupleStore(strangers, LocalState(tmp_path / "l2" / "l.json")).init("Robin", "Kim")
    assert driver(tmp_path / "O", ours, strangers) == 1
    assert driver(tmp_path / "O", broken, ours) == 1
    assert ours.read_bytes() == before
    assert broken.read_text() == "<<<<<<< HEAD\n"
    told = capsys.readouterr().err.splitlines()
    assert told[0] == f"kintsugi merge-driver: {broken} is not valid JSON (line 1)."
    assert told[1] == "kintsugi merge-driver: the two sides are different couples' files."


# -- telling the couple ---------------------------------------------------------------------------


def test_describe_counts_by_kind_and_pluralises(store: CoupleStore) -> None:
    report = MergeReport(
        added=[("celebration", "a"), ("celebration", "b")],
        changed=[("agreement", "c"), ("checkin", "d"), ("checkin", "e")],
        deleted=[("checkin", "e")],
    )
    assert describe(report, source="couple 2.json") == (
        "2 new celebrations, 1 changed agreement, 1 changed check-in and 1 deleted check-in "
        "came in from couple 2.json."
    )
    others = MergeReport(added=[("space_wish", "f"), ("space_wish", "g"), ("commitment_kept", "h")])
    assert describe(others) == "1 new kept commitment and 2 new space wishes came in."
    conflicted = MergeReport(changed=[("agreement", "c")], conflicts=[("agreement", "c", "text")])
    assert describe(conflicted) == "1 changed agreement came in; 1 written on both sides, both versions kept."


def test_describe_names_the_partner_who_made_every_change(
    store: CoupleStore, tmp_path: Path, other_machine
) -> None:
    sam_store = sams_copy(store, tmp_path, other_machine)
    sam_store.add_celebration(ids(store)[1], "One")
    sam_store.add_celebration(ids(store)[1], "Two")
    outcome = sync_with(store, sam_store.path)
    assert describe(outcome.came_in, store) == "2 new celebrations came in from Sam."


# -- found on the way ----------------------------------------------------------------------------


def test_a_damaged_record_in_the_file_does_not_stop_writes(store: CoupleStore, other_machine) -> None:
    data = json.loads(store.path.read_text(encoding="utf-8"))
    data["celebration"] = {"bad": {"author": "x", "created": "?", "fields": {}, "stamps": {"t": "?"}}}
    data["celebration"]["bad"]["history"] = {}
    store.path.write_text(canonical_json(data), encoding="utf-8")
    fresh = other_machine(store.path, "fresh")
    assert [rid for _, rid, _ in fresh.problems()] == ["bad"]
    fresh.add_celebration(ids(fresh)[0], "Still works")
    assert format_stamp(0, 0, "x") < fresh.clock.last
