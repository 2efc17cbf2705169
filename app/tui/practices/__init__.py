"""Each step's guided practice: one widget a step, in its own module.

A practice reads what it shows from the store (``self.kintsugi.store``,
``entries(Model, viewer=app.acting)``) and never writes: it posts
``SaveEntry`` / ``DeleteEntry`` / ``ShareEntry`` / ``UnshareEntry`` (app/tui/messages.py), which
the StepScreen turns into one store call as the partner writing now. It
re-reads in ``refresh_entries()``, called when it is first shown and whenever
the store changes or the writer switches.

``PRACTICES`` maps a step number to its widget class (each module is named for
its step's practice); a step without one shows its practice sentence only.
"""

from __future__ import annotations

from app.tui.practices.base import Practice
from app.tui.practices.celebrate import CelebratePractice
from app.tui.practices.kindness import KindnessPractice
from app.tui.practices.openly import OpenlyPractice
from app.tui.practices.origins import OriginsPractice
from app.tui.practices.patterns import PatternsPractice
from app.tui.practices.present import PresentPractice
from app.tui.practices.support import SupportPractice
from app.tui.practices.trust import TrustPractice
from app.tui.practices.wounds import WoundsPractice

PRACTICES: dict[int, type[Practice]] = {
    practice.STEP: practice
    for practice in (
        WoundsPractice,
        OriginsPractice,
        OpenlyPractice,
        SupportPractice,
        TrustPractice,
        KindnessPractice,
        PatternsPractice,
        PresentPractice,
        CelebratePractice,
    )
}
