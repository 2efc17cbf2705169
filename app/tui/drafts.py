"""What a dialog opens with and dismisses with, where something other than the dialog makes one:
a suggestion on the dashboard fills in the celebrate dialog (``CelebrationDraft``). Kept apart
from the dialog so the dashboard does not import it (and its fields) before its first frame; the
dialog is imported once the dashboard is up (``WarmsUp``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain.models import CelebrationSize


@dataclass(frozen=True)
class CelebrationDraft:
    """What the celebrate dialog opens with (a suggestion fills it in), and what it dismisses with."""

    title: str = ""
    note: str = ""
    step: int | None = None
    size: CelebrationSize = CelebrationSize.SMALL
    day: dt.date | None = None
    suggestion: str = ""  # the key of the suggestion it came from
