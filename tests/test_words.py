"""app/words.py: a store error, a count, a list and a day, in the words of content/."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path
from types import MappingProxyType

import pytest

from app.content import Content, Texts
from app.domain.merge import MergeReport, Origin
from app.store.errors import StoreError
from app.words import counted, day_words, error_words, listed, report_words

THURSDAY = dt.date(2026, 11, 12)


def words(**tables: dict) -> Texts:
    return Texts(ui=MappingProxyType(tables))


def test_an_error_is_told_in_the_words_given(content: Content) -> None:
    error = StoreError("file_busy", case="held", path=Path("/home/a/couple.json"), seconds=10)
    assert (
        error_words(error, content)
        == "/home/a/couple.json is busy: another Kintsugi has held it for 10 seconds."
    )
    assert str(error) == error_words(error, content)  # str() reads the shipped words
    told = error_words(error, words(errors={"file_busy": {"held": "{path}: wait {seconds} s"}}))
    assert told == "/home/a/couple.json: wait 10 s"


def test_a_list_of_names_is_written_with_or(content: Content) -> None:
    error = StoreError("unknown_partner", case="name", name="Kim", names=["Alex", "Sam"])
    assert error_words(error, content) == "There is no partner called 'Kim' here (try Alex or Sam)."


def test_what_the_file_says_has_its_control_characters_written_out(content: Content) -> None:
    told = error_words(StoreError("file_empty", path=Path("/tmp/\x1b[31mcouple.json")), content)
    assert told == "/tmp/\\x1b[31mcouple.json is empty."


def test_an_error_whose_words_are_missing_is_still_told() -> None:
    told = error_words(StoreError("file_empty", path="/p"), words(errors={}))
    assert told == "file_empty (path=/p)"
    assert error_words(StoreError("no_such_reason"), words(errors={})) == "no_such_reason"


def test_the_subject_stands_for_the_path_a_sentence_starts_with(content: Content) -> None:
    assert error_words(StoreError("file_empty", path="/x/c.json"), content, subject="it") == "it is empty."
    wrong = StoreError("wrong_code")
    assert error_words(wrong, content, subject="it") == error_words(wrong, content)


def test_a_store_error_keeps_its_reason_case_and_details_through_pickling() -> None:
    error = pickle.loads(pickle.dumps(StoreError("file_not_json", case="line", path="/p", line=3)))
    assert (error.reason, error.case, error.details) == ("file_not_json", "line", {"path": "/p", "line": 3})
    assert str(error) == "/p is not valid JSON (line 3)."


def test_counts_and_lists(content: Content) -> None:
    assert counted(content, "report.skipped", 1) == "1 damaged record was skipped."
    assert counted(content, "report.skipped", 2) == "2 damaged records were skipped."
    assert listed(content, ["a"]) == "a"
    assert listed(content, ["a", "b", "c"]) == "a, b and c"
    assert listed(content, ["a", "b"], "or") == "a or b"


def test_a_day_in_this_year_and_another(content: Content) -> None:
    assert day_words(content, THURSDAY, "entry", THURSDAY) == "Thu 12 Nov"
    assert day_words(content, THURSDAY, "entry", dt.date(2027, 1, 1)) == "12 Nov 2026"
    assert day_words(content, THURSDAY, "day", THURSDAY) == "12 Nov"
    assert day_words(content, THURSDAY, "turn", dt.date(2027, 1, 1)) == "Thu 12 Nov 2026"
    assert day_words(content, THURSDAY, "long") == "Thursday 12 November 2026"
    assert day_words(content, THURSDAY, "timeline") == "Thu 12"
    assert day_words(content, dt.date(2026, 11, 5), "timeline") == "Thu  5"
    assert day_words(content, dt.datetime(2026, 3, 5, 9, 4), "moment") == "05 Mar 2026, 09:04"


def test_a_day_said_against_this_year_needs_today(content: Content) -> None:
    with pytest.raises(TypeError, match="needs today"):
        day_words(content, THURSDAY, "entry")


def test_a_report_names_where_it_came_from(content: Content, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", "/home/alex")
    report = MergeReport(added=[("celebration", "a")])
    assert report_words(content, report) == "1 new celebration came in."
    assert report_words(content, report, Origin(here=True)) == (
        "1 new celebration came in from another Kintsugi on this machine."
    )
    copy = Origin(copy="couple.json", folder=Path("/home/alex/Downloads"))
    assert report_words(content, report, copy) == "1 new celebration came in from couple.json in ~/Downloads."
    assert (
        report_words(content, MergeReport(), copy, "out")
        == "Nothing new went out to couple.json in ~/Downloads."
    )
    assert report_words(content, report, Origin(partner="Sam"), "out") == "1 new celebration went out."
