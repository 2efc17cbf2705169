"""Step 6's kinds (app/domain/practices/kindness.py)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.domain.practices.kindness import KindReply


def test_a_kind_reply_refuses_empty_words() -> None:
    with pytest.raises(ValidationError):
        KindReply(id="k", author="a", created="", harsh="   ")
