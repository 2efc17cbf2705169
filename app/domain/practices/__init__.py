"""The nine steps' practices, a module each, named as the practice is in every layer (see
docs/ARCHITECTURE.md, "One name a practice"): each holds the kinds of records its practice keeps
and the pure rules over them. Importing a module registers its kinds; reading the registry
(``app.domain.models.KINDS``) imports them all first (``import_all``), so the app's start imports
only those the store's own areas need (``trust``, ``celebrate``)."""

import importlib

PRACTICES = (
    "wounds",
    "origins",
    "openly",
    "support",
    "trust",
    "kindness",
    "patterns",
    "present",
    "celebrate",
)
"""Every practice's module, in the order of the steps: each one added here registers its kinds."""


def import_all() -> None:
    """Import every practice's module: each registers its kinds."""
    for name in PRACTICES:
        importlib.import_module(f"{__name__}.{name}")
