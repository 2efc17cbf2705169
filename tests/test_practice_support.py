"""Step 4's kinds (app/domain/practices/support.py)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.domain.practices.support import SupportContact


def test_a_contact_refuses_empty_words() -> None:
    with pytest.raises(ValidationError):
        SupportContact(id="s", author="a", created="", name=" ")
