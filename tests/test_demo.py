"""The sample couple (``app.demo``) and ``kintsugi demo``."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

import pytest

from app import cli
from app.cli import main
from app.demo import make_demo_couple
from app.domain.models import Agreement, Celebration, CelebrationSize
from app.store.couple import CoupleStore
from app.store.local import LocalState

TODAY = dt.date(2025, 3, 14)


@pytest.fixture(autouse=True)
def private_tempdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``kintsugi demo`` makes its folder with mkdtemp: keep it inside tmp_path."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def build(folder: Path) -> CoupleStore:
    return make_demo_couple(folder / "couple.json", LocalState(folder / "local.json"), TODAY)


def snapshot(store: CoupleStore) -> dict[str, Any]:
    """What the couple would see, with ids and clock stamps (always fresh) left out."""
    name = {p.id: p.name for p in store.partners}
    lists = {lst.id: lst.name for lst in store.agreement_lists()}
    return {
        "progress": {n: store.progress(pid) for pid, n in name.items()},
        "celebrations": [
            (c.day, name[c.author], c.title, c.note, c.step, c.size) for c in store.celebrations()
        ],
        "agreements": [
            (
                lists[a.list_id],
                name[a.author],
                a.text,
                a.review_on,
                sorted(name[p] for p in name if a.signed_by(p)),
            )
            for a in store.agreements()
        ],
        "checkins": sorted(
            (name[c.partner], c.day, int(c.connection), c.mood, c.note) for c in store.checkins()
        ),
    }


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> CoupleStore:
    return build(tmp_path_factory.mktemp("demo"))


def test_the_demo_couple_is_alex_and_sam_with_alex_at_this_machine(demo: CoupleStore) -> None:
    assert [p.name for p in demo.partners] == ["Alex", "Sam"]
    assert demo.me is not None and demo.me.name == "Alex"
    assert demo.problems() == []


def test_both_have_progress_and_not_the_same(demo: CoupleStore) -> None:
    alex, sam = demo.partners
    started = {
        p.name: {s for s, status in demo.progress(p.id).items() if status != "not_started"}
        for p in (alex, sam)
    }
    assert len(started["Alex"]) >= 3 and len(started["Sam"]) >= 3
    assert demo.progress(alex.id) != demo.progress(sam.id)


def test_celebrations_span_three_months_sizes_and_steps(demo: CoupleStore) -> None:
    celebrations = demo.celebrations()
    assert 6 <= len(celebrations) <= 10
    assert all(TODAY - dt.timedelta(days=92) <= c.day <= TODAY for c in celebrations)
    assert {c.size for c in celebrations} == set(CelebrationSize)
    assert len({c.step for c in celebrations if c.step}) >= 3
    assert {c.author for c in celebrations} == {p.id for p in demo.partners}


def test_agreements_in_two_lists_signed_in_different_ways(demo: CoupleStore) -> None:
    alex, sam = demo.partners
    agreements = demo.agreements()
    assert len(demo.agreement_lists()) == 2
    assert 4 <= len(agreements) <= 7
    assert {a.list_id for a in agreements} == {lst.id for lst in demo.agreement_lists()}
    both = [a for a in agreements if a.signed_by(alex.id) and a.signed_by(sam.id)]
    only_alex = [a for a in agreements if a.signed_by(alex.id) and not a.signed_by(sam.id)]
    assert len(both) >= 3 and len(only_alex) == 1
    assert [a for a in agreements if a.review_on is not None and a.review_on > TODAY]


def test_about_sixty_days_of_checkins_each_with_a_few_gaps(demo: CoupleStore) -> None:
    for partner in demo.partners:
        days = [c.day for c in demo.checkins(partner.id)]
        assert 40 <= len(days) < 60
        assert min(days) >= TODAY - dt.timedelta(days=59) and max(days) <= TODAY
        assert all(1 <= c.connection <= 5 for c in demo.checkins(partner.id))
    assert demo.checkins(demo.partners[0].id) != demo.checkins(demo.partners[1].id)


def test_the_demo_is_the_same_for_the_same_day(tmp_path: Path) -> None:
    first, second = build(tmp_path / "one"), build(tmp_path / "two")
    assert snapshot(first) == snapshot(second)
    assert first.file_id != second.file_id


def test_the_demo_moves_with_today(tmp_path: Path, demo: CoupleStore) -> None:
    later = make_demo_couple(
        tmp_path / "couple.json", LocalState(tmp_path / "local.json"), TODAY + dt.timedelta(days=7)
    )
    assert max(c.day for c in later.celebrations()) == max(c.day for c in demo.celebrations()) + dt.timedelta(
        days=7
    )


def test_demo_wording_is_plain_text(demo: CoupleStore) -> None:
    texts = [c.title for c in demo.records(Celebration)] + [a.text for a in demo.records(Agreement)]
    assert all(text == cli.printable(text) and "[" not in text for text in texts)


# -- kintsugi demo ---------------------------------------------------------------------------


def test_demo_no_tui_makes_a_file_that_check_passes(
    capsys: pytest.CaptureFixture[str], private_tempdir: Path
) -> None:
    assert main(["demo", "--no-tui"]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path.parent.parent == private_tempdir
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert os.environ["KINTSUGI_LOCAL"] == str(path.parent / "local.json")
    assert os.environ["KINTSUGI_DB"] == str(path)

    data = json.loads(path.read_text(encoding="utf-8"))
    assert len(data["partner"]) == 2
    assert data["celebration"] and data["agreement"] and data["checkin"] and data["progress"]

    assert main(["--db", str(path), "check"]) == 0
    assert "OK" in capsys.readouterr().out


def test_demo_opens_the_tui_on_the_sample(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, private_tempdir: Path
) -> None:
    launched: list[tuple[CoupleStore, str | None]] = []
    monkeypatch.setattr(cli, "launch_tui", lambda store, acting=None: launched.append((store, acting)))
    assert main(["demo", "--as", "Sam"]) == 0
    [(store, acting)] = launched
    assert store.path.parent.parent == private_tempdir
    assert acting == store.partner_named("Sam").id
    assert store.me is not None and store.me.name == "Alex"
    assert str(store.path) in capsys.readouterr().out
