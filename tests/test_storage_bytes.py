"""The storage reads and writes only what changed: the file's bytes as read are the bytes of
what did not change, and taking in the partner's copy parses only the records that differ."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path

import pytest

from app.domain.models import Celebration, CheckIn
from app.store import files, lazy, written
from app.store import storage as storage_module
from app.store.couple import CoupleStore
from app.store.files import canonical_json
from app.store.storage import StoreError


@pytest.fixture(scope="module")
def a_year_written(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    """The couple's file and Alex's machine's own file after a few hundred saves, written once
    for this module (three hundred saves take seconds): each test starts from a copy."""
    where = tmp_path_factory.mktemp("year")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("KINTSUGI_LOCAL", str(where / "local" / "local.json"))
        env.setenv("XDG_STATE_HOME", str(where / "state"))
        store = CoupleStore(where / "couple.json")
        store.init("Alex", "Sam")
        alex, sam = (p.id for p in store.partners)
        for n in range(150):
            store.add_celebration(alex if n % 2 else sam, f"Moment {n}", note=f"note {n}")
            store.check_in(alex, 1 + n % 5, day=dt.date(2026, 1, 1) + dt.timedelta(days=n))
    return (where / "couple.json").read_bytes(), (where / "local" / "local.json").read_bytes()


@pytest.fixture
def year(a_year_written: tuple[bytes, bytes], db_path: Path) -> CoupleStore:
    """A couple's file with a few hundred records, opened afresh (nothing encoded yet) at the
    machine that wrote them."""
    couple, local = a_year_written
    local_path = Path(os.environ["KINTSUGI_LOCAL"])
    for path, data in ((db_path, couple), (local_path, local)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        path.chmod(0o600)
    again = CoupleStore(db_path)
    again.load()
    return again


def count_calls(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[object]:
    calls: list[object] = []
    real = getattr(module, name)

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(args[0] if args else None)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_a_first_save_encodes_only_the_record_that_changed(
    year: CoupleStore, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    encoded = count_calls(monkeypatch, lazy, "encode_entry")
    encoded += count_calls(monkeypatch, files, "encode_entry")
    year.add_celebration(year.partners[0].id, "The one new moment")
    assert len(encoded) == 1  # the new record; the others are written as the bytes they were read as
    text = db_path.read_text()
    assert text == canonical_json(json.loads(text))


def test_taking_in_the_partners_copy_parses_only_what_differs(
    year: CoupleStore, db_path: Path, other_machine, monkeypatch: pytest.MonkeyPatch
) -> None:
    sams = other_machine(db_path)
    moment = next(c for c in sams.celebrations() if c.title == "Moment 7")
    sams.update(Celebration, moment.id, sams.partners[1].id, note="Sam remembered more")
    sams.add_celebration(sams.partners[1].id, "Sam's new moment")
    later = time.time() + written.KEEP_S + 1  # the year's moments were written long ago
    monkeypatch.setattr(written.time, "time", lambda: later)
    walked = count_calls(monkeypatch, storage_module, "changed_records")
    parsed = count_calls(monkeypatch, storage_module.json, "loads")
    assert year.refresh()
    parsed = parsed[:]  # what the take-in parsed (reading the records below parses them as they are read)
    assert {c.title for c in year.celebrations()} >= {"Moment 7", "Sam's new moment"}
    assert next(c for c in year.celebrations() if c.title == "Moment 7").note == "Sam remembered more"
    assert walked  # the record-by-record path was taken ...
    sizes = [len(text) for text in parsed if isinstance(text, bytes | str)]
    assert sum(sizes) < len(db_path.read_bytes()) // 10  # ... and parsed a sliver of the file
    assert not year.unsaved  # nothing of ours was missing from Sam's copy: nothing to write back


def test_a_copy_lacking_our_latest_record_is_written_back(
    year: CoupleStore, db_path: Path, tmp_path: Path
) -> None:
    older = db_path.read_bytes()
    year.add_celebration(year.partners[0].id, "Only ours")
    (tmp_path / "older.json").write_bytes(older)
    (tmp_path / "older.json").replace(db_path)  # a sync service brings back an older copy
    year.refresh()
    assert "Only ours" in {c.title for c in CoupleStore(db_path).celebrations()}


def test_a_damaged_record_on_disk_is_found_and_nothing_is_written_over_it(
    year: CoupleStore, db_path: Path
) -> None:
    text = db_path.read_text()
    cut = text.index('"title": "Moment 3"')
    db_path.write_text(text[:cut] + '"title": "Moment 3,,' + text[cut + 19 :])  # one record's bytes broken
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match="not valid JSON"):
        year.refresh()
    assert db_path.read_bytes() == before


def test_a_file_not_laid_out_canonically_is_read_whole(year: CoupleStore, db_path: Path) -> None:
    data = json.loads(db_path.read_text())
    data["celebration"]["by-hand"] = {
        **next(iter(data["celebration"].values())),
        "fields": {**next(iter(data["celebration"].values()))["fields"], "title": "Typed by hand"},
    }
    db_path.write_text(json.dumps(data))  # one line, keys unsorted: another tool wrote it
    year.refresh()
    assert "Typed by hand" in {c.title for c in year.celebrations()}


def parsed_records(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """What ``json.loads`` is handed from now on, where a record's bytes are parsed (app.store.lazy)."""
    return count_calls(monkeypatch, lazy.json, "loads")


def test_opening_the_file_parses_no_record_until_one_is_read(
    store: CoupleStore, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alex = store.partners[0].id
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(120)]
    for day in days:
        store.check_in(alex, 3, day=day)
    store.add_celebration(alex, "The only moment")
    parsed = parsed_records(monkeypatch)
    again = CoupleStore(db_path)
    again.load()
    assert [c.title for c in again.celebrations()] == ["The only moment"]
    read_at_open = len(parsed)
    assert read_at_open < 10  # the partners, this machine's record, the celebration: not 120 check-ins
    one = again.get(CheckIn, again.derived_id("checkin", alex, days[7].isoformat()))
    assert one is not None and one.day == days[7]
    assert len(parsed) == read_at_open + 1  # that check-in alone, when it was asked for


def test_a_write_to_a_file_opened_so_keeps_every_record_it_never_read(
    store: CoupleStore, db_path: Path
) -> None:
    alex = store.partners[0].id
    for n in range(50):
        store.check_in(alex, 1 + n % 5, day=dt.date(2026, 1, 1) + dt.timedelta(days=n))
    before = json.loads(db_path.read_text())
    again = CoupleStore(db_path)
    again.load()
    again.add_celebration(alex, "Written without reading the check-ins")
    after = json.loads(db_path.read_text())
    assert after["checkin"] == before["checkin"]
    assert "Written without reading the check-ins" in {
        r["fields"]["title"] for r in after["celebration"].values()
    }
    assert db_path.read_text() == canonical_json(after)


def test_a_record_the_partner_changed_is_read_as_changed_though_ours_was_never_read(
    store: CoupleStore, db_path: Path, other_machine
) -> None:
    alex = store.partners[0].id
    day = dt.date(2026, 3, 1)
    store.check_in(alex, 2, day=day, note="a hard day")
    ours = CoupleStore(db_path)
    ours.load()  # its check-ins are bytes, not read
    sams = other_machine(db_path)
    checkin_id = sams.derived_id("checkin", alex, day.isoformat())
    sams.update(CheckIn, checkin_id, sams.partners[1].id, note="a hard day; we talked after")
    assert ours.refresh()
    got = ours.get(CheckIn, checkin_id)
    assert got is not None and got.note == "a hard day; we talked after"


def test_a_damaged_record_is_found_when_first_read_and_nothing_is_written_over_it(
    store: CoupleStore, db_path: Path
) -> None:
    alex = store.partners[0].id
    hurt = store.check_in(alex, 2, day=dt.date(2026, 3, 1), note="unreadable soon")
    text = db_path.read_text()
    at = text.index('"unreadable soon"')
    db_path.write_text(text[:at] + '"unreadable \x01soon"' + text[at + len('"unreadable soon"') :])
    damaged = db_path.read_bytes()
    again = CoupleStore(db_path)
    again.load()  # the damaged check-in is not read: the file opens
    assert [p.name for p in again.partners] == ["Alex", "Sam"]
    with pytest.raises(StoreError) as read:
        again.get(CheckIn, hurt.id)
    assert read.value.reason == "file_not_json"
    assert "is not valid JSON" in str(read.value)
    with pytest.raises(StoreError) as written:
        again.add_celebration(alex, "Not over a damaged file")
    assert written.value.reason == "file_not_json"
    assert db_path.read_bytes() == damaged
    with pytest.raises(StoreError):
        for _ in CoupleStore(db_path).reading_all():
            pass


def _table_body(text: str, name: str) -> tuple[int, int]:
    """Where the body of table ``name`` lies in a canonically written file's text."""
    start = text.index(f'\n "{name}": ') + len(f'\n "{name}": ')
    end = text.index("\n }", start) + 3
    return start, end


def test_a_table_is_split_into_its_records_only_when_first_read(
    year: CoupleStore, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    split: list[tuple[int, int]] = []
    real = lazy.split_body

    def spied(text: bytes, start: int, end: int) -> object:
        split.append((start, end))
        return real(text, start, end)

    monkeypatch.setattr(lazy, "split_body", spied)
    checkins = _table_body(db_path.read_text(), "checkin")
    again = CoupleStore(db_path)
    again.load()
    assert [p.name for p in again.partners] == ["Alex", "Sam"]
    assert len(again.celebrations()) == 150
    assert checkins not in split  # the 150 check-ins are not looked at ...
    for _ in again.reading_all():
        pass
    assert checkins in split  # ... until they are read
    assert len(split) == len(set(split))  # and no table is split twice


def test_a_damaged_table_the_first_screen_does_not_read_is_found_when_read_and_not_written_over(
    year: CoupleStore, db_path: Path
) -> None:
    text = db_path.read_text()
    start, end = _table_body(text, "checkin")
    body = text[start:end]
    cut = body.index(',\n  "', 10)  # the comma between two check-ins gone: the table is not JSON
    db_path.write_text(text[:start] + body[:cut] + body[cut + 1 :] + text[end:])
    damaged = db_path.read_bytes()
    again = CoupleStore(db_path)
    again.load()  # the file opens: its check-ins are not read yet
    assert [c.title for c in again.celebrations()][:1] == ["Moment 149"]
    with pytest.raises(StoreError) as read:
        again.checkins()
    assert read.value.reason == "file_not_json"
    with pytest.raises(json.JSONDecodeError) as whole:
        json.loads(damaged)
    assert f"line {whole.value.lineno})" in str(read.value)  # the line parsing it whole would name
    with pytest.raises(StoreError) as written:
        again.add_celebration(again.partners[0].id, "Not over a damaged file")
    assert written.value.reason == "file_not_json"
    assert db_path.read_bytes() == damaged


def test_a_table_not_laid_out_canonically_in_a_file_that_is_is_read_whole_and_written_canonically(
    year: CoupleStore, db_path: Path
) -> None:
    text = db_path.read_text()
    start, end = _table_body(text, "celebration")
    records = json.loads(text[start:end])
    db_path.write_text(text[:start] + json.dumps(records) + text[end:])  # one line: a tool wrote it
    again = CoupleStore(db_path)
    again.load()
    assert {c.title for c in again.celebrations()} == {f"Moment {n}" for n in range(150)}
    again.add_celebration(again.partners[0].id, "Written canonically")
    written = db_path.read_text()
    assert written == canonical_json(json.loads(written))
    assert len(json.loads(written)["celebration"]) == 151


@pytest.mark.parametrize(
    ("body", "ids"),
    [
        (b"{}", []),
        (b'{\n  "a": {\n   "x": 1\n  },\n  "b": {}\n }', ["a", "b"]),
        (b'{\n  "a": {},\n  "b\\u00e9": {},\n  "c": {}\n }', ["a", "b\u00e9", "c"]),  # an escape in an id
        (b'{\n  "b": {},\n  "a": {}\n }', None),  # ids out of order
        (b'{\n  "a": {}\n  "b": {}\n }', None),  # no comma between two records
        (b'{\n  "a\xc3\xa9": {}\n }', None),  # not ASCII
        (b'{\n   "a": {}\n }', None),  # not two spaces in
        (b'{"a": {}}', None),
    ],
)
def test_a_table_body_is_split_as_canonical_json_lays_it_out_or_not_at_all(
    body: bytes, ids: list[str] | None
) -> None:
    text = b"xx" + body + b"yy"
    found = lazy.split_body(text, 2, 2 + len(body))
    assert (found[0] if found else None) == ids
    if found:
        table = lazy.LazyTable(text, (2, 2 + len(body)), *found, Path("t"))
        assert {record_id: table[record_id] for record_id in table} == json.loads(body)


def test_taking_in_the_partners_copy_splits_none_of_our_tables_and_parses_ours_of_what_differs_at_once(
    year: CoupleStore, db_path: Path, other_machine, monkeypatch: pytest.MonkeyPatch
) -> None:
    sams = other_machine(db_path)
    moment = next(c for c in sams.celebrations() if c.title == "Moment 7")
    sams.update(Celebration, moment.id, sams.partners[1].id, note="Sam remembered more")
    sams.check_in(sams.partners[1].id, 4, day=dt.date(2026, 2, 2), note="Sam's day")
    later = time.time() + written.KEEP_S + 1
    monkeypatch.setattr(written.time, "time", lambda: later)
    split = count_calls(monkeypatch, lazy, "split_body")
    parsed_one_by_one = count_calls(monkeypatch, lazy.LazyTable, "_parse")
    assert year.refresh()
    assert not split  # our tables were compared as they lie in the bytes, none split into records
    assert not parsed_one_by_one  # ours of each record that differs came from the walk, parsed at once
    assert next(c for c in year.celebrations() if c.title == "Moment 7").note == "Sam remembered more"
    assert any(c.note == "Sam's day" for c in year.checkins())


def test_a_table_made_from_one_not_split_is_split_as_one_with_it(year: CoupleStore) -> None:
    table = year.raw_table("checkin")
    assert isinstance(table, lazy.LazyTable)
    some = next(iter(json.loads(year.storage.places.real.read_text())["checkin"]))
    changed = table.with_records({"new": {"fields": {}}})
    again = changed.with_records({some: lazy.REMOVED})
    assert again.puts_over(table) == {"new": {"fields": {}}, some: lazy.REMOVED}
    assert again.puts_over(changed) == {some: lazy.REMOVED}
    assert len(again) == len(table)  # one more, one fewer
