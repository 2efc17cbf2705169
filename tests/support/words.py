"""What the CLI and the app say of a merge report, or of a copy left where it is, in the shipped
words: ``describe(report, store, source=...)`` is what ``kintsugi sync`` prints."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from app.content import load_words
from app.domain.merge import MergeReport
from app.store.couple import CoupleStore
from app.store.sync import CopyOutcome, came_from
from app.words import left_copy_words, report_words


def describe(
    report: MergeReport,
    store: CoupleStore | None = None,
    *,
    source: str | Path | None = None,
    direction: Literal["in", "out"] = "in",
) -> str:
    return report_words(load_words(), report, came_from(report, store, source), direction)


def left_why(outcome: CopyOutcome) -> str:
    return left_copy_words(load_words(), outcome)
