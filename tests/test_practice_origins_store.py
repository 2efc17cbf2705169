"""Step 2's records in the store: a bad one refused in one sentence."""

from __future__ import annotations

import pytest

from app.domain.practices.origins import Origin
from app.store.couple import CoupleStore
from app.store.storage import StoreError


@pytest.mark.parametrize(
    ("model", "fields", "where"),
    [
        (Origin, {"happened": "  "}, "happened"),
        (Origin, {"happened": "x", "year": 1066}, "year"),
    ],
)
def test_bad_origin_records_are_refused_in_one_sentence(
    store: CoupleStore, model, fields: dict, where: str
) -> None:
    alex, _ = store.partners
    with pytest.raises(StoreError) as raised:
        store.add_entry(model, alex.id, **fields)
    assert raised.value.details.get("field") == where
    assert "\n" not in str(raised.value)
