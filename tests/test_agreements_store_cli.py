"""Agreements in the store and from the shell: propose, sign, change, list, find by id prefix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from app.domain.models import Agreement, AgreementStatus
from app.store.couple import CoupleStore
from app.store.storage import StoreError


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_status_follows_signatures_and_wording(store: CoupleStore) -> None:
    alex, sam = store.partners
    ids = [alex.id, sam.id]
    agreement = store.add_agreement(alex.id, "We pause when voices rise")
    assert agreement.status(ids) is AgreementStatus.PROPOSED
    assert store.sign(agreement.id, alex.id).status(ids) is AgreementStatus.PROPOSED
    assert store.sign(agreement.id, sam.id).status(ids) is AgreementStatus.AGREED
    changed = store.update(Agreement, agreement.id, sam.id, text="We pause, and come back within the hour")
    assert changed.status(ids) is AgreementStatus.CHANGED
    assert changed.changed_since_signed_by(alex.id)
    assert [text for _, text in store.agreement_history(agreement.id)] == ["We pause when voices rise"]
    revisit = store.update(Agreement, agreement.id, alex.id, revisit="the hour feels long")
    assert revisit.status(ids) is AgreementStatus.TO_REVISIT
    assert store.update(Agreement, agreement.id, alex.id, retired=True).status(ids) is AgreementStatus.RETIRED


def test_renamed_list_keeps_its_agreements_and_the_old_name_can_be_used_again(store: CoupleStore) -> None:
    alex, _ = store.partners
    first = store.add_agreement(alex.id, "one", list_name="Home")
    home = store.agreement_list_named("Home", alex.id)
    store.rename_list(home.id, "Our home", alex.id)
    second = store.add_agreement(alex.id, "two", list_name="Home")
    assert second.list_id != first.list_id
    assert {lst.name for lst in store.agreement_lists()} == {"Our home", "Home"}


def test_lists_reorder(store: CoupleStore) -> None:
    alex, _ = store.partners
    for name in ("A", "B", "C"):
        store.agreement_list_named(name, alex.id)
    c = store.agreement_list_named("C", alex.id)
    assert [lst.name for lst in store.move_list(c.id, -2, alex.id)] == ["C", "A", "B"]


def test_cli_agree_list_sign_as_both(capsys, store: CoupleStore, db_path: Path) -> None:
    code, out, _ = run(capsys, "agree", "Phones away at dinner", "--list", "Evenings")
    assert code == 0
    short = out.split()[1]
    assert run(capsys, "sign", short)[0] == 0
    code, out, _ = run(capsys, "sign", short, "--as", "Sam")
    assert code == 0 and "both agreed" in out
    (raw,) = json.loads(db_path.read_text())["agreement"].values()
    assert sorted(k for k in raw["fields"] if k.startswith("signature.")) == sorted(
        f"signature.{p.id}" for p in store.partners
    )
    code, out, _ = run(capsys, "agreements", "--status", "agreed", "--json")
    (listed,) = json.loads(out)
    assert (listed["list"], listed["status"], listed["signed_by"]) == ("Evenings", "agreed", ["Alex", "Sam"])
    assert run(capsys, "agreements", "--status", "proposed")[1].strip() == "No agreements here yet."


@pytest.mark.parametrize("prefix", ["zzzz", ""])
def test_cli_sign_unknown_prefix_is_refused_and_file_untouched(capsys, store, db_path, prefix) -> None:
    store.add_agreement(store.partners[0].id, "Walk on Sundays")
    before = db_path.read_bytes()
    code, _, err = run(capsys, "sign", prefix)
    assert code == 2 and err.startswith("kintsugi: No agreement") and err.count("\n") == 1
    assert db_path.read_bytes() == before


def test_cli_sign_ambiguous_prefix_is_refused(capsys, store: CoupleStore, db_path: Path) -> None:
    alex = store.partners[0]
    first = store.add_agreement(alex.id, "first")
    for n in range(400):  # ids are random: add until two share a first character
        if any(a.id[0] == first.id[0] and a.id != first.id for a in store.agreements()):
            break
        store.add_agreement(alex.id, f"more {n}")
    before = db_path.read_bytes()
    code, _, err = run(capsys, "sign", first.id[0])
    assert code == 2 and "give a few more characters" in err
    assert db_path.read_bytes() == before


def test_cli_empty_agreement_is_refused(capsys, store: CoupleStore, db_path: Path) -> None:
    before = db_path.read_bytes()
    code, _, err = run(capsys, "agree", "   ")
    assert code == 2 and err.startswith("kintsugi: ")
    assert db_path.read_bytes() == before
    with pytest.raises(StoreError):
        store.add_agreement(store.partners[0].id, " ")
