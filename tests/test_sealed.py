"""A sealed file: only the couple's machines read it, and only its signer's machine signs as them.

Two machines are simulated with two local files (each its own keys and
replica id) on one couple's file, a copy handed over, or two git clones.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.domain.machines import Machine, Standing, machine_id_of, signature_payload, words_for
from app.domain.models import Agreement, Celebration, wording_key
from app.domain.wordlist import WORDS
from app.store import backups, keys_copy
from app.store.couple import CoupleStore
from app.store.files import canonical_json
from app.store.joining import ask_to_join, is_let_in, recover
from app.store.keys import Keyring
from app.store.lazy import LazyTable
from app.store.local import LocalState
from app.store.sealing import UNOPENED, FileKey
from app.store.storage import CoupleStorage, StoreError
from app.store.sync import merge_conflict_copies, sync_with

ROOT = Path(__file__).resolve().parent.parent
SECRET = "Marzipan-Lighthouse"


@pytest.fixture
def alex(db_path: Path) -> CoupleStore:
    """Alex's machine, which made a sealed file for Alex and Sam."""
    store = CoupleStore(db_path)
    store.init("Alex", "Sam", sealed=True)
    return store


def machine(path: Path, tmp_path: Path, name: str) -> CoupleStore:
    """Another machine opening ``path``: its own local file, keys and replica id."""
    return CoupleStore(path, LocalState(tmp_path / f"local-{name}" / "local.json"))


def let_in(alex: CoupleStore, newcomer: CoupleStore, partner: str = "Sam") -> None:
    """The newcomer asks; Alex's machine compares the words (here: by computing them) and vouches."""
    asked = ask_to_join(newcomer)
    alex.refresh()
    (waiting,) = [m for m in alex.waiting_machines() if m.id == asked.id]
    assert words_for(waiting.sign_key, waiting.box_key, list(WORDS)) == words_for(
        newcomer.keyring.sign_key, newcomer.keyring.box_key, list(WORDS)
    )
    alex.vouch(waiting.id, alex.partner_named(partner).id, alex.partners[0].id)
    newcomer.load()
    newcomer.set_me(newcomer.partner_named(partner).id)


def test_a_sealed_file_holds_none_of_the_couples_words(alex: CoupleStore, db_path: Path) -> None:
    me = alex.partners[0].id
    alex.add_celebration(me, f"Our {SECRET} picnic", note="just us")
    alex.check_in(me, 4, mood="hopeful", note=SECRET)
    alex.add_agreement(me, f"We keep {SECRET} between us", list_name="Promises")
    text = db_path.read_bytes()
    for word in (
        SECRET.encode(),
        b"Alex",
        b"Sam",
        b"picnic",
        b"hopeful",
        b"Promises",
        b"2026-",
        b"celebration",
    ):
        assert word not in text
    data = json.loads(text)
    assert data["_meta"]["file"]["schema_version"] == 2
    assert set(data) == {"_meta", "key", "machine", "sealed"}
    again = CoupleStore(db_path)  # the same machine, reopening
    assert [c.title for c in again.celebrations()] == [f"Our {SECRET} picnic"]
    assert alex.recovery_code is not None and len(alex.recovery_code.split()) == 12
    assert alex.recovery_code.encode() not in text


def test_every_word_the_couple_wrote_stays_out_of_every_copy(
    tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A year of every kind of record, sealed: no word of it in the file, backups, copies or git."""
    from bench.generate import make_file

    db_path.parent.mkdir(parents=True)
    make_file(db_path, 600, seed=3)
    plain = json.loads(db_path.read_text())
    words = {
        value
        for kind, table in plain.items()
        if kind != "_meta"
        for raw in table.values()
        for value in raw["fields"].values()
        if isinstance(value, str) and len(value) >= 5 and value not in (raw["author"],)
    }
    partner_ids = set(plain["partner"])
    words -= partner_ids  # partner ids (random, not names) are the one thing machines are filed under
    local = json.loads((db_path.parent / f"{db_path.stem}.local.json").read_text())
    monkeypatch.setenv("KINTSUGI_LOCAL", str(tmp_path / "alex-local" / "local.json"))
    (tmp_path / "alex-local").mkdir()
    (tmp_path / "alex-local" / "local.json").write_text(json.dumps(local))
    alex = CoupleStore(db_path)
    alex.load()
    sam = machine(db_path, tmp_path, "sam")
    sam.set_me(sam.partner_named(sam.partners[1].name).id)
    alex.refresh()
    alex.vouch(sam.keyring.machine_id, sam.partners[1].id, alex.partners[0].id)
    code = alex.encrypt(alex.partners[0].id)
    backups.back_up(alex.places)
    sam.refresh()
    sam.add_celebration(sam.partners[1].id, f"Sam's {SECRET}")
    shutil.copyfile(db_path, db_path.with_name("couple.sync-conflict-20261201-101010-SAMSAMS.json"))
    merge_conflict_copies(alex)
    env = {**os.environ, "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig"), "GIT_CONFIG_NOSYSTEM": "1"}
    for args in (
        ["init", "-q"],
        ["add", "couple.json"],
        ["-c", "user.name=A", "-c", "user.email=a@b", "commit", "-qm", "x"],
    ):
        subprocess.run(["git", "-C", str(db_path.parent), *args], check=True, env=env, capture_output=True)
    history = subprocess.run(
        ["git", "-C", str(db_path.parent), "log", "-p", "--all"], check=True, env=env, capture_output=True
    ).stdout
    places = [db_path.read_bytes(), history]
    places += [p.read_bytes() for p in alex.places.backups.iterdir()]
    places += [p.read_bytes() for p in alex.places.merged.iterdir()]
    assert len(places) >= 5
    for word in sorted(words | {SECRET, code}):
        for held in places:
            assert word.encode("ascii", "backslashreplace") not in held, word
    assert {c.title for c in CoupleStore(db_path).celebrations()} >= {f"Sam's {SECRET}"}


def test_a_machine_not_let_in_cannot_open_the_file_and_asks_to_join(
    alex: CoupleStore, db_path: Path, tmp_path: Path
) -> None:
    alex.add_celebration(alex.partners[0].id, "Before Sam's laptop joined")
    sam = machine(db_path, tmp_path, "sam")
    with pytest.raises(StoreError, match="has not been let in yet"):
        sam.load()
    assert not is_let_in(sam)
    before = db_path.read_bytes()
    let_in(alex, sam)
    assert db_path.read_bytes() != before
    assert [c.title for c in sam.celebrations()] == ["Before Sam's laptop joined"]
    sam.add_celebration(sam.partners[1].id, "Sam's first words on her own laptop")
    assert {c.title for c in CoupleStore(db_path).celebrations()} == {
        "Before Sam's laptop joined",
        "Sam's first words on her own laptop",
    }


def test_joining_through_a_copy_handed_over_and_back(alex: CoupleStore, tmp_path: Path) -> None:
    usb = tmp_path / "usb" / "couple.json"
    usb.parent.mkdir()
    shutil.copyfile(alex.path, usb)
    sam = machine(usb, tmp_path, "sam")
    ask_to_join(sam)  # on her copy, at her machine
    sync_with(alex, usb, both=True)  # the copy comes back to Alex
    (waiting,) = alex.waiting_machines()
    alex.vouch(waiting.id, alex.partners[1].id, alex.partners[0].id)
    sync_with(alex, usb, both=True)  # and goes to Sam again
    assert is_let_in(sam)
    sam.load()
    assert [p.name for p in sam.partners] == ["Alex", "Sam"]


def test_joining_through_git(alex: CoupleStore, tmp_path: Path) -> None:
    from app.store.sync import git_setup

    bare = tmp_path / "remote.git"
    base_env = {**os.environ, "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig"), "GIT_CONFIG_NOSYSTEM": "1"}

    def git(where: Path, *args: str, local: Path | None = None) -> subprocess.CompletedProcess[str]:
        env = {**base_env, **({"KINTSUGI_LOCAL": str(local)} if local else {})}
        done = subprocess.run(["git", "-C", str(where), *args], capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stdout + done.stderr
        return done

    repo_a = alex.path.parent
    git(tmp_path, "init", "-q", "--bare", "--initial-branch=main", str(bare))
    git(repo_a, "init", "-q", "--initial-branch=main")
    for key, value in (("user.name", "A"), ("user.email", "a@b"), ("commit.gpgsign", "false")):
        git(repo_a, "config", key, value)
    git_setup(alex.path)
    git(repo_a, "add", "-A")
    git(repo_a, "commit", "-qm", "start")
    git(repo_a, "remote", "add", "origin", str(bare))
    git(repo_a, "push", "-q", "-u", "origin", "main")
    repo_s = tmp_path / "sam-clone"
    git(tmp_path, "clone", "-q", str(bare), str(repo_s))
    for key, value in (("user.name", "S"), ("user.email", "s@b"), ("commit.gpgsign", "false")):
        git(repo_s, "config", key, value)
    sam_local = tmp_path / "local-sam" / "local.json"
    sam = CoupleStore(repo_s / "couple.json", LocalState(sam_local))
    git_setup(sam.path)
    ask_to_join(sam)
    git(repo_s, "commit", "-qam", "Sam asks to join")
    alex.add_celebration(alex.partners[0].id, "Alex wrote meanwhile")
    git(repo_a, "commit", "-qam", "Alex's news")
    git(repo_a, "push", "-q")
    git(repo_s, "pull", "-q", "--no-rebase", "--no-edit", local=sam_local)  # Sam cannot open it yet
    git(repo_s, "push", "-q")
    git(repo_a, "pull", "-q", "--no-rebase", "--no-edit")
    alex.refresh()
    (waiting,) = alex.waiting_machines()
    alex.vouch(waiting.id, alex.partners[1].id, alex.partners[0].id)
    git(repo_a, "commit", "-qam", "Let Sam's laptop in")
    git(repo_a, "push", "-q")
    git(repo_s, "pull", "-q", "--no-rebase", "--no-edit", local=sam_local)
    sam.load()
    assert [c.title for c in sam.celebrations()] == ["Alex wrote meanwhile"]


def test_a_forgotten_machine_comes_back_with_the_recovery_code(alex: CoupleStore, tmp_path: Path) -> None:
    code = alex.recovery_code
    assert code is not None
    alex.add_celebration(alex.partners[0].id, "Kept through everything")
    fresh = machine(alex.path, tmp_path, "new-laptop")  # every machine lost: a new one
    with pytest.raises(StoreError, match="recovery code does not open"):
        recover(fresh, "acorn " * 11 + "acorn", "Alex")
    recover(fresh, code.upper(), "Alex")  # however it is typed
    assert [c.title for c in fresh.celebrations()] == ["Kept through everything"]
    again = machine(alex.path, tmp_path, "new-laptop")
    assert [c.title for c in again.celebrations()] == ["Kept through everything"]  # no code needed now


# -- signatures --------------------------------------------------------------------------------


@pytest.fixture
def two_machines(alex: CoupleStore, db_path: Path, tmp_path: Path) -> tuple[CoupleStore, CoupleStore]:
    sam = machine(db_path, tmp_path, "sam")
    let_in(alex, sam)
    return alex, sam


def test_a_take_in_holding_nothing_new_writes_nothing_back(two_machines, db_path: Path) -> None:
    """Two machines syncing a sealed file: taking in the other's save is the end of it. (Each used
    to write the file back after every take-in, and the other took that in and wrote it back:
    a file synced to and fro for ever.)"""
    alex, sam = two_machines
    alex.add_celebration(alex.partners[0].id, "A quiet evening")
    assert sam.refresh()
    assert not sam.unsaved
    written = db_path.stat()
    assert not alex.refresh() and not sam.refresh()
    after = db_path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (written.st_ino, written.st_mtime_ns)
    assert [c.title for c in sam.celebrations()] == ["A quiet evening"]


def standing_from(store: CoupleStore, agreement_id: str, signer: str) -> Standing:
    store.refresh()
    return store.signature_view(store.agreement(agreement_id), signer).standing


def test_a_signature_at_ones_own_machine_verifies_from_both(two_machines) -> None:
    alex, sam = two_machines
    a, s = (p.id for p in alex.partners)
    agreement = alex.add_agreement(a, "We talk before we sleep")
    alex.sign(agreement.id, a)
    sam.refresh()
    sam.sign(agreement.id, s)
    for viewer in (alex, sam):
        assert standing_from(viewer, agreement.id, a) == Standing.OWN_MACHINE
        assert standing_from(viewer, agreement.id, s) == Standing.OWN_MACHINE


def test_writing_as_sam_at_alexs_machine_is_never_sams_own_signature(two_machines) -> None:
    alex, sam = two_machines
    a, s = (p.id for p in alex.partners)
    agreement = alex.add_agreement(a, "We take a pause when voices rise")
    alex.sign(agreement.id, s)  # "writing as Sam", at Alex's keyboard
    for viewer in (alex, sam):
        assert standing_from(viewer, agreement.id, s) == Standing.TOGETHER
    sam.refresh()
    sam.sign(agreement.id, s)  # Sam confirms from her own machine
    for viewer in (alex, sam):
        assert standing_from(viewer, agreement.id, s) == Standing.OWN_MACHINE


def test_forged_signatures_show_as_not_verified(two_machines) -> None:
    alex, sam = two_machines
    a, s = (p.id for p in alex.partners)
    agreement = alex.add_agreement(a, "We say sorry first")
    sams_machine = sam.keyring.machine_id
    stranger = Ed25519PrivateKey.generate()
    wrong_key = base64.b64encode(
        stranger.sign(signature_payload(alex.file_id, agreement.id, agreement.text, s))
    ).decode()
    other_words = base64.b64encode(
        stranger.sign(signature_payload(alex.file_id, agreement.id, "other words", s))
    ).decode()
    by_sam_other_words = sam.keyring.sign(signature_payload(alex.file_id, agreement.id, "other words", s))
    for forged in (wrong_key, other_words, by_sam_other_words, "not a signature"):
        alex.update(
            Agreement,
            agreement.id,
            a,
            signatures={s: wording_key(agreement.text)},
            proofs={s: {"machine": sams_machine, "sig": forged}},
        )
        for viewer in (alex, sam):
            assert standing_from(viewer, agreement.id, s) == Standing.NOT_VERIFIED


def test_a_machine_alex_adds_in_sams_name_cannot_sign_as_sam(two_machines, tmp_path: Path) -> None:
    """Alex makes keys of his own, publishes them as "Sam's phone", vouches for it and signs as Sam."""
    alex, sam = two_machines
    a, s = (p.id for p in alex.partners)
    fake = machine(alex.path, tmp_path, "fake-phone")
    fake.keyring.file_key  # noqa: B018 (its keys exist)
    alex.create(
        Machine,
        a,
        fake.keyring.machine_id,
        partner=s,
        sign_key=fake.keyring.sign_key,
        box_key=fake.keyring.box_key,
        replicas={},
    )
    alex.vouch(fake.keyring.machine_id, s, a)
    fake.load()
    fake.set_me(s)
    agreement = fake.add_agreement(s, "Alex may read my journal")
    fake.sign(agreement.id, s)
    assert standing_from(sam, agreement.id, s) == Standing.NOT_VERIFIED  # Sam's app is not fooled
    assert fake.keyring.machine_id not in sam.trusted()
    assert machine_id_of(fake.keyring.sign_key) in {m.id for m in sam.waiting_machines()}


def test_a_signature_from_before_machines_signed_says_so(alex: CoupleStore) -> None:
    a = alex.partners[0].id
    agreement = alex.add_agreement(a, "We walk on Sundays")
    alex.update(Agreement, agreement.id, a, signatures={a: wording_key(agreement.text)})
    assert standing_from(alex, agreement.id, a) == Standing.BEFORE_CHECKS


# -- the older Kintsugi ---------------------------------------------------------------------------

RELEASE_BEFORE_SEALING = "c5a9df3"


RELEASE_BEFORE_DEFLATING = "cd5ce2a"  # the last Kintsugi whose boxes hold their record's JSON (scheme /1)


def older_kintsugi(tmp_path: Path, release: str) -> Callable[..., subprocess.CompletedProcess[str]]:
    """The command line of Kintsugi as it was at ``release`` (skipped if this clone lacks it)."""
    old = tmp_path / f"kintsugi-{release}"
    old.mkdir()
    has_content = subprocess.run(
        ["git", "-C", str(ROOT), "cat-file", "-e", f"{release}:content"], check=False
    )
    folders = ["app", "content"] if has_content.returncode == 0 else ["app"]
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", release, *folders], capture_output=True, check=False
    )
    if archive.returncode != 0:
        pytest.skip(f"the release {release} is not in this clone's history")
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
    env = {**os.environ, "PYTHONPATH": str(old)}

    def run(*command: str) -> subprocess.CompletedProcess[str]:
        script = "import sys; from app.cli import main; sys.exit(main(sys.argv[1:]))"
        return subprocess.run(
            [sys.executable, "-c", script, *command], capture_output=True, text=True, env=env, cwd=old
        )

    return run


def told_to_update_and_nothing_written(
    older: Callable[..., subprocess.CompletedProcess[str]], path: Path
) -> None:
    before = path.read_bytes()
    for command in (["celebrate", "from the old app"], ["check"], []):
        done = older(*command)
        assert done.returncode == 2, done
        assert "newer Kintsugi" in done.stderr and "please update" in done.stderr
    assert path.read_bytes() == before


def test_an_older_kintsugi_is_told_to_update_and_never_writes_over_a_sealed_file(
    alex: CoupleStore, db_path: Path, tmp_path: Path
) -> None:
    told_to_update_and_nothing_written(older_kintsugi(tmp_path, RELEASE_BEFORE_SEALING), db_path)


def test_a_file_sealed_before_boxes_were_deflated_opens_and_is_sealed_as_now(
    db_path: Path, tmp_path: Path
) -> None:
    """Scheme /1 (each box the record's JSON) is read as it is, and named /2 at the first save, so
    the Kintsugi before, which cannot open a deflated box, is told to update; its boxes are kept."""
    older = older_kintsugi(tmp_path, RELEASE_BEFORE_DEFLATING)
    assert older("init", "--me", "Alex", "--partner", "Sam").returncode == 0
    assert older("celebrate", "Sealed before").returncode == 0
    before = db_path.read_bytes()
    assert b'"scheme": "aes-256-gcm-siv/1"' in before
    kept = {json.dumps(box) for box in json.loads(before)["sealed"].values()}
    store = CoupleStore(db_path)
    store.load()
    assert [c.title for c in store.celebrations()] == ["Sealed before"]
    store.add_celebration(store.partners[0].id, "Sealed after")
    after = db_path.read_bytes()
    assert b'"scheme": "aes-256-gcm-siv/2"' in after and b'"scheme": "aes-256-gcm-siv/1"' not in after
    assert kept & {json.dumps(box) for box in json.loads(after)["sealed"].values()}  # as they were
    assert any(b'"aes-256-gcm-siv/1"' in backup.read_bytes() for backup in store.places.backups.iterdir())
    again = CoupleStore(db_path)
    again.load()
    assert sorted(c.title for c in again.celebrations()) == ["Sealed after", "Sealed before"]
    told_to_update_and_nothing_written(older, db_path)


def test_a_sealed_file_is_smaller_than_the_same_records_in_the_clear(
    alex: CoupleStore, db_path: Path
) -> None:
    """Each record is deflated before it is sealed: base64 and the box's own bytes cost less than
    the deflating saves (a sealed file is written, fsynced and read in fewer bytes than a plain one)."""
    for n in range(60):
        alex.add_celebration(alex.partners[0].id, f"Moment {n}", note="We walked to the lake and back.")
    on_disk = json.loads(db_path.read_bytes())
    opened = alex.storage.read()
    assert opened is not None
    records = {kind: dict(table) for kind, table in opened.items() if kind not in on_disk}
    assert len(canonical_json({"sealed": on_disk["sealed"]})) < 0.75 * len(canonical_json(records))


def test_a_notebook_sealed_apart_on_two_machines_still_merges(
    db_path: Path, tmp_path: Path, other_machine
) -> None:
    """Both partners run `kintsugi encrypt` on their own copies before the copies meet."""
    alex = CoupleStore(db_path)
    alex.init("Alex", "Sam")
    usb = tmp_path / "usb" / "couple.json"
    usb.parent.mkdir()
    shutil.copyfile(db_path, usb)
    sam = machine(usb, tmp_path, "sam")
    sam.set_me(sam.partners[1].id)
    sync_with(alex, usb, both=True)
    alex.vouch(sam.keyring.machine_id, alex.partners[1].id, alex.partners[0].id)
    sync_with(alex, usb, both=True)
    sam.refresh()
    sam.vouch(alex.keyring.machine_id, sam.partners[0].id, sam.partners[1].id)
    sync_with(sam, db_path, both=True)
    alex.refresh()
    alex.encrypt(alex.partners[0].id)
    sam.refresh()
    sam.encrypt(sam.partners[1].id)
    alex.add_celebration(alex.partners[0].id, "Alex, sealed apart")
    sam.add_celebration(sam.partners[1].id, "Sam, sealed apart")
    sync_with(alex, usb, both=True)
    assert db_path.read_bytes() == usb.read_bytes()
    for store in (alex, CoupleStore(usb, sam.local)):
        store.refresh()
        assert {c.title for c in store.celebrations()} == {"Alex, sealed apart", "Sam, sealed apart"}


def test_taking_in_the_partners_sealed_copy_opens_only_the_boxes_that_changed(
    two_machines, monkeypatch: pytest.MonkeyPatch
) -> None:
    alex, sam = two_machines
    for n in range(60):
        alex.add_celebration(alex.partners[0].id, f"Moment {n}")
    sam.refresh()
    moment = next(c for c in sam.celebrations() if c.title == "Moment 7")
    sam.update(Celebration, moment.id, sam.partners[1].id, note="Sam remembered more")
    sam.add_celebration(sam.partners[1].id, "Sam's new moment")
    opened: list[int] = []
    real_open = alex.keyring.open_data

    def counted(disk):
        opened.append(len(disk.get("sealed", {})))
        return real_open(disk)

    monkeypatch.setattr(alex.keyring, "open_data", counted)
    assert alex.refresh()
    titles = {c.title for c in alex.celebrations()}
    assert {"Moment 7", "Moment 59", "Sam's new moment"} <= titles
    assert next(c for c in alex.celebrations() if c.title == "Moment 7").note == "Sam remembered more"
    assert opened and max(opened) <= 3  # Sam's two records (and the changed history box at most)
    sam.refresh()
    assert {c.title for c in sam.celebrations()} == titles  # both end up identical


def test_a_new_process_opens_only_the_boxes_its_readable_copy_lacks(
    two_machines, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The readable copy is written when the file is opened, not when a running app takes in the
    partner's copy; the next opening opens the boxes that changed since, and writes it again."""
    alex, sam = two_machines
    for n in range(100):
        alex.add_celebration(alex.partners[0].id, f"Moment {n}")
    opened: list[str] = []
    real_open = FileKey.open_plain

    def counted(self: FileKey, stored_id: str, box: object) -> bytes:
        opened.append(stored_id)
        return real_open(self, stored_id, box)

    monkeypatch.setattr(FileKey, "open_plain", counted)

    def reopened() -> tuple[int, set[str]]:
        opened.clear()
        again = CoupleStore(db_path, alex.local)
        again.load()
        return len(opened), {c.note for c in again.celebrations()}

    reopened()  # the first opening in a process writes the copy
    assert reopened()[0] == 0
    copy = alex.places.opened_copy
    written = copy.read_bytes()
    sam.refresh()
    for celebration in sam.celebrations()[:80]:
        sam.update(Celebration, celebration.id, sam.partners[1].id, note="Sam remembered")
    opened.clear()
    assert alex.refresh()
    assert 80 <= len(opened) <= 85 and copy.read_bytes() == written
    count, notes = reopened()
    assert 80 <= count <= 85 and "Sam remembered" in notes
    assert copy.read_bytes() != written
    assert reopened() == (0, notes)


def copy_written(alex: CoupleStore, db_path: Path, moments: int = 100) -> None:
    """Alex's machine with ``moments`` celebrations, its readable copy written by an opening."""
    for n in range(moments):
        alex.add_celebration(alex.partners[0].id, f"Moment {n}")
    CoupleStore(db_path, alex.local).load()
    assert alex.places.opened_copy.exists()


def opened_afresh(alex: CoupleStore, db_path: Path) -> CoupleStorage:
    """The couple's file as a new process's storage reads it (nothing read but the opening)."""
    storage = CoupleStorage(db_path, places=alex.places, keyring=Keyring(alex.local, alex.places.opened_copy))
    storage.read()
    return storage


def test_the_readable_copy_is_opened_lazily_each_record_parsed_when_first_read(
    alex: CoupleStore, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_written(alex, db_path)
    opened: list[str] = []
    real_open = FileKey.open_plain

    def counted(self: FileKey, stored_id: str, box: object) -> bytes:
        opened.append(stored_id)
        return real_open(self, stored_id, box)

    monkeypatch.setattr(FileKey, "open_plain", counted)
    data = opened_afresh(alex, db_path).read()
    assert data is not None and opened == []
    celebrations = data["celebration"]
    assert isinstance(celebrations, LazyTable) and "0 parsed" in repr(celebrations)
    first = next(iter(celebrations))
    assert celebrations[first]["fields"]["title"].startswith("Moment ")
    assert "1 parsed" in repr(celebrations)


def test_a_box_changed_since_the_copy_was_written_is_opened_from_the_box(two_machines, db_path: Path) -> None:
    """A box is taken from the copy only if its bytes are the copy's: one Sam changed is opened,
    and one damaged (its tag, the last characters, left as it was) is kept unopened, its record
    not taken from the copy."""
    alex, sam = two_machines
    copy_written(alex, db_path)
    sam.refresh()
    moments = sorted(sam.celebrations(), key=lambda c: c.title)
    sam.update(Celebration, moments[1].id, sam.partners[1].id, note="Sam remembered")
    changed = opened_afresh(alex, db_path).read()
    assert changed is not None
    assert changed["celebration"][moments[1].id]["fields"]["note"] == "Sam remembered"
    key = alex.keyring.file_key(changed)
    stored_id = key.stored_id("celebration", moments[0].id)
    raw = db_path.read_bytes()
    at = raw.index(b'"box": "', raw.index(stored_id.encode())) + 20
    flipped = b"A" if raw[at : at + 1] != b"A" else b"B"
    db_path.write_bytes(raw[:at] + flipped + raw[at + 1 :])
    damaged = opened_afresh(alex, db_path).read()
    assert damaged is not None
    assert moments[0].id not in damaged["celebration"]
    assert stored_id in damaged[UNOPENED]
    assert moments[2].id in damaged["celebration"]


@pytest.mark.parametrize(
    "damage",
    [
        (b'"file_id": "', b'"file_id": "0'),  # a copy of another file
        (b'"key": "', b'"key": "0'),  # of the file under another key
        (b'"places": "', b'"places": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),  # its split not that of its boxes
    ],
)
def test_a_readable_copy_that_does_not_match_is_not_trusted(
    alex: CoupleStore, db_path: Path, monkeypatch: pytest.MonkeyPatch, damage: tuple[bytes, bytes]
) -> None:
    copy_written(alex, db_path, moments=70)
    copy = alex.places.opened_copy
    copy.write_bytes(copy.read_bytes().replace(*damage, 1))
    opened: list[str] = []
    real_open = FileKey.open_plain

    def counted(self: FileKey, stored_id: str, box: object) -> bytes:
        opened.append(stored_id)
        return real_open(self, stored_id, box)

    monkeypatch.setattr(FileKey, "open_plain", counted)
    data = opened_afresh(alex, db_path).read()
    assert data is not None and len(opened) == db_path.read_bytes().count(b'"box": ')
    titles = {record["fields"]["title"] for record in data["celebration"].values()}
    assert titles == {f"Moment {n}" for n in range(70)}


def test_a_readable_copy_whose_index_does_not_read_is_not_trusted_for_a_box_it_needs_it_for(
    alex: CoupleStore, db_path: Path
) -> None:
    """A box that no longer opens takes its record out of the copy, found by the copy's index: an
    index that does not read leaves the copy untrusted, every box opened."""
    copy_written(alex, db_path, moments=70)
    copy = alex.places.opened_copy
    copy.write_bytes(copy.read_bytes().replace(b'"all": "', b'"all": "x', 1))
    moment = next(c for c in alex.celebrations() if c.title == "Moment 3")
    data = opened_afresh(alex, db_path).read()
    assert data is not None
    stored_id = alex.keyring.file_key(data).stored_id("celebration", moment.id)
    raw = db_path.read_bytes()
    at = raw.index(b'"box": "', raw.index(stored_id.encode())) + 20
    db_path.write_bytes(raw[:at] + (b"A" if raw[at : at + 1] != b"A" else b"B") + raw[at + 1 :])
    damaged = opened_afresh(alex, db_path).read()
    assert damaged is not None
    titles = {record["fields"]["title"] for record in damaged["celebration"].values()}
    assert titles == {f"Moment {n}" for n in range(70) if n != 3}
    assert stored_id in damaged[UNOPENED]


def test_a_plain_file_opens_without_loading_cryptography(db_path: Path, tmp_path: Path) -> None:
    local = tmp_path / "local" / "local.json"
    plain = CoupleStore(db_path, LocalState(local))
    plain.init("Alex", "Sam")
    plain.add_celebration(plain.partners[0].id, "Our first")
    probe = (
        "import sys\n"
        "from app.store.couple import CoupleStore\n"
        "from pathlib import Path\n"
        "from app.store.local import LocalState\n"
        f"store = CoupleStore(Path({str(db_path)!r}), LocalState(Path({str(local)!r})))\n"
        "store.load()\n"
        "assert [c.title for c in store.celebrations()] == ['Our first']\n"
        "print(sorted(m for m in sys.modules if m.startswith('cryptography')))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "[]"


def test_keys_kept_before_their_public_halves_were_get_them(tmp_path: Path) -> None:
    local = LocalState(tmp_path / "local.json")
    keys = local.machine_keys()
    older = {"sign": keys["sign"], "box": keys["box"]}  # as a Kintsugi before this one kept them
    data = json.loads(local.path.read_text())
    local.path.write_text(json.dumps({**data, "keys": older}))
    again = LocalState(tmp_path / "local.json")
    derived = Ed25519PrivateKey.from_private_bytes(base64.b64decode(older["sign"])).public_key()
    assert again.machine_keys()["sign_public"] == base64.b64encode(derived.public_bytes_raw()).decode()
    assert json.loads(local.path.read_text())["keys"]["box_public"] == keys["box_public"]


@pytest.mark.parametrize(
    "damage",
    [
        (b'"title": "Moment 5"', b'"title": "Moment 5'),  # no longer JSON
        (b'"title": "Moment 5"', b'"title": "Moment X"'),  # JSON still, but not what its box holds
    ],
)
def test_a_damaged_record_in_the_readable_copy_is_opened_from_its_box_and_never_stops_a_save(
    two_machines, db_path: Path, damage: tuple[bytes, bytes]
) -> None:
    """The readable copy is a cache, the couple's file the truth: a record of the copy whose bytes
    are damaged is read from its box in the file, a save (which reads every record first) goes
    through, and the copy written again holds the record as its box does."""
    alex, sam = two_machines
    copy_written(alex, db_path, moments=70)
    copy = alex.places.opened_copy
    held = copy.read_bytes()
    assert held.count(damage[0]) == 1
    copy.write_bytes(held.replace(*damage))
    expected = sorted([*(f"Moment {n}" for n in range(70)), "After the damage"])

    again = CoupleStore(db_path, alex.local)
    again.load()
    again.add_celebration(again.partners[0].id, "After the damage")
    assert sorted(c.title for c in again.celebrations()) == expected
    for _ in again.reading_all():  # every record reads
        pass
    sam.refresh()  # the file holds it all: Sam's machine opens every box
    assert sorted(c.title for c in sam.celebrations()) == expected

    for moment in [c for c in sam.celebrations() if c.title != "Moment 5"][:66]:
        sam.update(Celebration, moment.id, sam.partners[1].id, note="Sam remembered")
    written = copy.read_bytes()
    reopened = CoupleStore(db_path, alex.local)
    reopened.load()  # many boxes changed: the copy is written again
    assert copy.read_bytes() != written and copy.read_bytes().count(damage[0]) == 1
    for _ in range(2):
        reopened = CoupleStore(db_path, alex.local)
        reopened.load()
        assert sorted(c.title for c in reopened.celebrations()) == expected
        assert sum(c.note == "Sam remembered" for c in reopened.celebrations()) == 66


def test_a_record_whose_id_is_damaged_in_the_readable_copy_is_opened_from_its_box(
    alex: CoupleStore, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The copy's tables are split where its layout says (checked whole), not by their bytes, and
    each record's checksum covers its id: a record whose id is damaged in the copy is read from
    its box, under its own id, and the rest of the copy is used."""
    copy_written(alex, db_path, moments=70)
    copy = alex.places.opened_copy
    moment = next(c for c in alex.celebrations() if c.title == "Moment 5")
    damaged = moment.id[:-1] + ("0" if moment.id[-1] != "0" else "1")
    held = copy.read_bytes()
    head = f'\n  "{moment.id}": '.encode()
    assert held.count(head) == 1
    copy.write_bytes(held.replace(head, f'\n  "{damaged}": '.encode()))
    opened: list[str] = []
    real_open = FileKey.open_plain

    def counted(self: FileKey, stored_id: str, box: object) -> bytes:
        opened.append(stored_id)
        return real_open(self, stored_id, box)

    monkeypatch.setattr(FileKey, "open_plain", counted)
    data = opened_afresh(alex, db_path).read()
    assert data is not None and opened == []
    celebrations = data["celebration"]
    assert damaged not in celebrations
    assert {record["fields"]["title"] for record in celebrations.values()} == {
        f"Moment {n}" for n in range(70)
    }
    assert opened == [alex.keyring.file_key(data).stored_id("celebration", moment.id)]


def test_a_readable_copy_whose_last_table_misplaces_the_others_is_read_by_looking_for_them(
    alex: CoupleStore, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The copy's last table says where the others lie, so it is not scanned for them: what it says
    is checked against the bytes, and a copy whose last table is wrong is read by looking."""
    copy_written(alex, db_path, moments=70)
    copy = alex.places.opened_copy
    looked: list[bytes] = []
    real_spans = keys_copy.table_spans
    monkeypatch.setattr(keys_copy, "table_spans", lambda text: looked.append(text) or real_spans(text))
    assert opened_afresh(alex, db_path).read() is not None and looked == []
    text = copy.read_bytes()
    at = text.rindex(b'\n "~~spans": ')
    copy.write_bytes(text[:at] + text[at:].replace(b":[", b":[1", 1))
    opened: list[str] = []
    real_open = FileKey.open_plain

    def counted(self: FileKey, stored_id: str, box: object) -> bytes:
        opened.append(stored_id)
        return real_open(self, stored_id, box)

    monkeypatch.setattr(FileKey, "open_plain", counted)
    data = opened_afresh(alex, db_path).read()
    assert data is not None and opened == [] and len(looked) == 1
    assert {record["fields"]["title"] for record in data["celebration"].values()} == {
        f"Moment {n}" for n in range(70)
    }


def test_a_save_after_taking_in_a_record_opened_at_the_opening_seals_only_what_changed(
    two_machines, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record whose box was opened at the opening (the readable copy lacked it) and then came in
    changed again from the partner: the next save seals the records that changed, not the table."""
    alex, sam = two_machines
    copy_written(alex, db_path, moments=70)
    sam.refresh()
    moment = next(c for c in sam.celebrations() if c.title == "Moment 1")
    sam.update(Celebration, moment.id, sam.partners[1].id, note="Sam, once")
    again = CoupleStore(db_path, alex.local)
    again.load()  # Moment 1's box is not the copy's: opened, and put in the table
    sam.update(Celebration, moment.id, sam.partners[1].id, note="Sam, twice")
    assert again.refresh()
    sealed: list[str] = []
    real_seal = FileKey.seal

    def counted(self: FileKey, kind: str, record_id: str, raw: object) -> object:
        sealed.append(record_id)
        return real_seal(self, kind, record_id, raw)

    monkeypatch.setattr(FileKey, "seal", counted)
    monkeypatch.delenv("KINTSUGI_CHECK_CANONICAL")  # its check seals every record again to compare
    again.add_celebration(again.partners[0].id, "Alex, after")
    assert 1 <= len(sealed) <= 3
    assert next(c for c in again.celebrations() if c.id == moment.id).note == "Sam, twice"


def test_a_save_does_not_read_the_records_of_the_readable_copy_first(
    alex: CoupleStore, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save reads every record of the file not read yet, so nothing is written over one that does
    not read; the records read from the readable copy are never written (their boxes are), and
    one that does not read is opened from its box: they are not read for it."""
    copy_written(alex, db_path)
    checked: list[LazyTable] = []
    real_check = LazyTable.check

    def counted(self: LazyTable):
        checked.append(self)
        return real_check(self)

    monkeypatch.setattr(LazyTable, "check", counted)
    again = CoupleStore(db_path, alex.local)
    again.load()
    again.add_celebration(again.partners[0].id, "Saved without reading the rest")
    assert checked and not [table for table in checked if table.mends]
    assert "Saved without reading the rest" in {
        c.title for c in CoupleStore(db_path, alex.local).celebrations()
    }


def test_a_readable_copy_whose_split_of_the_sealed_table_is_damaged_is_not_used(
    alex: CoupleStore, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The copy keeps where each box lay in the file, so the file's sealed table is not split again:
    a place damaged there would put a box where it is not (and a save writes the boxes by their
    places), so the split is checked whole, and a copy whose split is damaged is not used."""
    copy_written(alex, db_path, moments=70)
    copy = alex.places.opened_copy
    text = copy.read_bytes()
    at = text.index(b'"places": "', text.index(b'\n "~split": ')) + len(b'"places": "') + 40
    copy.write_bytes(text[:at] + (b"B" if text[at : at + 1] != b"B" else b"C") + text[at + 1 :])
    opened: list[str] = []
    real_open = FileKey.open_plain

    def counted(self: FileKey, stored_id: str, box: object) -> bytes:
        opened.append(stored_id)
        return real_open(self, stored_id, box)

    monkeypatch.setattr(FileKey, "open_plain", counted)
    data = opened_afresh(alex, db_path).read()
    assert data is not None and len(opened) == db_path.read_bytes().count(b'"box": ')
    alex_again = CoupleStore(db_path, alex.local)
    alex_again.load()
    alex_again.add_celebration(alex_again.partners[0].id, "After the split")
    titles = {c.title for c in CoupleStore(db_path, alex.local).celebrations()}
    assert titles == {*(f"Moment {n}" for n in range(70)), "After the split"}
