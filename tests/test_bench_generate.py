"""The benchmarks' generated couple: every kind of record, valid, exactly as many as asked for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.domain.merge import merge_replicas
from app.domain.models import KINDS, CheckIn
from app.domain.practices.kindness import CompassionBreak
from app.domain.question import Answer
from app.store.couple import CoupleStore
from app.store.files import META_TABLE
from app.store.local import LocalState
from app.store.sealing import PLAIN_KINDS
from bench.generate import cached_file, diverge, diverged_replicas, local_path_for, make_file, records_of


def generated(tmp_path: Path, n: int, seed: int = 7) -> tuple[dict, dict]:
    path = tmp_path / f"couple-{n}-{seed}.json"
    make_file(path, n, seed)
    data = json.loads(path.read_text(encoding="utf-8"))
    local = json.loads(local_path_for(path).read_text(encoding="utf-8"))
    return data, local


@pytest.mark.parametrize("n", [200, 1_000])
def test_the_file_holds_exactly_n_records_and_every_kind_is_written_somewhere(tmp_path: Path, n: int) -> None:
    data, local = generated(tmp_path, n)
    records = records_of(data)
    assert sum(len(table) for table in records.values()) == n
    (mine,) = local["files"].values()
    private = mine["private"]
    # A compassion break is always private: it lives in the local file only. Machines and their
    # keys are written by the store for each machine that opens the file, not by the couple.
    assert set(records) | set(private) == set(KINDS) - PLAIN_KINDS
    assert "compassion_break" not in records


def test_every_record_the_generator_writes_is_one_the_app_reads(tmp_path: Path) -> None:
    path = tmp_path / "couple.json"
    make_file(path, 1_000)
    store = CoupleStore(path, LocalState(local_path_for(path)))
    assert store.problems() == []
    data = json.loads(path.read_text(encoding="utf-8"))
    for kind, table in records_of(data).items():
        alive = [raw for raw in table.values() if not raw["fields"].get("deleted")]
        assert len(store.records(KINDS[kind])) == len(alive), kind
    me = store.me
    assert me is not None
    breaks = store.entries(CompassionBreak, viewer=me.id)
    assert breaks and all(entry.author == me.id for entry in breaks)


def test_check_ins_are_one_a_partner_a_day_and_answers_are_revealed_in_pairs(tmp_path: Path) -> None:
    path = tmp_path / "couple.json"
    make_file(path, 1_000)
    store = CoupleStore(path, LocalState(local_path_for(path)))
    partners = {partner.id for partner in store.partners}
    checkins = store.records(CheckIn)
    assert len({(c.partner, c.day) for c in checkins}) == len(checkins)
    assert {c.partner for c in checkins} == partners
    answers = store.records(Answer)
    days = {answer.day for answer in answers}
    assert len(answers) == 2 * len(days)
    assert all(answer.matches for answer in answers)


def test_a_seed_always_makes_the_same_file(tmp_path: Path) -> None:
    first, first_local = generated(tmp_path / "a", 300, seed=3)
    again, again_local = generated(tmp_path / "b", 300, seed=3)
    other, _ = generated(tmp_path / "c", 300, seed=4)
    assert (first, first_local) == (again, again_local)
    assert first != other


def test_diverged_copies_merge_with_additions_changes_and_conflicts(tmp_path: Path) -> None:
    path = tmp_path / "couple.json"
    make_file(path, 1_000)
    ours, theirs = diverged_replicas(path, 0.05)
    assert ours[META_TABLE] == theirs[META_TABLE]
    merged, report = merge_replicas(records_of(ours), records_of(theirs))
    assert report.added and report.changed and report.conflicts and not report.skipped
    back, _ = merge_replicas(records_of(theirs), records_of(ours))
    assert merged == back


def test_the_agreements_variant_holds_that_many_agreements_in_as_many_records(tmp_path: Path) -> None:
    data, _ = generated(tmp_path, 1_000)
    path = tmp_path / "agreements.json"
    make_file(path, 1_000, agreements=200)
    variant = json.loads(path.read_text(encoding="utf-8"))
    assert sum(len(table) for table in records_of(variant).values()) == 1_000
    assert len(variant["agreement"]) == 200 > len(data["agreement"])
    assert len(variant["checkin"]) < len(data["checkin"])  # the check-ins take what is left, as ever
    store = CoupleStore(path, LocalState(local_path_for(path)))
    assert store.problems() == []


def test_the_variant_is_cached_apart_from_the_default_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bench.generate.DATA_DIR", tmp_path)
    default, variant = cached_file(300), cached_file(300, agreements=60)
    assert default != variant and default.exists() and variant.exists()
    assert cached_file(300).read_bytes() == default.read_bytes()
    assert len(json.loads(variant.read_text(encoding="utf-8"))["agreement"]) == 60


def test_diverge_changes_copies_the_caller_made_as_diverged_replicas_does(tmp_path: Path) -> None:
    path = tmp_path / "couple.json"
    make_file(path, 1_000)
    text = path.read_text(encoding="utf-8")
    assert diverge((json.loads(text), json.loads(text))) == diverged_replicas(path)
