"""One screen or dialog a module, each bringing its own styles (``CSS_PATH``), which Textual
loads when the screen is first shown.

Only the dashboard is imported when the app starts. The App and the palette name every other screen through
``Deferred``, which imports its module the first time one is shown. Importing every screen at
start would cost ~70 ms of CPU before the first frame, and loading every screen's styles ~0.17 s
more (bench/HISTORY.md, 2026-11-22).
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

from textual.screen import Screen

from app.resources import resource_dir

STYLES = resource_dir("styles")
PRACTICE_STYLES = [
    STYLES / "practices" / f"{name}.tcss"
    for name in ("present", "celebrate", "sections", "trust", "kindness", "feelings_practice", "listening")
]
"""For every screen that holds practices or their dialogs: ``styles/practices/<name>.tcss`` styles
``app/tui/practices/<name>.py``."""


class Deferred:
    """A screen class named by its module, imported the first time one is made.

    ``CalmScreen()`` makes one as the class would, and ``isinstance(screen, CalmScreen)``
    is True for an instance of the class; for a screen never shown it is False, and
    nothing is imported to say so.
    """

    def __init__(self, module: str, name: str) -> None:
        self.module, self.name = f"{__name__}.{module}", name

    def load(self) -> type[Screen[Any]]:
        """The screen class itself, its module imported now if it was not yet."""
        return getattr(importlib.import_module(self.module), self.name)

    def __call__(self, *args: Any, **kwargs: Any) -> Screen[Any]:
        return self.load()(*args, **kwargs)

    def __instancecheck__(self, instance: object) -> bool:
        loaded = sys.modules.get(self.module)
        return loaded is not None and isinstance(instance, getattr(loaded, self.name))


AgreementsScreen = Deferred("agreements", "AgreementsScreen")
CalmScreen = Deferred("calm", "CalmScreen")
CelebrateDialog = Deferred("celebrate_dialog", "CelebrateDialog")
CelebrationDialog = Deferred("celebration_dialog", "CelebrationDialog")
CelebrationsScreen = Deferred("log", "CelebrationsScreen")
CheckInDialog = Deferred("checkin", "CheckInDialog")
ExportDialog = Deferred("export", "ExportDialog")
HelpScreen = Deferred("help", "HelpScreen")
IdentifyScreen = Deferred("identify", "IdentifyScreen")
JoinScreen = Deferred("join", "JoinScreen")
MeetingScreen = Deferred("meeting", "MeetingScreen")
OnboardingScreen = Deferred("onboarding", "OnboardingScreen")
QuestionScreen = Deferred("question", "QuestionScreen")
RecoveryCodeScreen = Deferred("recovery_code", "RecoveryCodeScreen")
RepairScreen = Deferred("repair", "RepairScreen")
StepScreen = Deferred("step", "StepScreen")
SyncScreen = Deferred("sync", "SyncScreen")
