"""What the store tells the couple when something is wrong with a file: a reason and its details."""

from __future__ import annotations

from typing import Any


class StoreError(Exception):
    """Something the couple should be told about the file: ``reason`` says what went wrong (code
    compares it: ``error.reason == "file_locked"``) and ``details`` the facts a sentence needs (a
    path, a name, a count).

    The store writes no sentence: content/words.toml [errors] holds one for each reason (a table
    of them, one a ``case``, where a reason is told in several ways), and ``app.words.error_words``
    makes it, for the CLI, the app and the export alike. ``str()`` gives the same sentence, from
    the shipped words (for a log, git's merge driver, a test), its control characters written out.
    """

    def __init__(self, reason: str, *, case: str | None = None, **details: Any) -> None:
        super().__init__(reason, case, details)
        self.reason = reason
        self.case = case
        self.details = details

    @property
    def sentence_key(self) -> str:
        """Where its sentence is in words.toml: ``errors.<reason>``, or ``errors.<reason>.<case>``."""
        return f"errors.{self.reason}" if self.case is None else f"errors.{self.reason}.{self.case}"

    def __str__(self) -> str:
        from app.words import (
            error_words,
        )  # the words live above the store; only a sentence asked for loads them

        return error_words(self)

    def __reduce__(self) -> tuple[Any, ...]:  # pickled with its details, which are keywords
        return (_rebuilt, (self.reason, self.case, self.details))

    def __repr__(self) -> str:
        return f"StoreError({self.reason!r}, case={self.case!r}, **{self.details!r})"


def _rebuilt(reason: str, case: str | None, details: dict[str, Any]) -> StoreError:
    return StoreError(reason, case=case, **details)
